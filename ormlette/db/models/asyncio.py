"""Async twins: the sync core runs on an async driver through SQLAlchemy's greenlet bridge.

Each asyncio task has its own connection wrapper. An async call checks a connection out of the
alias's AsyncEngine pool, points the wrapper at its adapted DB-API face, and runs the ordinary
sync code inside ``AsyncConnection.run_sync``: every driver call inside awaits the real async
driver, so the event loop keeps serving other tasks. Outside ``async with transaction.atomic()``
the connection goes back to the pool after each call; inside it, the task keeps it until the
outermost block exits.
"""
from ormlette.db import DEFAULT_DB_ALIAS, connections


async def run_sync(func, *args, using=None):
    """Run ``func(*args)`` for the current task on an async connection (or directly if none)."""
    wrapper = connections[using or DEFAULT_DB_ALIAS]
    async_connection = wrapper.async_connection
    if async_connection is None:
        if wrapper.connection is not None or not wrapper.supports_async_driver():
            # This task already uses a blocking connection, or no async driver is installed.
            return func(*args)
        wrapper.guard_access()
        async_connection = await wrapper.async_engine.connect()
        try:
            wrapper.bind_async(async_connection, await async_connection.get_raw_connection())
        except BaseException:
            await async_connection.close()
            raise
    try:
        return await async_connection.run_sync(lambda _conn: func(*args))
    finally:
        if not wrapper.in_atomic_block:
            # Outside a transaction (or after the outermost atomic block) the connection goes back.
            wrapper.unbind_async()
            await async_connection.close()
