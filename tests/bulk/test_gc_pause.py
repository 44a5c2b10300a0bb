"""gc_paused: the collector is off inside, restored by the pause that turned it off, nested pauses shared;
large batches are promoted to the oldest generation when the pause ends."""
import gc

import pytest

from ormlette.db.models.fast.gc_pause import PROMOTE_MIN_OBJECTS, gc_paused
from tests.backends import clean_tables, use_models
from tests.bulk.models import Tag


@pytest.fixture(autouse=True)
def collector_enabled():
    was = gc.isenabled()
    gc.enable()
    yield
    (gc.enable if was else gc.disable)()


def test_pause_restores_the_collector_even_on_errors():
    with pytest.raises(RuntimeError):
        with gc_paused():
            assert not gc.isenabled()
            raise RuntimeError
    assert gc.isenabled()


def test_nested_pauses_enable_once_at_the_end():
    with gc_paused():
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_collector_disabled_by_the_caller_stays_disabled():
    gc.disable()
    with gc_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()


def _in_oldest_generation(obj):
    return any(o is obj for o in gc.get_objects(generation=2))


def test_the_end_of_a_pause_promotes_the_objects_built_inside():
    with gc_paused():
        built = [{"n": [i]} for i in range(PROMOTE_MIN_OBJECTS)]
    assert _in_oldest_generation(built[3]) and gc.get_count()[0] < 100


def test_a_pause_that_built_few_objects_leaves_them_young():
    gc.collect()
    with gc_paused():
        built = [[i] for i in range(10)]
    assert not _in_oldest_generation(built[3])


def test_frozen_objects_stay_frozen():
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with gc_paused():
            built = [[i] for i in range(PROMOTE_MIN_OBJECTS)]
        assert gc.get_freeze_count() == frozen and not _in_oldest_generation(built[0])
    finally:
        gc.unfreeze()


tables = use_models(Tag)
cleanup = clean_tables(Tag)


def test_a_large_queryset_evaluation_promotes_its_instances(tables, cleanup):
    Tag.objects.bulk_create([Tag(name="t%d" % i) for i in range(PROMOTE_MIN_OBJECTS + 5)])
    tags = list(Tag.objects.order_by("pk"))
    assert gc.isenabled()
    assert _in_oldest_generation(tags[0]) and _in_oldest_generation(tags[-1]._state)
    small = list(Tag.objects.order_by("pk")[:10])  # below the threshold: left to the young passes
    assert not _in_oldest_generation(small[0])
