"""Item 7: hostile alias / kind / explain strings raise a clear error (sending no SQL) or run harmlessly."""
import datetime
import itertools
import re

import pytest

from ormlette.core.exceptions import FieldError
from ormlette.db import connection, models
from ormlette.db.errors import DatabaseError, NotSupportedError
from ormlette.db.models import Count, F, Sum, Value
from ormlette.db.models.functions import Collate, Extract, Trunc
from ormlette.test.utils import CaptureQueriesContext
from tests.backends import use_models


class Victim(models.Model):
    name = models.CharField(max_length=20)
    created = models.DateTimeField()

    class Meta:
        app_label = "safety"


tables = use_models(Victim)
pytestmark = pytest.mark.usefixtures("tables")

_BASES = [
    "x'", 'x"', "x`", "x;", "x; DROP TABLE safety_victim; --", "x--", "x/*", "*/x", "x#", "x$", "x$$",
    "x\x00", "x\n", "x\r", "x\t", "x\x1b", "x\x7f", "x%s", "x%(a)s", "x\\", "a b", "' OR 1=1 --",
    "\") FROM safety_victim; DELETE FROM safety_victim; --", "`; DROP TABLE safety_victim; #",
    "$1", "x::text", "x]", "[x", "x' ||'", "year'; --", "month\x00", "day;", "x)", "(x", "",
]
_PREFIXES = ["", "count_", "ok"]
HOSTILE = list(dict.fromkeys(p + b for p, b in itertools.product(_PREFIXES, _BASES)))
assert len(HOSTILE) >= 100

CLEAR_ERRORS = (ValueError, TypeError, FieldError, NotSupportedError)
# Characters that could end an identifier or a statement, start a comment or smuggle a parameter.
DANGEROUS = re.compile(r"['`\";\s\x00-\x1f\x7f#$%\\]|--|/\*|\*/")


def _sinks():
    qs = Victim.objects
    return {
        "annotate": lambda s: list(qs.annotate(**{s: Value(1)})),
        "alias": lambda s: list(qs.alias(**{s: Value(1)}).filter(**{s: 1})),
        "aggregate": lambda s: qs.aggregate(**{s: Count("id")}),
        "aggregate_sum": lambda s: qs.aggregate(**{s: Sum("id")}),
        "values_expression": lambda s: list(qs.values(**{s: F("name")})),
        "values_list_group": lambda s: list(qs.values("name").annotate(**{s: Count("id")})),
        "trunc_kind": lambda s: list(qs.annotate(t=Trunc("created", s)).values_list("t")),
        "extract_kind": lambda s: list(qs.annotate(t=Extract("created", s)).values_list("t")),
        "dates_kind": lambda s: list(qs.dates("created", s)),
        "datetimes_kind": lambda s: list(qs.datetimes("created", s)),
        "collation": lambda s: list(qs.order_by(Collate("name", s))),
        "explain_format": lambda s: qs.all().explain(format=s),
        "explain_option": lambda s: qs.all().explain(**{s: True}),
    }


def _snapshot():
    return sorted(Victim.objects.values_list("id", "name", "created"))


@pytest.fixture
def rows():
    created = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)
    Victim.objects.create(name="a", created=created)
    Victim.objects.create(name="b", created=created)
    yield
    Victim.objects.all().delete()


@pytest.mark.parametrize("sink", sorted(_sinks()))
def test_hostile_strings(rows, sink):
    run = _sinks()[sink]
    before = _snapshot()
    outcomes = {"error": 0, "ok": 0}
    for hostile in HOSTILE:
        with CaptureQueriesContext(connection) as queries:
            try:
                run(hostile)
            except CLEAR_ERRORS as exc:
                assert str(exc), (sink, hostile)
                assert len(queries) == 0, "%s %r sent SQL before failing: %s" % (sink, hostile, queries.captured_queries)
                outcomes["error"] += 1
                continue
            except DatabaseError:
                # A harmless failure of a quoted, allow-listed name (e.g. an unknown collation "x--").
                assert sink == "collation", (sink, hostile)
                outcomes["error"] += 1
                continue
        outcomes["ok"] += 1
        assert not DANGEROUS.search(hostile), "%s accepted %r" % (sink, hostile)
    assert _snapshot() == before
    assert Victim.objects.count() == 2
    assert outcomes["error"] >= sum(1 for h in HOSTILE if DANGEROUS.search(h)), (sink, outcomes)


def test_table_survives(rows):
    assert Victim.objects.count() == 2
    assert _snapshot()[0][1] == "a"
