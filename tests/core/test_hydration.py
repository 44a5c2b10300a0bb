"""Rows to objects: the generated per-shape builders, backend converters, the get() shortcut, iterator()."""
import datetime
import decimal
import uuid

import pytest

from ormlette.db import connections
from ormlette.db.models import signals
from ormlette.db.models.base import ModelState
from ormlette.db.models.fast.row_builders import (
    child_builder, dict_builder, instance_builder, tuple_builder, value_builder,
)
from tests.backends import VENDOR, clean_tables, use_models
from tests.core.models import Item, Note

tables = use_models(Item, Note)
cleanup = clean_tables(Item, Note, autouse=True)
pytestmark = pytest.mark.usefixtures("tables")

WHEN = datetime.datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=datetime.timezone.utc)


def _item(**kwargs):
    values = {"title": "t", "price": decimal.Decimal("12.30"), "released": datetime.date(2024, 1, 2),
              "alarm": datetime.time(3, 4, 5), "published": True}
    values.update(kwargs)
    return Item.objects.create(**values)


# -- generated builders (no database) ----------------------------------------------------------
def test_tuple_builder_cuts_reorders_and_converts():
    build = tuple_builder((2, 0), {2: (str,)})
    assert build([(1, "x", 3, "hidden")]) == [("3", 1)]
    assert tuple_builder((), {})([(1,)]) == [()]


def test_dict_and_value_builders():
    assert dict_builder(["a", "b c"], {1: (int, abs)})([(1, "-2")]) == [{"a": 1, "b c": 2}]
    assert value_builder({0: (str,)})([(5, 6)]) == ["5"]


def test_instance_builder_sets_state_without_init():
    class State:
        def __init__(self, db, adding):
            self.db, self.adding = db, adding

    class Plain:
        def __init__(self):
            raise AssertionError("not called")

    build = instance_builder(Plain, ("a", "b"), {1: (str,)}, State)
    (obj,) = build([(1, 2, "extra")], "other")
    assert (obj.a, obj.b, obj._state.db, obj._state.adding) == (1, "2", "other", False)


def test_child_builder_groups_by_converted_key_and_caches_parents():
    class State:
        def __init__(self, db, adding):
            self.db, self.adding = db, adding

    class Child:
        pass

    parents = {1: "one", 2: "two"}
    build = child_builder(Child, ("id", "parent_id", "name"), {1: (int,), 2: (str.upper,)}, State, 1, "parent")
    objs, groups = build([(10, "2", "a"), (11, "1", "b"), (12, "2", "c")], "other", parents)
    assert [(o.id, o.parent_id, o.name) for o in objs] == [(10, 2, "A"), (11, 1, "B"), (12, 2, "C")]
    assert {key: [o.id for o in group] for key, group in groups.items()} == {2: [10, 12], 1: [11]}
    assert [(o._state.fields_cache, o._state.db, o._state.adding) for o in objs[:2]] == [
        ({"parent": "two"}, "other", False), ({"parent": "one"}, "other", False)]
    with pytest.raises(KeyError):
        build([(13, "3", "d")], "other", parents)


def test_child_builder_primes_the_next_level():
    class Child:
        pass

    parents = {1: "one", 2: "two"}
    converters = {1: (int,), 2: (int,)}
    build = child_builder(Child, ("id", "parent_id", "other_id"), converters, ModelState, 1, "parent", 2)
    caches, keys = [], []
    objs, groups = build([(10, "2", "7"), (11, "1", "8")], "default", parents, caches, keys)
    assert [(o.other_id, o._prefetched_objects_cache) for o in objs] == [(7, {}), (8, {})]
    assert keys == [7, 8] and [c is o._state.fields_cache for c, o in zip(caches, objs)] == [True, True]
    assert caches == [{"parent": "two"}, {"parent": "one"}]
    # The next level through the parent's own key: the key read once serves both.
    build = child_builder(Child, ("id", "parent_id"), converters, ModelState, 1, "parent", 1)
    keys = []
    build([(12, "2")], "default", parents, [], keys)
    assert keys == [2]


# -- types returned --------------------------------------------------------------------------------
def test_model_values_have_django_types():
    _item(created=WHEN)
    obj = Item.objects.get(title="t")
    assert type(obj.price) is decimal.Decimal and obj.price == decimal.Decimal("12.30")
    assert obj.price.as_tuple().exponent == -2
    assert type(obj.created) is datetime.datetime and obj.created.tzinfo is not None
    assert obj.released == datetime.date(2024, 1, 2) and obj.alarm == datetime.time(3, 4, 5)
    assert obj.published is True and isinstance(obj.uid, uuid.UUID)
    assert obj._state.adding is False and obj._state.db == "default"


def test_values_and_values_list_convert_like_instances():
    _item()
    row = Item.objects.values("price", "published", "released").get()
    assert row == {"price": decimal.Decimal("12.30"), "published": True, "released": datetime.date(2024, 1, 2)}
    assert list(Item.objects.values_list("published", "price")) == [(True, decimal.Decimal("12.30"))]
    assert list(Item.objects.values_list("price", flat=True)) == [decimal.Decimal("12.30")]
    named = Item.objects.values_list("title", "published", named=True).get()
    assert (named.title, named.published) == ("t", True)


def test_whole_number_decimal_keeps_its_places():
    _item(price=decimal.Decimal("7"))
    assert str(Item.objects.get().price) == "7.00"


def test_aware_datetimes_round_trip_exactly():
    Note.objects.create(text="a", when=WHEN)
    assert Note.objects.get(text="a").when == WHEN
    assert list(Note.objects.values_list("when", flat=True)) == [WHEN]


@pytest.mark.skipif(VENDOR != "sqlite", reason="SQLite stores datetimes as text")
def test_sqlite_datetime_converter_reads_other_stored_forms():
    from ormlette.db.backends.sqlite3.converters import aware_datetime

    utc = datetime.timezone.utc
    assert aware_datetime("2024-01-02 03:04:05") == datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=utc)
    assert aware_datetime("2024-01-02") == datetime.datetime(2024, 1, 2, tzinfo=utc)
    plus_two = aware_datetime("2024-01-02 03:04:05+02:00")
    assert plus_two.utcoffset() == datetime.timedelta(hours=2)
    assert aware_datetime(None) is None


@pytest.mark.skipif(VENDOR != "sqlite", reason="SQLite returns REAL for decimal columns")
def test_sqlite_decimal_converter_matches_djangos_rounding():
    from ormlette.db.backends.sqlite3.converters import decimal_field_converter

    field = Item._meta.get_field("price")
    convert = decimal_field_converter(field)
    assert str(convert(1.015)) == "1.02"  # 15 significant digits first, then the field's places
    assert str(convert(3)) == "3.00" and convert(None) is None
    with pytest.raises(decimal.InvalidOperation):
        convert(1e20)  # more digits than max_digits



def test_converters_only_where_the_backend_needs_them():
    ops = connections["default"].ops
    price, title = Item._meta.get_field("price"), Item._meta.get_field("title")
    assert ops.get_db_converters(title) == ()
    assert bool(ops.get_db_converters(price)) == (VENDOR == "sqlite")


# -- from_db, signals, deferred fields ------------------------------------------------------------
def test_init_signals_only_and_always_when_listened_to():
    pk = _item().pk
    Item.objects.get(pk=pk)  # the get() shortcut has learned this shape before anyone listens
    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance.title)

    signals.post_init.connect(receiver, sender=Item)
    try:
        assert Item.objects.get(pk=pk).title == "t"
        list(Item.objects.all())
    finally:
        signals.post_init.disconnect(receiver, sender=Item)
    assert seen == ["t", "t"]


def test_deferred_fields_load_on_access():
    _item()
    obj = Item.objects.defer("price").get()
    assert "price" not in obj.__dict__
    assert obj.price == decimal.Decimal("12.30")


def test_assigning_a_deferred_field_stores_it_without_a_query():
    from ormlette.db.models.query_utils import DeferredAttribute
    from ormlette.test.utils import assert_num_queries

    assert not hasattr(DeferredAttribute, "__set__")  # a non-data descriptor, as Django's
    _item()
    obj = Item.objects.defer("price").get()
    with assert_num_queries(0):
        obj.price = decimal.Decimal("1.50")
        assert obj.price == decimal.Decimal("1.50") and obj.__dict__["price"] == decimal.Decimal("1.50")
    assert obj.get_deferred_fields() == set()


# -- the get() shortcut ------------------------------------------------------------------------------
def test_fast_get_matches_the_general_path():
    first = Note.objects.create(text="a", n=1, when=WHEN)
    Note.objects.create(text="b", n=1, when=WHEN)
    for _ in range(3):  # learn the shape, then take the shortcut
        assert Note.objects.get(pk=first.pk).when == WHEN
        assert Note.objects.get(text="a").pk == first.pk
        with pytest.raises(Note.DoesNotExist):
            Note.objects.get(pk=first.pk + 100)
        with pytest.raises(Note.MultipleObjectsReturned):
            Note.objects.get(n=1)
    assert Note.objects.filter(text="b").get(n=1).text == "b"


# -- iterator() ----------------------------------------------------------------------------------------
def test_iterator_streams_in_chunks_with_converted_values():
    Note.objects.bulk_create([Note(text="n%d" % i, n=i, when=WHEN) for i in range(25)])
    notes = list(Note.objects.order_by("n").iterator(chunk_size=4))
    assert [n.n for n in notes] == list(range(25)) and notes[0].when == WHEN
    assert list(Note.objects.order_by("n").values_list("n", flat=True).iterator(chunk_size=7)) == list(range(25))


def test_iterator_allows_other_queries_while_it_is_open():
    Note.objects.bulk_create([Note(text="n%d" % i, n=i) for i in range(5)])
    seen = [(note.n, Note.objects.filter(n__lt=note.n).count()) for note in Note.objects.order_by("n").iterator(2)]
    assert seen == [(i, i) for i in range(5)]


@pytest.mark.skipif(VENDOR != "postgresql", reason="PostgreSQL streams through a named cursor")
def test_postgresql_iterator_uses_a_server_side_cursor():
    from ormlette.db.backends.postgresql.streaming import StreamingCursor

    Note.objects.bulk_create([Note(text="n%d" % i, n=i) for i in range(3)])
    connection = connections["default"]
    connection.ensure_connection()
    cursor = connection.ops.streaming_cursor()
    assert isinstance(cursor, StreamingCursor) and cursor.name
    cursor.close()
    with connection.execute_wrapper(lambda execute, sql, params, many, context: (
            seen.append(type(context["cursor"])), execute(sql, params, many, context))[1]):
        seen = []
        assert sorted(n.n for n in Note.objects.iterator(chunk_size=2)) == [0, 1, 2]
    assert seen == [StreamingCursor]


@pytest.mark.skipif(VENDOR != "postgresql", reason="PostgreSQL streams through a named cursor")
def test_postgresql_abandoned_iterators_close_their_cursors():
    import gc

    from ormlette.db import transaction

    Note.objects.bulk_create([Note(text="n%d" % i, n=i) for i in range(6)])
    outside = Note.objects.iterator(chunk_size=2)
    next(outside)
    with transaction.atomic():
        inside = Note.objects.iterator(chunk_size=2)
        next(inside)
    del outside, inside
    gc.collect()
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_cursors")
        assert cursor.fetchone()[0] == 0
    assert Note.objects.count() == 6


def test_builders_call_a_state_constructor_that_does_more():
    class CountingState:
        made = 0

        def __init__(self, db, adding):
            self.db, self.adding = db, adding
            CountingState.made += 1

    class SlottedState:
        __slots__ = ("db", "adding")

        def __init__(self, db, adding):
            self.db, self.adding = db, adding

    class Plain:
        pass

    for state_class in (CountingState, SlottedState):
        (obj,) = instance_builder(Plain, ("a",), {}, state_class)([(1,)], "other")
        assert (type(obj._state), obj._state.db, obj._state.adding) == (state_class, "other", False)
    assert CountingState.made == 1  # called once, for the one instance
    # ModelState only stores its arguments: its construction is written out (no __init__ call per row).
    assert ModelState("db", False).__dict__ == {"db": "db", "adding": False}
    assert "new_state(ModelState)" in instance_builder(Plain, ("a",), {}, ModelState).source
