"""Async connections belong to their event loop: closed with it, by close_all() / aclose_all(), at exit."""
import asyncio
import json
import os
import subprocess
import sys

import pytest

from ormlette.db import connection, connections
from tests import backends
from tests.backends import clean_tables, use_models
from tests.connections.helpers import admin, needs_server, server_count, settled_count, stable_count  # noqa: F401 (fixture)
from tests.connections.models import Customer

tables = use_models(Customer)
cleanup = clean_tables(Customer, autouse=True)
pytestmark = pytest.mark.usefixtures("tables")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture
def customer():
    customer = Customer.objects.create(name="ann")
    connections.close_all()
    return customer


@needs_server
def test_fifty_asyncio_runs_of_twenty_tasks_leave_the_server_count_unchanged(customer, admin):  # noqa: F811
    start = stable_count(admin)

    async def task(i):
        found = await Customer.objects.aget(pk=customer.pk)
        return found.name, await Customer.objects.filter(name="ann").acount()

    counts_inside = []

    async def main():
        results = await asyncio.gather(*(task(i) for i in range(20)))
        # Counted while the loop (and so its pool) is still open: after asyncio.run() they are closed.
        counts_inside.append(server_count(admin))
        return results

    for _ in range(50):
        assert asyncio.run(main()) == [("ann", 1)] * 20
    assert max(counts_inside) > start  # the rounds really opened connections
    assert settled_count(admin, start) == start, "connections left open after 50 asyncio.run() rounds"


def test_a_loop_pool_is_disposed_when_the_loop_closes(customer):
    if not connection.supports_async_driver():
        pytest.skip("no async driver for this database")
    loop = asyncio.new_event_loop()
    engines = []

    async def main():
        await Customer.objects.aget(pk=customer.pk)
        engines.extend(connections._async_engines[asyncio.get_running_loop()].values())
    loop.run_until_complete(main())
    if not hasattr(engines[0].pool, "checkedin"):
        loop.close()
        pytest.skip("this database's async connections are not pooled")
    assert engines and engines[0].pool.checkedin() == 1
    loop.close()
    assert loop.is_closed()
    assert engines[0].pool.checkedin() == 0 and engines[0].pool.checkedout() == 0


@needs_server
def test_close_all_closes_async_pools_of_an_open_loop(customer, admin):  # noqa: F811
    start = stable_count(admin)
    loop = asyncio.new_event_loop()

    async def main():
        await asyncio.gather(*(Customer.objects.aget(pk=customer.pk) for _ in range(5)))
    loop.run_until_complete(main())
    assert server_count(admin) >= start + 5
    connections.close_all()
    assert settled_count(admin, start) == start
    loop.close()


@needs_server
def test_aclose_all_closes_the_running_loops_pool(customer, admin):  # noqa: F811
    start = stable_count(admin)

    async def main():
        await asyncio.gather(*(Customer.objects.aget(pk=customer.pk) for _ in range(4)))
        opened = server_count(admin)
        await connections.aclose_all()
        return opened, await asyncio.to_thread(settled_count, admin, start)
    opened, after = asyncio.run(main())
    assert opened >= start + 4 and after == start


def test_a_task_ending_inside_async_atomic_gives_its_connection_back(customer):
    if not connection.supports_async_driver():
        pytest.skip("no async driver for this database")
    from ormlette.db import transaction

    async def abandon():
        await transaction.atomic().__aenter__()  # never exited: the task just ends
        await Customer.objects.acreate(name="lost")

    async def main():
        await asyncio.create_task(abandon())
        await asyncio.sleep(0.05)  # the done-callback's close runs as a task of its own
        pool = connections._async_engines[asyncio.get_running_loop()]["default"].pool
        return pool.checkedout() if hasattr(pool, "checkedout") else 0
    assert asyncio.run(main()) == 0
    assert Customer.objects.filter(name="lost").count() == 0


def test_no_tracebacks_at_interpreter_exit():
    """A script doing async queries in several asyncio.run() rounds exits cleanly (MariaDB printed ~30)."""
    script = (
        "import asyncio, json, os\n"
        "from ormlette.conf import settings\n"
        "settings.configure(DATABASES={'default': json.loads(os.environ['DB'])}, USE_TZ=True)\n"
        "from ormlette.db import connection\n"
        "async def one():\n"
        "    with connection.cursor() if False else open(os.devnull) as _:\n"
        "        pass\n"
        "from ormlette.db.models.asyncio import run_sync\n"
        "def work():\n"
        "    with connection.cursor() as c:\n"
        "        c.execute('SELECT 1')\n"
        "        return c.fetchall()\n"
        "async def main():\n"
        "    return await asyncio.gather(*(run_sync(work) for _ in range(5)))\n"
        "for _ in range(4):\n"
        "    assert len(asyncio.run(main())) == 5\n"
        "loop = asyncio.new_event_loop()\n"
        "loop.run_until_complete(main())  # left open at exit\n"
        "print('done')\n"
    )
    env = dict(os.environ, DB=json.dumps(backends.TEST_DB), PYTHONPATH=ROOT)
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "done"
    assert result.stderr.strip() == ""
