"""Long ``__in`` lists: on PostgreSQL they bind as one array (``col = ANY(%s)``), elsewhere as IN lists; the
rows must be the same as the IN list's for every value type, negated, with duplicates and NULLs."""
import datetime
import decimal
import uuid

import pytest

from ormlette.db import connection
from ormlette.test.utils import CaptureQueriesContext
from tests.backends import clean_tables, use_models
from tests.core.models import Item

tables = use_models(Item)
cleanup = clean_tables(Item, autouse=True)
pytestmark = pytest.mark.usefixtures("tables")

UTC = datetime.timezone.utc
COUNT = 30


@pytest.fixture
def items():
    return [Item.objects.create(
        title="t%02d" % i, slug="s%02d" % i, price=decimal.Decimal("%d.25" % i), pages=i, small=i % 7,
        big=2 ** 40 + i, released=datetime.date(2024, 1, 1) + datetime.timedelta(days=i),
        uid=uuid.UUID(int=i + 1), email=None if i % 5 == 0 else "e%d@x.org" % i,
        rating=i / 4) for i in range(COUNT)]


def picked(items):
    """Every other item (15 of 30: more than the short-list limit)."""
    return items[::2]


CASES = {
    "pk": lambda objs: {"pk__in": [o.pk for o in objs]},
    "pk with a string": lambda objs: {"pk__in": [o.pk for o in objs[:-1]] + [str(objs[-1].pk)]},
    "text": lambda objs: {"title__in": [o.title for o in objs]},
    "decimal": lambda objs: {"price__in": [o.price for o in objs]},
    "uuid": lambda objs: {"uid__in": [o.uid for o in objs]},
    "date": lambda objs: {"released__in": [o.released for o in objs]},
    "created": lambda objs: {"created__in": [o.created for o in objs]},
    "bigint": lambda objs: {"big__in": [o.big for o in objs]},
    "smallint": lambda objs: {"small__in": [o.small for o in objs] + [None]},
    "float": lambda objs: {"rating__in": [o.rating for o in objs]},
    "nullable text": lambda objs: {"email__in": [o.email for o in objs] * 2},
    "strings for ints": lambda objs: {"pages__in": [str(o.pages) for o in objs]},
}


def expected(items, kwargs):
    (name, values), = kwargs.items()
    attname = name.split("__")[0]
    wanted = [getattr(v, "pk", v) for v in values]
    key = "pk" if attname == "pk" else attname
    return sorted(o.pk for o in items if getattr(o, key) is not None and (
        getattr(o, key) in wanted or str(getattr(o, key)) in wanted))


@pytest.mark.parametrize("case", sorted(CASES))
def test_long_in_lists_match_the_in_list_rows(items, case):
    kwargs = CASES[case](picked(items))
    want = expected(items, kwargs)
    assert sorted(Item.objects.filter(**kwargs).values_list("pk", flat=True)) == want
    # exclude() is the complement, NULL rows included (Django's negation of a nullable column's lookup).
    excluded = sorted(Item.objects.exclude(**kwargs).values_list("pk", flat=True))
    assert excluded == sorted(o.pk for o in items if o.pk not in want)


def test_postgresql_binds_one_array_and_short_lists_stay_in_lists(items):
    pks = [o.pk for o in items]
    with CaptureQueriesContext(connection) as ctx:
        assert Item.objects.filter(pk__in=pks[:20]).count() == 20
        assert Item.objects.filter(pk__in=pks[:3]).count() == 3
    long_sql, short_sql = (q["sql"].upper() for q in ctx.captured_queries)
    assert ("ANY" in long_sql) == (connection.vendor == "postgresql")
    assert " IN (" in short_sql and "ANY" not in short_sql


def test_mixed_value_types_keep_the_in_list(items):
    values = [items[0].price, *[float(o.price) for o in items[1:12]]]
    assert Item.objects.filter(price__in=values).count() == 12


def test_long_lists_of_unchanged_values_skip_preparation_but_keep_its_result():
    from ormlette.db.models.lookups.in_range import _unchanged_values

    pages = Item._meta.get_field("pages")
    values = [5, 3, 5, 1] * 10 + [True]
    assert _unchanged_values(pages, values) is None  # a bool among ints: every value is prepared
    values = [5, 3, 5, 1] * 10
    assert _unchanged_values(pages, values) == [5, 3, 1]  # deduplicated, first occurrence first
    assert _unchanged_values(pages, [5, 3, 1]) is None  # short lists take the general path
    assert _unchanged_values(pages, ["1"] * 20) is None  # a string for an integer field is converted
    assert _unchanged_values(pages, [1] * 19 + [None]) is None
    assert _unchanged_values(Item._meta.get_field("price"), [decimal.Decimal(1)] * 20) is None
    lookup = Item._meta.get_field("pages").get_lookup("in")(Item._meta.get_field("pages").get_col("x"),
                                                             [3, 1, 3] * 8 + [None])
    assert lookup.rhs == [3, 1]  # None dropped and duplicates removed, on either path


def test_long_int_lists_match_the_rows_of_the_general_path(items):
    ids = [o.pk for o in items[::2]] * 2
    assert sorted(o.pk for o in Item.objects.filter(pk__in=ids)) == sorted(set(ids))
    assert sorted(o.pk for o in Item.objects.filter(pk__in=ids + ["%d" % items[1].pk])) == \
        sorted(set(ids) | {items[1].pk})
