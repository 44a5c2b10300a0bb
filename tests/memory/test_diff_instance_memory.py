"""Memory held by the instances of a ``list()`` against Django 5.2 (tracemalloc, same process), and the
instance layout the row builders give: attributes in the class's shared-key layout, ModelState on first read."""
import gc
import tracemalloc

import pytest

from ormlette.db.models.base import SAVED_ON_KEY, ModelState
from tests.differential.harness import Differential

SOURCE = '''
from django.db import models


class Buyer(models.Model):
    name = models.CharField(max_length=30)


class Ticket(models.Model):
    buyer = models.ForeignKey(Buyer, on_delete=models.CASCADE, related_name="tickets")
    status = models.CharField(max_length=20)
    seat = models.IntegerField()
    created = models.DateTimeField()


class Line(models.Model):
    ticket_ref = models.BigIntegerField()
    quantity = models.IntegerField()
    price = models.DecimalField(max_digits=10, decimal_places=2)
'''

ROWS = 4000


def load(ns):
    import datetime
    import decimal

    when = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)
    buyers = ns.Buyer.objects.bulk_create([ns.Buyer(name="b%d" % i) for i in range(20)])
    ns.Buyer.objects.count()
    buyers = list(ns.Buyer.objects.order_by("pk"))
    ns.Ticket.objects.bulk_create([
        ns.Ticket(buyer=buyers[i % 20], status=("paid", "pending")[i % 2], seat=i * 7, created=when)
        for i in range(ROWS)])
    ns.Line.objects.bulk_create([
        ns.Line(ticket_ref=i * 1000, quantity=i % 5, price=decimal.Decimal("%d.%02d" % (i % 90, i % 100)))
        for i in range(ROWS)])


env = Differential(SOURCE, label="memlist", data=load).fixture()


def held(make):
    """Bytes still allocated (tracemalloc) after ``make()``, while its result is alive."""
    make()  # warm: compiled builders, shape caches, connection
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        result = make()
        gc.collect()
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert len(result) == ROWS
    return after - before


@pytest.mark.parametrize("model", ["Ticket", "Line"])
def test_list_holds_at_most_nine_tenths_of_djangos_memory(env, model):
    ours = held(lambda: list(getattr(env.ormlette.ns, model).objects.all()))
    theirs = held(lambda: list(getattr(env.django.ns, model).objects.all()))
    assert ours <= 0.9 * theirs, (ours / ROWS, theirs / ROWS)


def test_loaded_instances_build_their_state_on_first_read(env):
    from ormlette.db import connection

    ticket = env.ormlette.ns.Ticket.objects.order_by("pk").first()
    data = ticket.__dict__
    assert "_state" not in data and data[SAVED_ON_KEY] == connection.alias
    state = ticket._state
    assert type(state) is ModelState and state.db == connection.alias and state.adding is False
    assert ticket._state is state and SAVED_ON_KEY not in ticket.__dict__
    ticket.seat += 1
    ticket.save(update_fields=["seat"])  # an update: the built state says the row exists
    assert env.ormlette.ns.Ticket.objects.get(pk=ticket.pk).seat == ticket.seat


def test_instances_share_the_class_keys(env):
    lines = list(env.ormlette.ns.Line.objects.all()[:50])
    tickets = list(env.ormlette.ns.Ticket.objects.all()[:50])
    for objs in (lines, tickets):
        # A dict with its own keys (what dict.update() gave) is larger than one sharing the class's.
        assert all(len(o.__dict__) == len(objs[0].__dict__) for o in objs)
        assert sum(map(_dict_size, objs)) < sum(_dict_size(dict(o.__dict__)) for o in objs)
    assert {o.ticket_ref for o in lines} <= set(range(0, ROWS * 1000, 1000)) and len({o.pk for o in lines}) == 50


def _dict_size(obj):
    import sys

    return sys.getsizeof(obj.__dict__ if not isinstance(obj, dict) else obj)


class _Stored:
    """Records a data descriptor's and __setattr__'s calls (the builders must not run either)."""

    calls = []

    def __get__(self, instance, owner=None):
        return self if instance is None else instance.__dict__["b"]

    def __set__(self, instance, value):
        self.calls.append(("descriptor", value))


def test_builders_bypass_data_descriptors_and_setattr():
    from ormlette.db.models.base import LazyModelState
    from ormlette.db.models.fast.row_builders import instance_builder

    class Plain:
        _state = LazyModelState()

    class WithDescriptor(Plain):
        b = _Stored()

    class WithSetattr(Plain):
        def __setattr__(self, name, value):
            _Stored.calls.append(("setattr", name))

    class OwnState:
        pass

    _Stored.calls.clear()
    for cls in (Plain, WithDescriptor, WithSetattr):
        obj, = instance_builder(cls, ["a", "b"], {1: (str,)}, ModelState)([(1, 2)], "other")
        assert type(obj) is cls and obj.__dict__ == {"a": 1, "b": "2", SAVED_ON_KEY: "other"}
        assert (obj._state.db, obj._state.adding) == ("other", False)
    assert _Stored.calls == []
    obj, = instance_builder(OwnState, ["a"], {}, ModelState)([(5,)], "default")
    assert obj.a == 5 and (obj._state.db, obj._state.adding) == ("default", False)
