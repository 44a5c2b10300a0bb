"""Connection handling: one wrapper per alias per thread / asyncio task."""
import asyncio
import atexit
import contextvars
import importlib
import os
import threading
import weakref

from sqlalchemy.pool import NullPool

from ormlette.core.exceptions import ImproperlyConfigured
from ormlette.db.errors import (  # noqa: F401 (re-exported as in django.db.utils)
    DatabaseError, DataError, Error, IntegrityError, InterfaceError, InternalError,
    NotSupportedError, OperationalError, ProgrammingError,
)

DEFAULT_DB_ALIAS = "default"


_running_loop = asyncio._get_running_loop
_thread_id = threading.get_ident


def _owner():
    """Identify the current thread and asyncio task, the unit that owns a connection."""
    if _running_loop() is None:
        return _thread_id(), None
    task = asyncio.current_task()
    return _thread_id(), id(task) if task is not None else None


def load_backend(engine):
    """Import the backend module named by an ENGINE string."""
    if engine.startswith("django.db.backends."):
        engine = "ormlette" + engine[len("django"):]
    try:
        return importlib.import_module(engine + ".base")
    except ImportError as exc:
        raise ImproperlyConfigured("%r isn't an available database backend: %s" % (engine, exc)) from exc


def _start_process_detector():
    """settings.NPLUSONE / ORMLETTE_NPLUSONE: the N+1 detector on for the process (checked per new connection)."""
    from ormlette.conf import settings

    if os.environ.get("ORMLETTE_NPLUSONE") or getattr(settings, "NPLUSONE", None):
        from ormlette import nplusone  # the top layer, imported only when asked for

        nplusone.configure_from_settings()


class ConnectionHandler:
    """Mapping-like access to database wrappers, isolated per thread and per asyncio task."""

    def __init__(self):
        self._local = contextvars.ContextVar("ormlette_connections", default=None)
        self._engines = {}
        self._async_engines = weakref.WeakKeyDictionary()
        self._async_gates = weakref.WeakKeyDictionary()  # loop -> {alias: FairGate or None}
        self._engines_lock = threading.Lock()
        self._all = weakref.WeakSet()
        self._shared_with_async = {}
        if hasattr(os, "register_at_fork"):
            os.register_at_fork(after_in_child=self._after_fork_in_child)
        atexit.register(self._close_async_at_exit)

    @property
    def settings(self):
        """The DATABASES setting, with Django's defaults filled in."""
        from ormlette.conf import settings

        return settings.DATABASES

    def _state(self):
        state = self._local.get()
        owner = _owner()
        if state is None or state[0] != owner:
            # A task inherits its parent's context; it must not share the parent's connection.
            state = (owner, {})
            self._local.set(state)
            if owner[1] is not None:
                # When the task ends, whatever connection its wrappers still hold goes back.
                asyncio.current_task().add_done_callback(lambda task, wrappers=state[1]: _release_task(wrappers))
        return state[1]

    def __getitem__(self, alias):
        state = self._local.get()
        # Every query looks its connection up: a thread outside an event loop is checked inline.
        if state is not None and state[0][1] is None and state[0][0] == _thread_id() and _running_loop() is None:
            wrapper = state[1].get(alias)
            if wrapper is not None:
                return wrapper
        if self._shared_with_async and _running_loop() is not None:
            wrapper = self._shared_with_async.get(alias)
            if wrapper is not None:
                return wrapper
        wrappers = self._state()
        wrapper = wrappers.get(alias)
        if wrapper is None:
            wrapper = self._create(alias)
            wrappers[alias] = wrapper
        return wrapper

    def share_with_async(self, alias, wrapper):
        """Give async code (any task in a running loop) ``wrapper`` for ``alias``; None stops sharing.

        The one place async code does not get a connection of its own: inside a test's isolation
        (ormlette.test), the async twins run on the test's connection and transaction, as Django's do.
        """
        if wrapper is None:
            self._shared_with_async.pop(alias, None)
        else:
            self._shared_with_async[alias] = wrapper

    def shared_with_async(self, wrapper):
        """Whether ``wrapper`` is a test's connection that async code shares."""
        return self._shared_with_async.get(wrapper.alias) is wrapper

    def __contains__(self, alias):
        return alias in self.settings

    def __iter__(self):
        return iter(self.settings)

    def _create(self, alias):
        try:
            settings_dict = self.settings[alias]
        except KeyError:
            raise ImproperlyConfigured("The connection '%s' doesn't exist." % alias) from None
        settings_dict = self._with_defaults(settings_dict)
        backend = load_backend(settings_dict["ENGINE"])
        wrapper = backend.DatabaseWrapper(settings_dict, alias, self.engine_for)
        self._all.add(wrapper)
        _start_process_detector()
        return wrapper

    @staticmethod
    def _with_defaults(settings_dict):
        full = {"ENGINE": "ormlette.db.backends.sqlite3", "NAME": "", "USER": "", "PASSWORD": "",
                "HOST": "", "PORT": "", "OPTIONS": {}, "TIME_ZONE": None, "CONN_MAX_AGE": None,
                "CONN_HEALTH_CHECKS": False, "ATOMIC_REQUESTS": False, "AUTOCOMMIT": True, "TEST": {}}
        full.update(settings_dict)
        return full

    def engine_for(self, wrapper):
        """The process-wide SQLAlchemy engine (pool) for a wrapper's alias."""
        engine = self._engines.get(wrapper.alias)
        if engine is None:
            with self._engines_lock:
                engine = self._engines.get(wrapper.alias)
                if engine is None:
                    engine = wrapper.create_engine()
                    self._engines[wrapper.alias] = engine
        return engine

    def async_engine_for(self, wrapper):
        """The SQLAlchemy async engine for a wrapper's alias in the running event loop.

        Async driver connections belong to the loop that opened them, so each loop gets its own pool.
        """
        loop = asyncio.get_running_loop()
        engines = self._async_engines.get(loop)
        if engines is None:
            engines = self._async_engines.setdefault(loop, {})
            _close_with_loop(loop, engines)
        engine = engines.get(wrapper.alias)
        if engine is None:
            engine = engines[wrapper.alias] = wrapper.create_async_engine()
        return engine

    def async_gate_for(self, wrapper):
        """The FairGate in front of the running loop's async pool for the wrapper's alias (None: unbounded)."""
        loop = asyncio.get_running_loop()
        gates = self._async_gates.get(loop)
        if gates is None:
            gates = self._async_gates.setdefault(loop, {})
        try:
            return gates[wrapper.alias]
        except KeyError:
            pass
        from ormlette.db.backends.base.async_gate import FairGate

        config = wrapper.pool_config
        bounded = wrapper.async_engine_options().get("poolclass") is not NullPool
        gate = gates[wrapper.alias] = FairGate(config.pool_size + config.max_overflow) if bounded else None
        return gate

    def all(self, initialized_only=False):
        """The current context's wrappers for every alias."""
        if initialized_only:
            return [w for w in self._state().values() if w.connection is not None]
        return [self[alias] for alias in self.settings]

    def close_all(self):
        """Close every connection opened by this process and dispose the pools, async ones included.

        An async pool whose loop runs in this thread cannot be awaited here: use ``await aclose_all()``.
        """
        self._close_sync()
        for loop, engines in list(self._async_engines.items()):
            _dispose_async_engines(loop, engines)
        self._async_engines = weakref.WeakKeyDictionary()

    async def aclose_all(self):
        """Async twin of close_all(): also awaits the pools of the running event loop."""
        self._close_sync()
        loop = asyncio.get_running_loop()
        for other, engines in list(self._async_engines.items()):
            if other is loop:
                await _adispose(engines)
            else:
                _dispose_async_engines(other, engines)
        self._async_engines = weakref.WeakKeyDictionary()

    def _close_sync(self):
        for wrapper in list(self._all):
            try:
                wrapper.close()
            except Exception:  # noqa: BLE001 - closing must not stop closing the rest
                pass
        for engine in self._engines.values():
            engine.dispose()
        self._engines = {}

    def reset(self):
        """Drop all wrappers so the next access reads settings again."""
        self._local.set(None)

    def _close_async_at_exit(self):
        """Event loops still open at exit: close their pools now rather than in garbage collection."""
        for loop, engines in list(self._async_engines.items()):
            try:
                _dispose_async_engines(loop, engines)
            except Exception:  # noqa: BLE001 - exiting anyway
                pass

    def _after_fork_in_child(self):
        """A forked child must not use (or close) its parent's connections: forget them, new pools."""
        for wrapper in list(self._all):
            if wrapper.connection is not None:
                _INHERITED.append((wrapper.connection, wrapper.dbapi, wrapper._reusable_cursor))
                _detach_socket(wrapper.dbapi)
            wrapper.connection = wrapper.dbapi = wrapper._reusable_cursor = wrapper.async_connection = None
            wrapper._reset_connection_state()
        for engine in self._engines.values():
            engine.dispose(close=False)
        self._engines = {}
        self._async_engines = weakref.WeakKeyDictionary()


# Parent connections seen by a forked child: kept referenced so they are never finalized there.
_INHERITED = []


def _detach_socket(dbapi_connection):
    """Point the child's copy of a parent connection's socket at /dev/null (the parent's stays open)."""
    fileno = getattr(dbapi_connection, "fileno", None)
    if fileno is None:
        return
    try:
        fd = fileno()
        devnull = os.open(os.devnull, os.O_RDWR)
        try:
            os.dup2(devnull, fd)
        finally:
            os.close(devnull)
    except Exception:  # noqa: BLE001 - nothing more can be done for it in the child
        pass


def _release_task(wrappers):
    """A finished task's wrappers give their connections back (sync ones closed, async ones awaited)."""
    for wrapper in wrappers.values():
        async_connection = wrapper.async_connection
        if async_connection is not None:
            slot = wrapper.async_slot
            wrapper.unbind_async()
            try:
                task = asyncio.get_running_loop().create_task(async_connection.close())
            except RuntimeError:
                pass  # no loop any more: the loop-close hook disposes the pool
            else:
                if slot is not None:
                    task.add_done_callback(lambda _task: slot.release())
        elif wrapper.connection is not None:
            try:
                wrapper.close()
            except Exception:  # noqa: BLE001 - a broken connection is discarded by the pool
                pass
    wrappers.clear()


def _close_with_loop(loop, engines):
    """Dispose a loop's async pools when the loop closes (asyncio.run() closes its loop at the end)."""
    original_close = loop.close

    def close():
        if engines and not loop.is_closed() and not loop.is_running():
            try:
                loop.run_until_complete(_adispose(engines))
            except Exception:  # noqa: BLE001 - closing the loop must go on
                pass
        original_close()

    try:
        loop.close = close
    except (AttributeError, TypeError):
        pass  # a loop class without instance attributes: close_all() / aclose_all() still dispose


async def _adispose(engines):
    for engine in list(engines.values()):
        try:
            await engine.dispose()
        except Exception:  # noqa: BLE001 - the rest must still be closed
            pass
    engines.clear()


def _dispose_async_engines(loop, engines):
    """Dispose a loop's async pools from outside it (closed loop: drop them without awaiting)."""
    if not engines:
        return
    if loop.is_closed():
        for engine in engines.values():
            engine.sync_engine.dispose(close=False)
        engines.clear()
    elif loop.is_running():
        if asyncio._get_running_loop() is loop:
            loop.create_task(_adispose(engines))  # close_all() called from inside the loop: see aclose_all()
        else:
            asyncio.run_coroutine_threadsafe(_adispose(engines), loop).result(30)
    else:
        loop.run_until_complete(_adispose(engines))
