"""Lookup twins (ormlette/db/models/lookup_twins.py): a recorded filter's cheap lookup construction must
give exactly what the lookup's constructor gives, and must run field preparation wherever a field could
change the value."""
from decimal import Decimal

import pytest

from ormlette.db import models
from ormlette.db.models.fast.lookup_twins import lookup_twin_maker
from tests.backends import clean_tables, use_models
from tests.value_changing_fields import LowerCaseField, PlusOneField
from tests.relations import models as m
from tests.relations.test_recorded import normal


class Tagged(models.Model):
    """Fields whose preparation changes values, next to stock ones."""

    code = LowerCaseField(max_length=20)
    rank = PlusOneField(default=0)
    label = models.CharField(max_length=20, default="")

    class Meta:
        app_label = "lookup_twins"  # no relation to the shared models: their deletion tests see no new table


tables = use_models(*m.ALL, Tagged)
cleanup = clean_tables(Tagged)


def leaf_of(qs):
    (leaf,) = qs.query.where.children
    return leaf


def assert_twin_equals_constructor(leaf, value):
    twin = lookup_twin_maker(leaf, type(value))(value)
    built = type(leaf)(leaf.lhs, value)
    assert type(twin) is type(built)
    assert twin.__dict__.keys() == built.__dict__.keys()
    assert twin.identity == built.identity
    assert type(twin.rhs) is type(built.rhs)


CASES = [
    (lambda: m.Order.objects.filter(status="x"), ["paid", "", "ÿ"]),
    (lambda: m.Order.objects.filter(status__startswith="x"), ["pa", "%_"]),
    (lambda: m.Order.objects.filter(id__gt=1), [5, 2 ** 40]),
    (lambda: m.Order.objects.filter(id__gte=1), [5, 2.5]),
    (lambda: m.Order.objects.filter(customer_id=1), [7, "7"]),
    (lambda: m.Order.objects.filter(customer=1), [7, "7"]),
    (lambda: m.Order.objects.filter(customer__name="a"), ["bob"]),
    (lambda: m.Product.objects.filter(price=Decimal("1.5")), [Decimal("2.25"), 3, "4.5"]),
    (lambda: m.Product.objects.filter(name__in=["a"]), [["a", "b"]]),
    (lambda: Tagged.objects.filter(code="x"), ["MiXeD", "lower"]),
    (lambda: Tagged.objects.filter(rank=1), [1, 41]),
    (lambda: m.OrderItem.objects.filter(order__status="x"), ["Paid"]),
    (lambda: Tagged.objects.filter(label__iexact="x"), ["AbC"]),
]


@pytest.mark.parametrize("case", range(len(CASES)))
def test_twins_equal_the_constructor(tables, case):
    make_qs, values = CASES[case]
    leaf = leaf_of(make_qs())
    for value in values:
        assert_twin_equals_constructor(leaf, value)


def test_preparation_that_changes_values_still_runs(tables):
    code_leaf = leaf_of(Tagged.objects.filter(code="x"))
    assert lookup_twin_maker(code_leaf, str)("MiXeD").rhs == "mixed"
    rank_leaf = leaf_of(Tagged.objects.filter(rank=1))
    assert lookup_twin_maker(rank_leaf, int)(41).rhs == 42
    fk_leaf = leaf_of(m.Order.objects.filter(customer_id=1))
    assert lookup_twin_maker(fk_leaf, str)("7").rhs == 7
    gte_leaf = leaf_of(m.Order.objects.filter(id__gte=1))
    assert lookup_twin_maker(gte_leaf, float)(2.5).rhs == 3


def test_recorded_filters_on_custom_fields_match_rows(tables, cleanup):
    Tagged.objects.create(code="Alpha", rank=0)
    Tagged.objects.create(code="beta", rank=4)
    for _ in range(3):  # later rounds run on the learned template and its twins
        assert [t.code for t in Tagged.objects.filter(code="ALPHA")] == ["alpha"]
        assert [t.code for t in Tagged.objects.filter(code="BeTa", rank=4)] == ["beta"]  # stored and looked up as 5
        assert list(Tagged.objects.filter(rank=5)) == []


def test_recorded_parameters_match_the_normal_path(tables, cleanup):
    shapes = [
        lambda base, v: base(m.Order).filter(status=v[0], customer_id=v[1]).order_by("-id")[:20],
        lambda base, v: base(Tagged).filter(code=v[0], rank=v[1]),
        lambda base, v: base(m.Product).filter(price__lte=Decimal(v[1]), name=v[0]),
        lambda base, v: base(m.OrderItem).filter(order__customer=v[1], product__name__iexact=v[0]),
    ]
    for shape in shapes:
        for values in [("A", 1), ("b", 2), ("C", 3)]:
            recorded = shape(lambda model: model.objects, values)
            plain = shape(normal, values)
            assert recorded.query.sql_with_params() == plain.query.sql_with_params()
