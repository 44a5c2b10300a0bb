"""Connection handling: one wrapper per alias per thread / asyncio task."""
import asyncio
import contextvars
import importlib
import threading
import weakref

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


class ConnectionHandler:
    """Mapping-like access to database wrappers, isolated per thread and per asyncio task."""

    def __init__(self):
        self._local = contextvars.ContextVar("ormlette_connections", default=None)
        self._engines = {}
        self._async_engines = weakref.WeakKeyDictionary()
        self._engines_lock = threading.Lock()
        self._all = []
        self._shared_with_async = {}

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
        self._all.append(wrapper)
        return wrapper

    @staticmethod
    def _with_defaults(settings_dict):
        full = {"ENGINE": "ormlette.db.backends.sqlite3", "NAME": "", "USER": "", "PASSWORD": "",
                "HOST": "", "PORT": "", "OPTIONS": {}, "TIME_ZONE": None, "CONN_MAX_AGE": 0,
                "ATOMIC_REQUESTS": False, "AUTOCOMMIT": True, "TEST": {}}
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
        engine = engines.get(wrapper.alias)
        if engine is None:
            engine = engines[wrapper.alias] = wrapper.create_async_engine()
        return engine

    def all(self, initialized_only=False):
        """The current context's wrappers for every alias."""
        if initialized_only:
            return [w for w in self._state().values() if w.connection is not None]
        return [self[alias] for alias in self.settings]

    def close_all(self):
        """Close every connection opened by this process and dispose the pools."""
        for wrapper in self._all:
            try:
                wrapper.close()
            except Exception:  # noqa: BLE001 - closing must not stop closing the rest
                pass
        self._all = []
        for engine in self._engines.values():
            engine.dispose()
        self._engines = {}
        for engines in list(self._async_engines.values()):
            for engine in engines.values():
                # Async pools belong to event loops that may be gone; forget them without awaiting.
                engine.sync_engine.dispose(close=False)
        self._async_engines = weakref.WeakKeyDictionary()

    def reset(self):
        """Drop all wrappers so the next access reads settings again."""
        self._local.set(None)
