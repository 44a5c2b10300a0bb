"""aggregate() and count() of recorded querysets (recipe_aggregates.py): every result and error must equal
the normal path's, for every filter value, after the aggregation template is learned."""
from decimal import Decimal

import pytest

from ormlette.core.exceptions import FieldError
from ormlette.db import connection
from ormlette.db.models import Avg, Count, F, Max, Min, Q, Sum
from ormlette.db.models.fast.recipe_signatures import expression_signature
from ormlette.test.utils import CaptureQueriesContext
from tests.relations import models as m
from tests.relations.test_recorded import normal


def shapes(base):
    """Aggregations (callables of filter values) built on ``base(model)``."""
    return [
        lambda v: base(m.Order).count(),
        lambda v: base(m.Order).filter(status=v["status"]).count(),
        lambda v: base(m.Order).filter(customer_id=v["customer"], status=v["status"]).count(),
        lambda v: base(m.OrderItem).filter(quantity__gte=v["qty"]).aggregate(
            n=Count("id"), q=Sum("quantity"), hi=Max("quantity"), lo=Min("quantity"), avg=Avg("quantity")),
        lambda v: base(m.OrderItem).filter(order__customer__name=v["name"]).aggregate(Sum("quantity"), Count("id")),
        lambda v: base(m.Order).filter(items__quantity__gte=v["qty"]).count(),
        lambda v: base(m.Order).filter(status=v["status"]).aggregate(c=Count("items", distinct=True)),
        lambda v: base(m.Product).filter(price__gte=Decimal(v["qty"])).aggregate(mx=Max("price"), mn=Min("price")),
        lambda v: base(m.Order).filter(status=v["status"]).order_by("id").count(),
        lambda v: base(m.Order).filter(status=v["status"]).distinct().count(),
        lambda v: base(m.Order).filter(status=v["status"])[: v["qty"] + 1].count(),
        lambda v: base(m.Order).values("status").annotate(n=Count("id")).aggregate(total=Sum("n")),
    ]


VALUES = [
    {"status": "paid", "customer": 1, "qty": 1, "name": "alice"},
    {"status": "new", "customer": 2, "qty": 2, "name": "bob"},
    {"status": "gone", "customer": 3, "qty": 9, "name": "nobody"},
]


@pytest.mark.parametrize("shape", range(len(shapes(normal))))
def test_recorded_aggregations_equal_the_normal_path(data, shape):
    customers = [data.alice.pk, data.bob.pk, data.carol.pk]
    for _ in range(3):  # later rounds run on the learned aggregation templates
        for raw in VALUES:
            values = dict(raw, customer=customers[raw["customer"] - 1])
            with CaptureQueriesContext(connection) as recorded_queries:
                recorded = shapes(lambda model: model.objects)[shape](values)
            with CaptureQueriesContext(connection) as plain_queries:
                plain = shapes(normal)[shape](values)
            assert recorded == plain
            assert [q["sql"] for q in recorded_queries.captured_queries] == [
                q["sql"] for q in plain_queries.captured_queries]


def test_the_template_is_learned_and_used(data):
    for status in ("paid", "new", "paid"):
        m.Order.objects.filter(status=status).count()
    recipe = m.Order.objects.filter(status="x")._recipe
    count_signature = ("aggregate", (("__count", expression_signature(Count("*"))),))
    learned = recipe.aggregations[count_signature]
    assert learned and learned.query is not None and len(learned.leaves) == 1
    assert m.Order.objects.filter(status="paid").count() == 2
    assert m.Order.objects.filter(status="new").count() == 1


def test_errors_repeat_on_every_call(data):
    for _ in range(3):
        with pytest.raises(FieldError):
            m.Order.objects.filter(status="paid").aggregate(x=Sum("nope"))
        with pytest.raises(TypeError):
            m.Order.objects.aggregate(x=F("id"))
    assert m.Order.objects.aggregate() == {}


def test_names_and_arguments_are_part_of_the_signature(data):
    for _ in range(2):
        assert m.OrderItem.objects.aggregate(a=Count("id")) == {"a": 3}
        assert m.OrderItem.objects.aggregate(b=Count("id")) == {"b": 3}
        assert m.OrderItem.objects.aggregate(a=Count("product", distinct=True)) == {"a": 2}
        assert m.OrderItem.objects.aggregate(a=Sum("quantity")) == {"a": 8}
        assert m.OrderItem.objects.aggregate(a=Sum("quantity", filter=Q(quantity__gte=2))) == {"a": 7}


def test_aggregations_over_no_rows(data):
    for _ in range(2):
        assert m.OrderItem.objects.filter(quantity__gt=100).aggregate(s=Sum("quantity"), c=Count("id")) == {
            "s": None, "c": 0}
        assert m.Order.objects.filter(status="none").count() == 0


def test_evaluated_querysets_still_count_their_cache(data):
    qs = m.Order.objects.filter(status="paid")
    list(qs)
    with CaptureQueriesContext(connection) as ctx:
        assert qs.count() == 2
    assert ctx.captured_queries == []
