"""Dead connections are discarded: the next query outside the broken block gets a fresh one.

Each test kills only server sessions whose ids it read from its own connections.
"""
import asyncio
import threading

import pytest

from ormlette import db
from ormlette.db import close_old_connections, connections, transaction
from ormlette.db.models.asyncio import run_sync
from tests import backends
from tests.backends import clean_tables, use_models
from tests.connections.helpers import admin, backend_id, extra_alias, kill, needs_server  # noqa: F401 (fixture)
from tests.connections.models import Customer

tables = use_models(Customer)
cleanup = clean_tables(Customer, autouse=True)
pytestmark = [pytest.mark.usefixtures("tables"), needs_server]

SLOW_ID_SQL = {"postgresql": "SELECT pg_backend_pid() FROM pg_sleep(0.2)",
               "mysql": "SELECT CONNECTION_ID() FROM (SELECT SLEEP(0.2)) AS s"}


def slow_backend_id(using="default"):
    """The session id, held for 0.2 s (so concurrent callers hold distinct connections)."""
    with connections[using].cursor() as cursor:
        cursor.execute(SLOW_ID_SQL[backends.VENDOR])
        return cursor.fetchone()[0]


def assert_dead_connection_error(exc):
    assert isinstance(exc, (db.OperationalError, db.InterfaceError))
    assert exc.__cause__ is not None and not isinstance(exc.__cause__, db.Error)


def test_killed_between_queries(admin):  # noqa: F811
    first = backend_id()
    kill(admin, first)
    with pytest.raises(db.Error) as info:
        Customer.objects.count()
    assert_dead_connection_error(info.value)
    assert Customer.objects.count() == 0
    assert backend_id() != first


def test_killed_inside_atomic_breaks_only_that_block(admin):  # noqa: F811
    Customer.objects.create(name="before")
    first = backend_id()
    with transaction.atomic():
        Customer.objects.create(name="lost")
        kill(admin, first)
        with pytest.raises(db.Error) as info:
            Customer.objects.count()
        assert_dead_connection_error(info.value)
        # Django's rule: the block is broken until it is left.
        with pytest.raises(transaction.TransactionManagementError):
            Customer.objects.count()
        with pytest.raises(transaction.TransactionManagementError):
            with transaction.atomic():
                Customer.objects.create(name="nested")
    assert list(Customer.objects.values_list("name", flat=True)) == ["before"]
    assert backend_id() != first


def test_killed_inside_atomic_exception_propagating(admin):  # noqa: F811
    first = backend_id()
    with pytest.raises(db.Error):
        with transaction.atomic():
            Customer.objects.create(name="lost")
            kill(admin, first)
            Customer.objects.create(name="lost too")
    assert Customer.objects.count() == 0
    with transaction.atomic():
        Customer.objects.create(name="kept")
    assert Customer.objects.count() == 1


def fill_pool(alias, size):
    """Have ``size`` threads hold connections of ``alias`` at once; return their session ids (now idle)."""
    ids, barrier = [], threading.Barrier(size)

    def worker():
        barrier.wait(30)
        ids.append(slow_backend_id(alias))
        connections[alias].close()
    threads = [threading.Thread(target=worker) for _ in range(size)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(set(ids)) == size
    return ids


def failures_after_killing_idle(admin, alias, size):  # noqa: F811
    ids = fill_pool(alias, size)
    for session in ids:
        kill(admin, session)
    failures = 0
    for _ in range(size + 1):
        try:
            Customer.objects.using(alias).count()
        except db.Error as exc:
            assert_dead_connection_error(exc)
            failures += 1
        connections[alias].close()  # back to the pool: the next try checks another one out
    return failures


def test_one_disconnect_invalidates_the_other_idle_pooled_connections(admin):  # noqa: F811
    with extra_alias("pool4", OPTIONS={"pool_size": 4, "max_overflow": 0}) as alias:
        assert failures_after_killing_idle(admin, alias, 4) == 1


def test_health_checks_ping_before_reuse(admin):  # noqa: F811
    with extra_alias("pool4hc", CONN_HEALTH_CHECKS=True, OPTIONS={"pool_size": 4, "max_overflow": 0}) as alias:
        assert failures_after_killing_idle(admin, alias, 4) == 0
        # The thread's own connection: pinged on first use after close_old_connections().
        first = backend_id(connections[alias])
        kill(admin, first)
        close_old_connections()
        assert Customer.objects.using(alias).count() == 0
        assert backend_id(connections[alias]) != first


# -- async -------------------------------------------------------------------------------

def test_async_killed_between_queries(admin):  # noqa: F811
    async def main():
        first = await run_sync(backend_id)
        kill(admin, first)
        errors = 0
        for _ in range(2):
            try:
                assert await Customer.objects.acount() == 0
            except db.Error as exc:
                assert_dead_connection_error(exc)
                errors += 1
        return first, errors, await run_sync(backend_id)
    first, errors, second = asyncio.run(main())
    assert errors <= 1 and second != first


def test_async_killed_inside_atomic(admin):  # noqa: F811
    async def main():
        with pytest.raises(db.Error) as info:
            async with transaction.atomic():
                await Customer.objects.acreate(name="lost")
                kill(admin, await run_sync(backend_id))
                await Customer.objects.acount()
        assert_dead_connection_error(info.value)
        async with transaction.atomic():
            await Customer.objects.acreate(name="kept")
        return [c.name async for c in Customer.objects.all()]
    assert asyncio.run(main()) == ["kept"]


def async_failures_after_killing_idle(admin, alias, size):  # noqa: F811
    async def main():
        ids = await asyncio.gather(*(run_sync(slow_backend_id, alias, using=alias) for _ in range(size)))
        assert len(set(ids)) == size
        for session in ids:
            kill(admin, session)
        failures = 0
        for _ in range(size + 1):
            try:
                await Customer.objects.using(alias).acount()
            except db.Error as exc:
                assert_dead_connection_error(exc)
                failures += 1
        return failures
    return asyncio.run(main())


def test_async_one_disconnect_invalidates_the_pool(admin):  # noqa: F811
    with extra_alias("apool4", OPTIONS={"pool_size": 4, "max_overflow": 0}) as alias:
        assert async_failures_after_killing_idle(admin, alias, 4) == 1


def test_async_health_checks(admin):  # noqa: F811
    with extra_alias("apool4hc", CONN_HEALTH_CHECKS=True, OPTIONS={"pool_size": 4, "max_overflow": 0}) as alias:
        assert async_failures_after_killing_idle(admin, alias, 4) == 0
