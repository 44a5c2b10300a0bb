"""Async twins: the sync core runs on an async driver through SQLAlchemy's greenlet bridge.

Each asyncio task has its own connection wrapper. An async call checks a connection out of the
alias's AsyncEngine pool (one pool per event loop, closed with the loop), points the wrapper at its
adapted DB-API face, and runs the ordinary sync code inside ``AsyncConnection.run_sync``: every
driver call inside awaits the real async driver, so the event loop keeps serving other tasks.
Outside ``async with transaction.atomic()`` the connection goes back to the pool after each call;
inside it, the task keeps it until the outermost block exits. The sync code runs inside
``async_guard.bridge()``, the one place where the sync-in-async guard lets it through.
"""
from ormlette.db import DEFAULT_DB_ALIAS, connections
from ormlette.db.backends.base.async_guard import bridge


async def run_sync(func, *args, using=None):
    """Run ``func(*args)`` for the current task on an async connection (or directly if none)."""
    wrapper = connections[using or DEFAULT_DB_ALIAS]
    async_connection = wrapper.async_connection
    if async_connection is None:
        if wrapper.connection is not None or connections.shared_with_async(wrapper) or \
                not wrapper.supports_async_driver():
            # This task uses a blocking connection (its own, or a test's shared with async code by
            # connections.share_with_async()), or no async driver is installed.
            with bridge():
                return func(*args)
        async_connection = await _connect(wrapper)
    try:
        with bridge():
            return await async_connection.run_sync(lambda _conn: func(*args))
    finally:
        if not wrapper.in_atomic_block:
            # Outside a transaction (or after the outermost atomic block) the connection goes back.
            await _give_back(wrapper, async_connection)


async def _connect(wrapper):
    """Check an async connection out of this loop's pool (in arrival order) and bind it to the task's wrapper."""
    wrapper.guard_access()
    gate = connections.async_gate_for(wrapper)
    if gate is not None:
        try:
            await gate.acquire(wrapper.pool_config.pool_timeout)
        except TimeoutError:
            from ormlette.db.errors import OperationalError

            raise OperationalError(wrapper.pool_exhausted_message()) from None
    try:
        async_connection = await wrapper.async_engine.connect()
    except Exception as exc:  # noqa: BLE001 - translated (or re-raised as is) below
        if gate is not None:
            gate.release()
        error = wrapper.connect_error(exc)
        if error is exc:
            raise
        raise error from (getattr(exc, "orig", None) or exc)
    except BaseException:
        if gate is not None:
            gate.release()
        raise
    try:
        wrapper.bind_async(async_connection, await async_connection.get_raw_connection())
        wrapper.async_slot = gate
        if _has_connection_receivers():
            with bridge():
                await async_connection.run_sync(lambda _conn: wrapper.send_connection_created())
    except BaseException:
        await _give_back(wrapper, async_connection, gate)
        raise
    return async_connection


async def _give_back(wrapper, async_connection, gate=None):
    """Unbind the task's async connection, return it to the pool and free its gate slot."""
    gate = wrapper.async_slot or gate
    wrapper.unbind_async()
    try:
        await async_connection.close()
    finally:
        if gate is not None:
            gate.release()


def _has_connection_receivers():
    from ormlette.db.backends.signals import connection_created

    return bool(connection_created.receivers)
