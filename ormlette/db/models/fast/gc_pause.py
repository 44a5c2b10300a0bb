"""Pausing the cyclic garbage collector while a bulk operation allocates many long-lived objects.

Building tens of thousands of instances, row tuples and states triggers full collections that
rescan the whole heap and free nothing (every new object stays alive). Nested or concurrent pauses
share one counter: the collector is enabled again only by the pause that disabled it, and only
when the last pause ends.

After a large batch, ``promote_young_objects`` moves the young generations into the oldest one: the
young pass that the next allocation would trigger scans every object just built (5-15% of a large
prefetch) only to find them all alive. It is skipped while the application keeps objects frozen
(``gc.freeze()``, e.g. before forking workers), so their permanent generation is never disturbed.
Cyclic garbage that happened to be young at that moment is freed by the next full collection.
"""
import gc
import threading
from contextlib import contextmanager

_lock = threading.Lock()

# A pause that leaves at least this many new objects in the youngest generation promotes them.
PROMOTE_MIN_OBJECTS = 1000
_depth = 0
_we_disabled = False


def promote_young_objects():
    """Move the young objects into the oldest generation unscanned, when a pause left many (module doc)."""
    if gc.get_count()[0] >= PROMOTE_MIN_OBJECTS and gc.get_freeze_count() == 0:
        gc.freeze()
        gc.unfreeze()


@contextmanager
def gc_paused():
    """Disable the cyclic collector for the ``with`` block (a no-op when it is already off)."""
    global _depth, _we_disabled
    with _lock:
        if _depth == 0:
            _we_disabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _we_disabled:
                _we_disabled = False
                promote_young_objects()  # everything built during the pause is alive
                gc.enable()
