"""The sync-in-async guard: synchronous database access inside a running event loop is refused.

A blocking call there stalls every other task of the loop and, worse, would check a connection out
for a task that never gives it back. Django raises ``SynchronousOnlyOperation``; so do we, except
inside ormlette's own bridge (``run_sync``: the greenlet that runs the sync core for ``aget()`` & co.),
with ``ORMLETTE_ALLOW_ASYNC_UNSAFE`` set, or in an IPython/Jupyter kernel, whose cells run inside a
loop although the user means them to be synchronous.

Only :func:`refuse_sync_in_async` runs on the error path; the hot path pays one C call
(``asyncio._get_running_loop``) at the connection's entry points.
"""
import contextvars
import os
import sys
from contextlib import contextmanager

from ormlette.core.exceptions import SynchronousOnlyOperation

ALLOW_ENV = "ORMLETTE_ALLOW_ASYNC_UNSAFE"

_in_bridge = contextvars.ContextVar("ormlette_in_async_bridge", default=False)
in_bridge = _in_bridge.get


@contextmanager
def bridge():
    """Mark the code run inside as ormlette's own async bridge (sync core allowed in the loop)."""
    token = _in_bridge.set(True)
    try:
        yield
    finally:
        _in_bridge.reset(token)


def sync_allowed_in_loop():
    """Whether blocking database calls are allowed although an event loop runs in this thread."""
    if _in_bridge.get():
        return True
    if os.environ.get(ALLOW_ENV, "").strip().lower() not in ("", "0", "false", "no", "off"):
        return True
    return in_ipython_kernel()


def in_ipython_kernel():
    """Whether this is an IPython shell or Jupyter kernel (top-level cells run inside its loop)."""
    ipython = sys.modules.get("IPython")
    get_ipython = getattr(ipython, "get_ipython", None)
    return get_ipython is not None and get_ipython() is not None


def refuse_sync_in_async(what="this database operation"):
    """Raise SynchronousOnlyOperation naming the async twin of the call that got here."""
    twin = _async_twin_of_caller()
    hint = ("use %s instead" % twin) if twin else (
        "use the async API (aget(), acount(), async for, asave(), async with transaction.atomic(), ...)")
    raise SynchronousOnlyOperation(
        "You cannot call %s from an async context (an event loop is running in this thread): %s, or run "
        "the synchronous code in a thread (asyncio.to_thread). Set %s=1 to allow it anyway."
        % (what, hint, ALLOW_ENV))


# QuerySet/Manager/Model methods whose twin is not "a" + name.
_SPECIAL_TWINS = {
    "__iter__": "'async for' over the queryset (or [obj async for obj in queryset])",
    "__len__": "'await queryset.acount()' or 'async for'",
    "__bool__": "'await queryset.aexists()'",
    "__getitem__": "'async for' over the sliced queryset",
    "_fetch_all": "'async for' over the queryset",
    "iterator": "'async for' over queryset.aiterator()",
}


def _async_twin_of_caller():
    """The async twin of the outermost ormlette method on the stack ('aget()', ...), or None."""
    twin = None
    frame = sys._getframe(2)
    while frame is not None:
        name = frame.f_code.co_name
        owner = frame.f_locals.get("self")
        found = None
        if name == "__get__" and "related_descriptors" in frame.f_code.co_filename:
            found = ("select_related()/prefetch_related() on the query that loaded the instance, or fetch the "
                     "related object with an async twin (aget(), afirst(), ...)")
        elif name == "__get__" and "query_utils" in frame.f_code.co_filename:
            found = "'await instance.arefresh_from_db(fields=[...])' or leave the field out of defer()/only()"
        elif name in ("__enter__", "__exit__") and type(owner).__name__ == "Atomic":
            found = "'async with transaction.atomic()'"
        elif _is_model_api(owner):
            if name in _SPECIAL_TWINS and hasattr(owner, "aiterator"):
                found = _SPECIAL_TWINS[name]
            elif not name.startswith("_") and hasattr(type(owner), "a" + name):
                found = "'a%s()'" % name
        if found is not None:
            twin = found
        frame = frame.f_back
    return twin


def _is_model_api(obj):
    """Whether ``obj`` is a QuerySet, manager or model instance (a class from ormlette.db.models)."""
    return obj is not None and not isinstance(obj, type) and any(
        klass.__module__.startswith("ormlette.db.models") for klass in type(obj).__mro__[:-1])
