"""The sync-in-async guard: SynchronousOnlyOperation from sync calls in a running loop, naming the twin."""
import asyncio
import sys
import types

import pytest

from ormlette.core.exceptions import SynchronousOnlyOperation
from ormlette.db import connection, connections, transaction
from tests.backends import clean_tables, use_models
from tests.connections.helpers import admin, needs_server, server_count, settled_count, stable_count  # noqa: F401 (fixture)
from tests.connections.models import Customer, Order

tables = use_models(Customer, Order)
cleanup = clean_tables(Customer, Order, autouse=True)
pytestmark = pytest.mark.usefixtures("tables")


@pytest.fixture
def data():
    customer = Customer.objects.create(name="ann", notes="long")
    Order.objects.create(customer=customer, total=3)
    connections.close_all()
    return customer


def refused(coro_fn):
    """Run ``coro_fn()`` in a fresh loop; return the SynchronousOnlyOperation message it raised."""
    async def main():
        with pytest.raises(SynchronousOnlyOperation) as info:
            await coro_fn()
        return str(info.value)
    return asyncio.run(main())


def checked_out():
    return connection.engine.pool.checkedout()


@pytest.mark.parametrize("call, twin", [
    (lambda c: Customer.objects.get(pk=c.pk), "aget()"),
    (lambda c: Customer.objects.filter(name="ann").get(), "aget()"),
    (lambda c: Customer.objects.count(), "acount()"),
    (lambda c: Customer.objects.first(), "afirst()"),
    (lambda c: list(Customer.objects.all()), "async for"),
    (lambda c: Customer.objects.create(name="x"), "acreate()"),
    (lambda c: Customer.objects.filter(pk=c.pk).update(name="y"), "aupdate()"),
    (lambda c: c.save(), "asave()"),
    (lambda c: c.delete(), "adelete()"),
    (lambda c: c.refresh_from_db(), "arefresh_from_db()"),
    (lambda c: transaction.atomic().__enter__(), "async with transaction.atomic()"),
])
def test_sync_entry_points_are_refused_with_the_async_twin(data, call, twin):
    before = checked_out()

    async def use():
        call(data)
    message = refused(use)
    assert twin in message and "ORMLETTE_ALLOW_ASYNC_UNSAFE" in message
    assert checked_out() == before
    assert Customer.objects.get(pk=data.pk).name == "ann"  # nothing was written


def test_lazy_related_and_deferred_loads_are_refused(data):
    async def related():
        order = await Order.objects.afirst()
        return order.customer.name

    async def deferred():
        customer = await Customer.objects.defer("notes").aget(pk=data.pk)
        return customer.notes

    assert "select_related()" in refused(related)
    assert "arefresh_from_db" in refused(deferred)


def test_the_get_shortcut_and_kept_cursor_are_refused(data):
    # Warm the get() shortcut and the kept cursor on this thread's connection first.
    for _ in range(3):
        Customer.objects.get(pk=data.pk)

    async def use():
        Customer.objects.get(pk=data.pk)
    assert "aget()" in refused(use)


def test_the_thread_connection_is_refused_inside_the_loop_too(data):
    Customer.objects.get(pk=data.pk)
    wrapper = connections["default"]

    def in_callback(future):
        try:
            Customer.objects.get(pk=data.pk)
        except SynchronousOnlyOperation as exc:
            future.set_result(exc)
        else:
            future.set_result(None)

    async def main():
        future = asyncio.get_running_loop().create_future()
        asyncio.get_running_loop().call_soon(in_callback, future)  # a callback runs outside any task
        return await future
    assert isinstance(asyncio.run(main()), SynchronousOnlyOperation)
    assert wrapper.connection is not None  # the thread's connection is kept for sync use
    assert Customer.objects.get(pk=data.pk).name == "ann"


def test_async_twins_still_work_and_a_thread_is_fine(data):
    async def main():
        assert (await Customer.objects.aget(pk=data.pk)).name == "ann"
        async with transaction.atomic():
            await Customer.objects.acreate(name="bob")
        return await asyncio.to_thread(lambda: Customer.objects.count())
    assert asyncio.run(main()) == 2


def test_allow_async_unsafe_env_turns_it_off_without_leaking(data, monkeypatch):
    monkeypatch.setenv("ORMLETTE_ALLOW_ASYNC_UNSAFE", "1")
    before = checked_out()

    async def task():
        return Customer.objects.get(pk=data.pk).name

    async def main():
        return await asyncio.gather(*(task() for _ in range(8)))
    assert asyncio.run(main()) == ["ann"] * 8
    assert checked_out() == before  # each task's connection went back when the task ended


def test_ipython_kernel_allows_sync_calls_by_default(data, monkeypatch):
    fake = types.ModuleType("IPython")
    fake.get_ipython = lambda: object()
    monkeypatch.setitem(sys.modules, "IPython", fake)
    before = checked_out()

    async def cell():
        order = Order.objects.select_related("customer").get()
        return order.customer.name, Customer.objects.count()
    assert asyncio.run(cell()) == ("ann", 1)
    assert checked_out() == before


def test_share_with_async_runs_twins_on_the_shared_connection(data):
    """The seam for test isolation (ormlette.test): async code sees the test's open transaction."""
    with transaction.atomic():
        Customer.objects.create(name="uncommitted")
        connections.share_with_async("default", connections["default"])
        try:
            async def main():
                names = [c.name async for c in Customer.objects.order_by("name")]
                async with transaction.atomic():
                    await Customer.objects.acreate(name="inner")
                with pytest.raises(SynchronousOnlyOperation):
                    Customer.objects.count()
                return names, await Customer.objects.acount()
            names, count = asyncio.run(main())
        finally:
            connections.share_with_async("default", None)
        transaction.set_rollback(True)
    assert names == ["ann", "uncommitted"] and count == 3
    assert Customer.objects.count() == 1


@needs_server
def test_sync_calls_in_tasks_leak_no_server_connections(data, admin):  # noqa: F811
    start = stable_count(admin)

    async def wrong():
        with pytest.raises(SynchronousOnlyOperation):
            Customer.objects.get(pk=data.pk)
        with pytest.raises(SynchronousOnlyOperation):
            (await Order.objects.afirst()).customer.name

    async def main():
        await asyncio.gather(*(wrong() for _ in range(8)))
    for _ in range(3):
        asyncio.run(main())
    assert settled_count(admin, start) == start
