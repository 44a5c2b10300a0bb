"""Async twins run on real async drivers: tasks overlap while queries wait on the server."""
import asyncio
import time

import pytest

from ormlette.db import connection, transaction
from ormlette.db.models import Sum
from tests.backends import clean_tables, use_models
from tests.core.models import Note

tables = use_models(Note)
cleanup = clean_tables(Note, autouse=True)
pytestmark = pytest.mark.usefixtures("tables")


def run(coro):
    return asyncio.run(coro)


def test_async_twins_and_async_for():
    async def main():
        note = await Note.objects.acreate(text="a", n=1)
        assert (await Note.objects.aget(pk=note.pk)).text == "a"
        assert await Note.objects.acount() == 1
        assert await Note.objects.filter(n=1).aexists()
        assert [n.text async for n in Note.objects.all()] == ["a"]
        await Note.objects.filter(pk=note.pk).aupdate(n=5)
        await note.arefresh_from_db()
        assert note.n == 5
        note.text = "b"
        await note.asave()
        assert (await Note.objects.afirst()).text == "b"
        obj, created = await Note.objects.aget_or_create(text="c", n=2)
        assert created
        assert await Note.objects.aaggregate(total=Sum("n")) == {"total": 7}
        await note.adelete()
        assert await Note.objects.acount() == 1
    run(main())


def test_async_atomic_commits_and_rolls_back():
    async def main():
        async with transaction.atomic():
            await Note.objects.acreate(text="kept")
        with pytest.raises(ValueError):
            async with transaction.atomic():
                await Note.objects.acreate(text="lost")
                raise ValueError
        return [n.text async for n in Note.objects.order_by("text")]
    assert run(main()) == ["kept"]


def test_async_tasks_overlap_on_the_server():
    if not connection.supports_async_driver() or connection.vendor == "sqlite":
        pytest.skip("needs a server backend with an async driver")
    sleep_sql = {"postgresql": "SELECT pg_sleep(0.3)", "mysql": "SELECT SLEEP(0.3)"}[connection.vendor]

    async def main():
        start = time.perf_counter()
        await asyncio.gather(*(_sleep(sleep_sql) for _ in range(5)))
        return time.perf_counter() - start
    elapsed = run(main())
    assert elapsed < 1.2, "5 x 0.3 s sleeps took %.2f s: the event loop was blocked" % elapsed


async def _sleep(sql):
    from ormlette.db.async_bridge import run_sync

    def work():
        with connection.cursor() as cursor:
            cursor.execute(sql)
            cursor.fetchall()
    await run_sync(work)
