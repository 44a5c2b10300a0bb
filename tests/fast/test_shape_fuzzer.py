"""The shape fuzzer: random queries over the seed models; each warm result (fast paths on, after the same
queries taught them) must equal a cold compile of the same query with the fast paths off. Then 8 threads
run the queries at once over the shared learned structures and must get the same results as one thread.

Seeded and reproducible: ``ORMLETTE_FUZZ_SEED`` picks another seed; a failure prints the query lines.
"""
import os
import random
import threading

import pytest

from ormlette.db import connection
from ormlette.db.models import fast
from tests.backends import VENDOR
from tests.fast.fuzz import QueryGenerator, SeedModels

SEED = int(os.environ.get("ORMLETTE_FUZZ_SEED", "20261204"))
COUNT = int(os.environ.get("ORMLETTE_FUZZ_COUNT", 0)) or {"sqlite": 2000}.get(VENDOR, 500)
THREADS = 8
THREAD_QUERIES = min(COUNT, {"sqlite": 250}.get(VENDOR, 120))


@pytest.fixture(scope="module")
def seed_models():
    models = SeedModels("fuzzseed")
    models.create()
    yield models
    models.drop()


@pytest.fixture(scope="module")
def queries():
    return QueryGenerator(SEED).queries(COUNT)


@pytest.fixture(scope="module")
def cold(seed_models, queries):
    """Every query's outcome with the fast paths off (the general path from QuerySet to compile)."""
    fast.disable()
    try:
        return [seed_models.run(code) for code in queries]
    finally:
        fast.enable()


def _report(title, failures):
    lines = ["%s (seed %d, %d of them; first %d shown):" % (title, SEED, len(failures), min(5, len(failures)))]
    for index, code, got, expected in failures[:5]:
        lines.append("  query %d: %s\n    fast:    %.600r\n    general: %.600r" % (index, code, got, expected))
    return "\n".join(lines)


def test_generator_is_seeded_and_varied():
    first, again = QueryGenerator(7).queries(200), QueryGenerator(7).queries(200)
    assert first == again
    assert first != QueryGenerator(8).queries(200)
    assert len(set(first)) > 100  # skeletons repeat with other values; the lines mostly differ
    for part in (".filter(", ".exclude(", "Q(", "F(", "Func(", "__in=", "=None", ".values(", ".values_list(",
                 ".annotate(", ".order_by(", "[", ".count()", ".aggregate("):
        assert any(part in code for code in first), part


def test_warm_results_equal_cold_compiles(seed_models, queries, cold):
    assert len(queries) == COUNT
    fast.forget()
    learning = [seed_models.run(code) for code in queries]  # cold for the fast paths: they learn here
    warm = [seed_models.run(code) for code in queries]
    failures = [(i, code, got, expected) for i, (code, got, expected) in enumerate(zip(queries, warm, cold))
                if got != expected]
    failures += [(i, code, got, expected) for i, (code, got, expected) in enumerate(zip(queries, learning, cold))
                 if got != expected]
    assert not failures, _report("fast-path results differ from the general path's", failures)
    assert sum(outcome[0] == "ok" for outcome in cold) > COUNT // 2  # the fuzzer mostly builds valid queries


def test_threads_get_the_results_of_one_thread(seed_models, queries, cold):
    subset = list(range(THREAD_QUERIES))
    fast.forget()
    results, errors = {}, []
    barrier = threading.Barrier(THREADS)

    def worker(number):
        order = subset[:]
        random.Random(SEED + number).shuffle(order)
        try:
            barrier.wait()
            results[number] = {i: seed_models.run(queries[i]) for i in order}
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    failures = [(i, queries[i], got[i], cold[i]) for got in results.values() for i in subset if got[i] != cold[i]]
    assert len(results) == THREADS
    assert not failures, _report("results under %d threads differ from one thread's" % THREADS, failures)
