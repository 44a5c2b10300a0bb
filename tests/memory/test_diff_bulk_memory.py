"""bulk_create() of a generator against Django 5.2: rows built batch by batch, so the peak memory
(tracemalloc, same process) stays at most Django's; pks come back in order across batches."""
import decimal
import gc
import tracemalloc

import pytest

from tests.differential.harness import Differential

SOURCE = '''
from django.db import models


class Reading(models.Model):
    sensor = models.BigIntegerField()
    level = models.IntegerField()
    value = models.DecimalField(max_digits=10, decimal_places=2)
'''

ROWS = 24000
VALUES = [decimal.Decimal("%d.%02d" % (i % 90, i % 100)) for i in range(100)]

env = Differential(SOURCE, label="membulk").fixture()


def _readings(model, n, offset=0):
    return (model(sensor=offset + i, level=i % 7, value=VALUES[i % 100]) for i in range(n))


def _peak(ns):
    model = ns.Reading
    model.objects.bulk_create(_readings(model, 50))  # warm: generated row code, connection
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        objs = model.objects.bulk_create(_readings(model, ROWS))
        peak = tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()
    assert len(objs) == ROWS
    model.objects.all().delete()
    return peak


def test_generator_bulk_create_peaks_no_higher_than_django(env):
    ours, theirs = _peak(env.ormlette.ns), _peak(env.django.ns)
    assert ours <= theirs, (ours / ROWS, theirs / ROWS)


@pytest.mark.parametrize("batch_size", [None, 1000])
def test_rows_are_built_one_batch_at_a_time(env, monkeypatch, batch_size):
    from ormlette.db import connection
    from ormlette.db.models.query import bulk

    model = env.ormlette.ns.Reading
    seen = []
    real = bulk.row_values_function

    def spy(*args):
        build = real(*args)

        def counted(objs):
            seen.append(len(objs))
            return build(objs)
        return counted

    monkeypatch.setattr(bulk, "ROW_BATCH", 2500)
    monkeypatch.setattr(bulk, "row_values_function", spy)
    objs = model.objects.bulk_create(_readings(model, 6000, offset=10 ** 6), batch_size=batch_size)
    try:
        assert max(seen) == (batch_size or 2500) and sum(seen) == 6000
        if connection.features.can_return_rows_from_bulk_insert:
            by_pk = dict(model.objects.filter(sensor__gte=10 ** 6).values_list("pk", "sensor"))
            assert all(by_pk[o.pk] == o.sensor for o in objs)
        assert model.objects.filter(sensor__gte=10 ** 6).count() == 6000
    finally:
        model.objects.all().delete()
