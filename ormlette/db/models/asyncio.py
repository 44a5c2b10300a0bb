"""Async twins: run the sync core for the current task's connection."""


async def run_sync(func, *args):
    """Run ``func`` with this task's connection state.

    The call runs in the event loop's thread, so the task keeps its own connection and
    transaction state; it blocks the loop while the driver works.
    """
    return func(*args)
