"""Recorded structural calls (recipes.record_call, recipe_signatures.py): ``values()``, ``values_list()``,
``annotate()`` and ``alias()`` replayed from a template must give the normal path's SQL, parameters,
rows, result types and errors."""
import pytest

from ormlette.core.exceptions import FieldError
from ormlette.db.models import Avg, Count, F, Max, Min, Q, Sum, Value
from ormlette.db.models.fast.recipe_signatures import annotate_signature, expression_signature
from tests.relations import models as m
from tests.relations.test_recorded import normal


def shapes(base):
    """Chains with structural calls, built on ``base(model)`` (the manager, or a never-recording queryset)."""
    return [
        lambda v: base(m.Order).values("status").annotate(n=Count("id")).order_by("status"),
        lambda v: base(m.Order).filter(customer_id=v["customer"]).values("status").annotate(
            n=Count("items"), q=Sum("items__quantity")).order_by("status"),
        lambda v: base(m.Order).values_list("status", flat=True).filter(status=v["status"]).order_by("id"),
        lambda v: base(m.Order).values_list("id", "status", named=True).filter(id__gte=v["start"]).order_by("id"),
        lambda v: base(m.Order).annotate(n=Count("items", distinct=True)).filter(n__gte=v["start"]).order_by("id"),
        lambda v: base(m.OrderItem).values("order__status").annotate(Max("quantity"), Min("quantity"))
        .order_by("order__status"),
        lambda v: base(m.Order).alias(n=Count("items")).filter(n__gt=v["start"]).values("id").order_by("id"),
        lambda v: base(m.Product).annotate(avg=Avg("price"), c=Count("*")).values_list("name", "c")
        .filter(name__startswith=v["status"][:1]).order_by("name")[: v["stop"]],
    ]


VALUES = [
    {"status": "paid", "customer": 1, "start": 1, "stop": 2},
    {"status": "new", "customer": 2, "start": 0, "stop": 5},
    {"status": "dune", "customer": 3, "start": 2, "stop": 1},
]


def run(qs):
    rows = list(qs)
    return [tuple(r) if isinstance(r, tuple) else r for r in rows], [type(r).__name__ for r in rows]


@pytest.mark.parametrize("shape", range(len(shapes(normal))))
def test_recorded_calls_equal_the_normal_path(data, shape):
    customers = [data.alice.pk, data.bob.pk, data.carol.pk]
    for rnd in range(3):  # rounds after the first replay learned templates
        for raw in VALUES:
            values = dict(raw, customer=customers[raw["customer"] - 1])
            recorded = shapes(lambda model: model.objects)[shape](values)
            plain = shapes(normal)[shape](values)
            if rnd:
                assert recorded._query is None, "the chain should have been recorded"
            assert recorded.query.sql_with_params() == plain.query.sql_with_params()
            assert run(recorded) == run(plain)


def test_replayed_values_keep_their_iterable_and_fields(data):
    for _ in range(3):
        qs = m.Order.objects.values_list("status", flat=True)
        assert qs._fields == ("status",)
        assert sorted(qs) == ["new", "paid", "paid"]
        rows = list(m.Order.objects.values("id", "status").order_by("id"))
        assert rows == [{"id": o.pk, "status": o.status} for o in (data.o1, data.o2, data.o3)]
        named = m.Order.objects.values_list("id", named=True).order_by("id")[:1]
        assert [r.id for r in named] == [data.o1.pk]


def test_errors_repeat_on_every_call(data):
    for _ in range(3):
        with pytest.raises(FieldError):
            m.Order.objects.values("nope")
        with pytest.raises(ValueError, match="conflicts with a field on the model"):
            m.Order.objects.annotate(status=Count("id"))
        with pytest.raises(TypeError, match="'flat' is not valid"):
            m.Order.objects.values_list("id", "status", flat=True)


def test_replay_does_not_share_results_or_queries(data):
    first = m.Order.objects.values("status").annotate(n=Count("id")).order_by("status")
    list(first)
    second = m.Order.objects.values("status").annotate(n=Count("id")).order_by("status")
    assert second._result_cache is None
    second.query.add_q(Q(status="paid"))  # changing one replayed query in place leaves the template alone
    assert list(second) == [{"status": "paid", "n": 2}]
    third = m.Order.objects.values("status").annotate(n=Count("id")).order_by("status")
    assert list(third) == [{"status": "new", "n": 1}, {"status": "paid", "n": 2}]


def test_signatures_cover_only_fully_described_arguments():
    assert expression_signature(Count("id")) == expression_signature(Count(F("id")))
    assert expression_signature(Count("id")) != expression_signature(Count("id", distinct=True))
    assert expression_signature(Count("id")) != expression_signature(Sum("id"))
    assert expression_signature(Count("*")) is not None
    for unsupported in (Count("id", filter=Q(status="paid")), Sum("quantity", default=0), Value(1),
                        F("id") + 1, Max("price", output_field=None, extra_option=1)):
        assert expression_signature(unsupported) is None
    assert annotate_signature((), {"n": Count("id"), "v": Value(1)}, True) is None
    assert annotate_signature((Count("id"),), {}, True) != annotate_signature((), {"id__count": Count("id")}, True)


def test_unsupported_arguments_take_the_normal_path(data):
    for status in ("paid", "new", "paid"):
        qs = m.Order.objects.annotate(n=Count("items", filter=Q(items__quantity__gte=2))).filter(status=status)
        plain = normal(m.Order).annotate(n=Count("items", filter=Q(items__quantity__gte=2))).filter(status=status)
        assert qs.query.sql_with_params() == plain.query.sql_with_params()
        assert sorted(qs.values_list("id", "n")) == sorted(plain.values_list("id", "n"))
