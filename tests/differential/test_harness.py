"""The differential harness itself: it must notice every kind of difference it promises to."""
import decimal

import pytest

from tests.differential.harness import Differential, Scalar, case

SOURCE = '''
from django.db import models


class Thing(models.Model):
    name = models.CharField(max_length=20)
    price = models.DecimalField(max_digits=6, decimal_places=2)


class Plain(models.Model):
    name = models.CharField(max_length=20)
'''


def load(ns):
    for i, name in enumerate(["b", "a", "c"]):
        ns.Thing.objects.create(name=name, price=decimal.Decimal("1.50") * i)
        ns.Plain.objects.create(name=name)


diff = Differential(SOURCE, label="diffharness", data=load)
env = diff.fixture()


def test_same_code_same_result(env):
    reference, ours = env.check(case("ordered", lambda ns: ns.Thing.objects.order_by("name")))
    assert len(reference.queries) == 1 and len(ours.queries) == 1
    assert reference.value == ours.value


def test_both_sides_use_their_own_orm(env):
    assert env.django.ns.models.__name__ == "django.db.models"
    assert env.ormlette.ns.models.__name__ == "ormlette.db.models"
    assert env.django.ns.Thing._meta.db_table == env.ormlette.ns.Thing._meta.db_table == "diffharness_thing"
    assert env.django.ns.Thing._meta.app_label == "djapp"


def test_different_results_fail(env):
    with pytest.raises(AssertionError, match="results differ"):
        env.check(case("side", lambda ns: ns.side))


def test_different_exceptions_fail(env):
    def raise_per_side(ns):
        raise (ValueError if ns.side == "django" else TypeError)("boom")

    with pytest.raises(AssertionError, match="results differ"):
        env.check(case("exc", raise_per_side))


def test_different_messages_fail_unless_ignored(env):
    def message_per_side(ns):
        raise ValueError("side %d" % len(ns.side))

    with pytest.raises(AssertionError, match="results differ"):
        env.check(case("msg", message_per_side))
    env.check(case("msg", message_per_side, message=False))


def test_extra_queries_fail(env):
    def extra_query(ns):
        if ns.side == "ormlette":
            ns.Thing.objects.count()
        return ns.Thing.objects.count()

    with pytest.raises(AssertionError, match="ormlette ran 2 queries, Django 1"):
        env.check(case("count", extra_query))


def test_fewer_queries_pass(env):
    def fewer(ns):
        if ns.side == "django":
            ns.Thing.objects.count()
        return 1

    reference, ours = env.check(case("fewer", fewer))
    assert (len(reference.queries), len(ours.queries)) == (1, 0)


def test_types_matter():
    assert Scalar(decimal.Decimal("1.50")) == Scalar(decimal.Decimal("1.5"))
    assert Scalar(decimal.Decimal("1.5")) != Scalar(1.5)
    assert Scalar(1) != Scalar(True)
    assert Scalar(1) != Scalar("1")


def test_unordered_queryset_compared_as_a_set(env):
    env.check(case("unordered", lambda ns: ns.Plain.objects.all()))
    with pytest.raises(AssertionError):
        env.check(case("ordered_differs", lambda ns: list(ns.Plain.objects.order_by(
            "name" if ns.side == "django" else "-name").values_list("name", flat=True))))
    env.check(case("list_unordered", lambda ns: sorted(ns.Plain.objects.values_list("name", flat=True),
                                                        reverse=ns.side == "django"), unordered=True))


def test_mutations_are_rolled_back(env):
    env.check(case("delete", lambda ns: ns.Thing.objects.all().delete(), mutates=True))
    assert env.django.ns.Thing.objects.count() == env.ormlette.ns.Thing.objects.count() == 3


def test_instances_compare_field_values(env):
    def rename_on_ormlette(ns):
        obj = ns.Thing.objects.get(name="a")
        if ns.side == "ormlette":
            obj.name = "z"
        return obj

    with pytest.raises(AssertionError, match="results differ"):
        env.check(case("instance", rename_on_ormlette))
