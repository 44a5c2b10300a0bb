"""Long ``__in`` lists (5,000 ids) against Django 5.2: the same rows on every backend, and on PostgreSQL a
server plan no worse than Django's: the array parameter has the column's type, so ``= ANY`` is hashed."""
import json

import pytest

from tests import backends
from tests.differential.harness import Differential, case, parametrize

SOURCE = '''
from django.db import models


class Account(models.Model):
    number = models.IntegerField()
    small = models.SmallIntegerField(default=0)


class Entry(models.Model):
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="entries")
    amount = models.IntegerField()
'''

ROWS = 6000
IDS = list(range(1, 10001, 2))  # 5,000 ids, half of them present


def load(ns):
    ns.Account.objects.bulk_create([ns.Account(id=i, number=i * 3, small=i % 100) for i in range(1, ROWS + 1)])
    ns.Entry.objects.bulk_create([ns.Entry(account_id=i, amount=i % 7) for i in range(1, ROWS + 1, 3)])


env = Differential(SOURCE, label="planin", data=load).fixture()

CASES = [
    case("exclude id__in count", lambda ns: ns.Account.objects.exclude(id__in=IDS).count()),
    case("filter id__in count", lambda ns: ns.Account.objects.filter(id__in=IDS).count()),
    case("filter pk__in ids", lambda ns: sorted(ns.Account.objects.filter(pk__in=IDS).values_list("pk", flat=True))),
    case("integer column", lambda ns: ns.Account.objects.filter(number__in=IDS).count()),
    case("smallint column, small values", lambda ns: ns.Account.objects.filter(small__in=IDS[:50]).count()),
    case("smallint column, values beyond its range",
         lambda ns: ns.Account.objects.filter(small__in=[1, 3, 5] + list(range(40000, 40100))).count()),
    case("integer column, values beyond its range",
         lambda ns: ns.Account.objects.exclude(number__in=[9, 12] + [2 ** 40 + i for i in range(30)]).count()),
    case("foreign key __in", lambda ns: ns.Entry.objects.filter(account__in=IDS).count()),
    case("prefetch over 5,000 accounts", lambda ns: sorted(
        (a.pk, len(a.entries.all())) for a in ns.Account.objects.filter(pk__lte=5000).prefetch_related("entries"))),
]


@parametrize(CASES)
def test_long_in_lists_match_django(env, case):
    env.check(case)


PLANS = [
    ("exclude", lambda ns: ns.Account.objects.exclude(id__in=IDS)),
    ("filter", lambda ns: ns.Account.objects.filter(id__in=IDS)),
    ("foreign key", lambda ns: ns.Entry.objects.filter(account_id__in=IDS)),
]


def _plan(queryset):
    result = queryset.explain(format="json")
    return (json.loads(result) if isinstance(result, str) else result)[0]["Plan"]


def _filters(plan):
    found = [plan.get("Filter", "") + plan.get("Index Cond", "")]
    for child in plan.get("Plans", ()):
        found.extend(_filters(child))
    return " ".join(found)


@pytest.mark.skipif(backends.VENDOR != "postgresql", reason="array parameters are PostgreSQL's")
@pytest.mark.parametrize("name,build", PLANS, ids=[name for name, _ in PLANS])
def test_postgresql_plan_is_no_worse_than_djangos(env, name, build):
    ours = _plan(build(env.ormlette.ns))
    theirs = _plan(build(env.django.ns))
    # Django renders the list as literals, which PostgreSQL types as bigint[]: ours must be bigint[] too.
    assert "::bigint[]" in _filters(ours), _filters(ours)[:300]
    assert ours["Node Type"] == theirs["Node Type"]
    assert ours["Total Cost"] <= theirs["Total Cost"] * 1.01, (ours["Total Cost"], theirs["Total Cost"])


@pytest.mark.skipif(backends.VENDOR != "postgresql", reason="array parameters are PostgreSQL's")
def test_postgresql_casts_only_lists_that_fit_the_column(env):
    from ormlette.db import connection

    ops = connection.ops
    account = env.ormlette.ns.Account
    small = account._meta.get_field("small")
    assert ops.in_array_type(account._meta.pk, IDS) == "BIGINT"
    assert ops.in_array_type(account._meta.get_field("number"), IDS) == "INTEGER"
    assert ops.in_array_type(small, IDS[:50]) == "SMALLINT"
    assert ops.in_array_type(small, [1, 40000]) is None  # the cast would fail; psycopg's type cannot match
    assert ops.in_array_type(env.ormlette.ns.Entry._meta.get_field("account"), IDS) == "BIGINT"
    assert ops.in_array_type(account._meta.pk, ["a", "b"]) is None
