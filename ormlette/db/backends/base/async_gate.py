"""A first-come, first-served gate in front of an async pool.

SQLAlchemy's async pool queues waiters on an ``asyncio.Queue``, which lets a newcomer take a connection
that was just returned before the waiter woken for it runs: under load (200 clients, 10 connections)
one waiter can lose its turn again and again until the pool timeout. The gate hands each freed slot to
the oldest waiter, so waits stay near the average and the timeout means what it says.
"""
import asyncio
from collections import deque


class FairGate:
    """``slots`` permits handed out in arrival order."""

    def __init__(self, slots):
        self.free = slots
        self.waiters = deque()

    async def acquire(self, timeout):
        """Take a slot; raise TimeoutError if none is handed over within ``timeout`` seconds."""
        if self.free > 0 and not self.waiters:
            self.free -= 1
            return
        waiter = asyncio.get_running_loop().create_future()
        self.waiters.append(waiter)
        try:
            await asyncio.wait_for(waiter, timeout)
        except BaseException:
            if waiter.done() and not waiter.cancelled():
                self.release()  # granted just as we gave up: pass it on
            else:
                try:
                    self.waiters.remove(waiter)
                except ValueError:
                    pass
            raise

    def release(self):
        """Give a slot back: to the oldest live waiter, else to the free count."""
        while self.waiters:
            waiter = self.waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return
        self.free += 1
