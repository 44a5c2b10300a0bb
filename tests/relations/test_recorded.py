"""Recorded querysets (ormlette/db/models/recipes.py): a repeated filter/order_by/slice chain reuses a
template query; every result, SQL text, parameter list and error must equal the normal path's."""
import copy
import pickle

import pytest

from ormlette.core.exceptions import FieldError
from ormlette.db import connection
from ormlette.db.models import F, Q, QuerySet
from ormlette.db.models.sql.query import Query
from tests.relations import models as m
from tests.backends import requires_fast


def normal(model):
    """A queryset that never records: its Query exists from the start."""
    return QuerySet(model=model, query=Query(model))


def sql(qs):
    text, params = qs.query.sql_with_params()
    return text, list(params)


def chains(base):
    """The chains under test, built on ``base`` (a manager or a normal queryset)."""
    return [
        lambda v: base.filter(status=v["status"], customer_id=v["customer"]).order_by("-id")[: v["stop"]],
        lambda v: base.filter(customer__name=v["name"]).order_by("id"),
        lambda v: base.filter(items__quantity__gte=v["qty"]).filter(items__quantity__lte=v["qty"] + 3),
        lambda v: base.filter(status__startswith=v["status"][:2]).order_by("id")[v["start"]:],
        lambda v: base.filter(id__gt=v["start"])[v["start"]: v["stop"] + v["start"]],
    ]


VALUES = [
    {"status": "paid", "customer": 1, "stop": 2, "name": "alice", "qty": 1, "start": 1},
    {"status": "new", "customer": 2, "stop": 1, "name": "bob", "qty": 2, "start": 0},
    {"status": "paid", "customer": 2, "stop": 5, "name": "carol", "qty": 5, "start": 2},
    {"status": "gone", "customer": 3, "stop": 3, "name": "alice", "qty": 0, "start": 1},
]


def fill(values, data):
    out = dict(values)
    out["customer"] = [data.alice.pk, data.bob.pk, data.carol.pk][values["customer"] - 1]
    return out


@pytest.mark.parametrize("chain", range(5))
def test_recorded_chains_equal_the_normal_path(data, chain):
    for raw in VALUES * 2:  # the second pass runs on learned templates
        values = fill(raw, data)
        recorded = chains(m.Order.objects)[chain](values)
        plain = chains(normal(m.Order))[chain](values)
        assert sql(recorded) == sql(plain)
        assert [o.pk for o in recorded] == [o.pk for o in plain]


@requires_fast
def test_second_chain_is_recorded_and_builds_no_query_until_needed(data):
    m.Order.objects.filter(status="paid", customer_id=data.alice.pk).order_by("id")[:5]
    qs = m.Order.objects.filter(status="new", customer_id=data.bob.pk).order_by("id")[:5]
    assert qs._query is None and qs._recipe is not None
    assert list(qs) == []
    qs = m.Order.objects.filter(status="paid", customer_id=data.alice.pk).order_by("id")[:5]
    assert [o.pk for o in qs] == [data.o1.pk]


def test_bad_values_still_fail_at_filter_time(data):
    list(m.Order.objects.filter(id="1"))
    with pytest.raises(ValueError, match="expected a number but got 'abc'"):
        m.Order.objects.filter(id="abc")
    with pytest.raises(FieldError):
        m.Order.objects.filter(nope=1)


def test_isnull_is_never_recorded_because_it_changes_joins(data):
    for flag in (True, False, True):
        recorded = m.Product.objects.filter(category__parent__isnull=flag)
        plain = normal(m.Product).filter(category__parent__isnull=flag)
        assert sql(recorded) == sql(plain)
        assert sorted(p.pk for p in recorded) == sorted(p.pk for p in plain)


def test_slices_keep_django_rules(data):
    for _ in range(2):
        qs = m.Order.objects.order_by("id")[1:3]
        with pytest.raises(TypeError, match="once a slice has been taken"):
            qs.filter(status="x")
        with pytest.raises(TypeError, match="reorder"):
            qs.order_by("status")
        assert [o.pk for o in qs] == [data.o2.pk, data.o3.pk]
        assert [o.pk for o in qs[1:]] == [data.o3.pk]
        assert list(m.Order.objects.order_by("id")[2:2]) == []
        assert [o.pk for o in m.Order.objects.order_by("id")[2:]] == [data.o3.pk]


def test_changing_a_recorded_query_in_place_recompiles(data):
    for status in ("paid", "new", "paid"):
        qs = m.Order.objects.filter(status=status).order_by("id")
    qs.query.add_q(Q(customer=data.bob))
    assert [o.pk for o in qs] == [data.o3.pk]
    qs = m.Order.objects.filter(status="paid").order_by("id")
    qs.query.clear_ordering(force=True)
    qs.query.add_ordering("-id")
    assert [o.pk for o in qs] == [data.o3.pk, data.o1.pk]


def test_other_methods_continue_from_a_recorded_chain(data):
    for name in ("alice", "bob", "alice"):
        base = m.Order.objects.filter(customer__name=name)
    assert base.count() == 2
    assert base.exclude(status="new").get().pk == data.o1.pk
    assert sorted(base.values_list("status", flat=True)) == ["new", "paid"]
    assert base.filter(Q(status="new") | Q(status="x")).get().pk == data.o2.pk
    assert base.annotate(n=F("id") + 1).order_by("id").first().n == data.o1.pk + 1
    assert base.update(status="done") == 2
    assert m.Order.objects.filter(status="done").count() == 2


def test_copies_and_pickles_of_recorded_querysets(data):
    for status in ("new", "paid"):
        qs = m.Order.objects.filter(status=status).order_by("id")
    clone = copy.deepcopy(qs)
    assert [o.pk for o in clone] == [data.o1.pk, data.o3.pk]
    restored = pickle.loads(pickle.dumps(qs))
    assert [o.pk for o in restored] == [data.o1.pk, data.o3.pk]
    joined = m.Order.objects.filter(customer__name="alice").order_by("id")
    assert [o.pk for o in pickle.loads(pickle.dumps(joined))] == [data.o1.pk, data.o2.pk]
    for _ in range(2):
        joined = m.Order.objects.filter(customer__name="alice").order_by("id")
    restored_query = pickle.loads(pickle.dumps(joined.query))  # a recorded query, hint included
    assert restored_query.sql_with_params() == joined.query.sql_with_params()
    assert sql(restored.filter(status="x")) == sql(normal(m.Order).filter(status="paid").order_by("id").filter(
        status="x"))


def test_related_managers_and_custom_managers_are_unchanged(data):
    for _ in range(2):
        assert sorted(o.pk for o in data.alice.orders.filter(status="paid")) == [data.o1.pk]
        assert sorted(i.quantity for i in data.o1.items.filter(quantity__gte=2)) == [2, 5]
        assert data.alice.orders.filter(status="new").order_by("id")[:1].get().pk == data.o2.pk


def test_template_is_not_changed_by_executions(data):
    for status in ("paid", "new", "paid", "new"):
        qs = m.Order.objects.filter(status=status).order_by("customer__name", "id")
        assert sql(qs) == sql(normal(m.Order).filter(status=status).order_by("customer__name", "id"))
        expected = [o.pk for o in normal(m.Order).filter(status=status).order_by("customer__name", "id")]
        assert [o.pk for o in qs] == expected


def test_values_of_other_types_take_the_normal_path(data):
    for value in (data.alice, data.alice.pk, str(data.alice.pk), data.alice):
        qs = m.Order.objects.filter(customer=value).order_by("id")
        assert [o.pk for o in qs] == [data.o1.pk, data.o2.pk]
    assert connection.vendor  # the statement cache is per backend; the suite runs on each


@requires_fast
def test_all_and_using_keep_recording_and_long_chains_stop(data):
    for status in ("new", "paid", "paid"):
        qs = m.Order.objects.all().filter(status=status).using("default").all().order_by("id")
    assert qs._recipe is not None and qs._query is None
    assert [o.pk for o in qs] == [data.o1.pk, data.o3.pk]
    sliced = m.Order.objects.filter(status="paid").order_by("id")[:1]
    assert [o.pk for o in sliced.all()] == [data.o1.pk]
    for _ in range(2):
        qs = m.Order.objects.all()
        for i in range(20):
            qs = qs.filter(id__gte=i - 20)
    assert qs._recipe is None  # beyond the depth limit the chain is built normally
    assert qs.count() == 3
