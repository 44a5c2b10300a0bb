"""The database wrapper: connection lifecycle, the single execution point, transaction state."""
import logging
import time
from asyncio import _get_running_loop
from collections import deque
from contextlib import contextmanager

import sqlalchemy

from ormlette.conf import settings as _settings
from ormlette.db.backends.base import pool as _pool
from ormlette.db.backends.base.async_guard import refuse_sync_in_async, sync_allowed_in_loop
from ormlette.db.backends.base.data_types import DATA_TYPES
from ormlette.db.backends.base.introspection import BaseDatabaseIntrospection
from ormlette.db.errors import Error, OperationalError, ormlette_error_for, reraise_translated
from ormlette.db.transaction_errors import TransactionManagementError
from ormlette.utils import learned
from ormlette.utils.learned import state as _fast

QUERIES_LOG_SIZE = 9000
sql_logger = logging.getLogger("ormlette.db.backends")


class BaseDatabaseWrapper:
    """One logical connection for one alias in one thread or asyncio task."""

    vendor = "unknown"
    display_name = "unknown"
    features_class = None
    ops_class = None
    introspection_class = BaseDatabaseIntrospection
    schema_editor_class = None
    creation_class = None
    data_types = DATA_TYPES  # field data_type_key -> SQLAlchemy column type (see data_types.py)
    sa_url_scheme = None
    sa_async_url_scheme = None
    # Test hook (ormlette.test): called with the wrapper before a connection is opened; raises to refuse.
    access_guard = None

    def __init__(self, settings_dict, alias, engine_source):
        self.settings_dict, self.pool_config = _pool.split_settings(settings_dict)
        self.alias = alias
        self._engine_source = engine_source
        self.connection = None
        self.dbapi = None
        self.features = self.features_class(self)
        self.ops = self.ops_class(self)
        self.introspection = self.introspection_class(self)
        self.autocommit = True
        self.in_atomic_block = False
        self.savepoint_ids = []
        self.atomic_blocks = []
        self.commit_on_exit = True
        self.needs_rollback = False
        self.rollback_exc = None
        self.savepoint_state = 0
        self.run_on_commit = []
        self.execute_wrappers = []
        self.queries_log = deque(maxlen=QUERIES_LOG_SIZE)
        self.async_connection = None
        self.async_slot = None  # the FairGate slot held with async_connection
        self.force_debug_cursor = False
        self.errors_occurred = False
        self._reusable_cursor = None
        self.closed_in_transaction = False
        self.close_at = None
        self.health_check_enabled = bool(self.settings_dict.get("CONN_HEALTH_CHECKS"))
        self.health_check_done = True

    def __repr__(self):
        return "<%s vendor=%r alias=%r>" % (type(self).__name__, self.vendor, self.alias)

    # -- SQLAlchemy engine (pool + dialect) ---------------------------------------------
    @property
    def engine(self):
        """The SQLAlchemy engine whose pool hands out this wrapper's DB-API connections."""
        return self._engine_source(self)

    @property
    def sa_dialect(self):
        """The SQLAlchemy dialect used to render SQL for this backend."""
        return self.engine.dialect

    def create_engine(self):
        """Build the SQLAlchemy engine; backends provide the driver connect function."""
        engine = sqlalchemy.create_engine(
            self.sa_url_scheme + "://", creator=self.connect_dbapi, **self.engine_options(),
        )
        _pool.watch_pool(engine, self.alias, self._on_checkout)
        return engine

    def engine_options(self):
        """Keyword arguments for ``sqlalchemy.create_engine``: the pool from the settings (see pool.py)."""
        return self.pool_config.engine_kwargs()

    # -- async: the same core on an async driver through SQLAlchemy's greenlet bridge ------------
    @property
    def async_engine(self):
        """The SQLAlchemy AsyncEngine for this alias."""
        from ormlette.db import connections

        return connections.async_engine_for(self)

    def supports_async_driver(self):
        """Whether an async driver for this backend is installed."""
        return False

    def create_async_engine(self):
        """Build the AsyncEngine whose connections run this backend's async driver."""
        from sqlalchemy.ext.asyncio import create_async_engine

        options = self.async_engine_options()
        engine = create_async_engine(self.sa_async_url_scheme + "://", async_creator=self.connect_async_dbapi,
                                     **options)
        _pool.watch_pool(engine.sync_engine, self.alias)
        return engine

    def async_engine_options(self):
        """Keyword arguments for ``create_async_engine`` (the sync options with the async pool class)."""
        options = {k: v for k, v in self.engine_options().items() if k != "poolclass"}
        if self.pool_config.pooled:
            options["poolclass"] = sqlalchemy.pool.AsyncAdaptedQueuePool
        else:
            options = {"poolclass": sqlalchemy.pool.NullPool, "pool_pre_ping": self.pool_config.pool_pre_ping,
                       **{k: v for k, v in options.items() if k == "paramstyle"}}
        return options

    async def connect_async_dbapi(self):
        """Open a new async driver connection in autocommit mode."""
        raise NotImplementedError

    def bind_async(self, async_connection, raw_connection):
        """Use a checked-out async connection (its adapted DB-API face) for this task's queries."""
        self.async_connection = async_connection
        self.connection = raw_connection
        self.dbapi = raw_connection.dbapi_connection
        self.autocommit = True

    def unbind_async(self):
        """Forget the async connection (the caller returns it to the pool)."""
        conn = self.async_connection
        self.async_connection = self.async_slot = None
        self.connection = self.dbapi = None
        self._reset_connection_state()
        return conn

    def _reset_connection_state(self):
        """Transaction state of a wrapper that no longer holds a connection."""
        self.in_atomic_block = False
        self.savepoint_ids = []
        self.atomic_blocks = []
        self.needs_rollback = False
        self.closed_in_transaction = False
        self.run_on_commit = []
        self.autocommit = True

    def connect_dbapi(self):
        """Open a new DB-API connection in autocommit mode."""
        raise NotImplementedError

    def _on_checkout(self, dbapi_connection, connection_record, connection_proxy):
        self.prepare_checked_out(dbapi_connection)

    def prepare_checked_out(self, dbapi_connection):
        """Put a pooled connection back into autocommit mode before use."""

    # -- connection lifecycle --------------------------------------------------------------
    @property
    def queries_logged(self):
        """Whether executed statements are recorded in ``queries``."""
        return self.force_debug_cursor or _settings.DEBUG

    @property
    def queries(self):
        """The recorded statements as ``[{"sql": ..., "time": ...}]``."""
        return list(self.queries_log)

    def ensure_connection(self):
        """Check a connection out of the pool if this wrapper has none (refused inside a running event loop)."""
        if _get_running_loop() is not None and not sync_allowed_in_loop():
            refuse_sync_in_async()
        if self.connection is None:
            self.connect()
        elif not self.health_check_done:
            self._check_health()

    def connect(self):
        """Check a connection out of the pool; driver and pool errors become ormlette's."""
        self.guard_access()
        try:
            connection = self.engine.raw_connection()
        except Exception as exc:  # noqa: BLE001 - translated (or re-raised as is) below
            error = self.connect_error(exc)
            if error is exc:
                raise
            raise error from _cause(exc)
        self.connection = connection
        self.dbapi = connection.driver_connection
        self.autocommit = True
        self.closed_in_transaction = False
        self.health_check_done = True
        max_age = self.settings_dict.get("CONN_MAX_AGE")
        self.close_at = None if max_age is None else time.monotonic() + float(max_age)
        self.init_connection_state()
        learned.note_server(self.alias, self.vendor, getattr(self.sa_dialect, "server_version_info", None))
        self.send_connection_created()

    def send_connection_created(self):
        """Tell ``connection_created`` receivers (if any) that this wrapper got a connection."""
        from ormlette.db.backends.signals import connection_created

        if connection_created.receivers:
            connection_created.send(sender=type(self), connection=self)

    def connect_error(self, exc):
        """The exception to raise for a failure to get a connection: ormlette's class for driver errors."""
        if isinstance(exc, sqlalchemy.exc.TimeoutError):
            return OperationalError(self.pool_exhausted_message())
        ours = ormlette_error_for(exc)
        if ours is not None:
            return ours
        if isinstance(exc, sqlalchemy.exc.SQLAlchemyError):
            return OperationalError("Could not connect to database %r: %s" % (self.alias, exc))
        return exc

    def pool_exhausted_message(self):
        """The error text when no pooled connection was freed within the timeout."""
        return ("The connection pool of database %r is exhausted: no connection was returned within the timeout "
                "(%s). Raise the pool size (OPTIONS['pool'] = {'max_size': ...} or OPTIONS['pool_size'] / "
                "'max_overflow'), or close connections sooner (connections.close_all(), close_old_connections())."
                % (self.alias, self.pool_config.describe()))

    def guard_access(self):
        """Ask the test framework's access guard (if one is installed) whether a connection may open."""
        guard = BaseDatabaseWrapper.access_guard
        if guard is not None:
            guard(self)

    def init_connection_state(self):
        """Per-connection session settings (time zone, SQL mode, ...)."""

    def ensure_timezone(self):
        """Bring an open connection's session time zone in line with the settings (after they change)."""

    def close(self):
        """Return the connection to the pool (rolled back if a transaction was open)."""
        if self.connection is None or self.async_connection is not None:
            return
        self.drop_reusable_cursor()
        conn, self.connection, self.dbapi = self.connection, None, None
        self._reset_connection_state()
        try:
            conn.close()
        except Exception:  # noqa: BLE001 - a broken connection is discarded by the pool
            conn.invalidate()

    def close_if_unusable_or_obsolete(self):
        """Close the connection after an error outside a transaction, or once it is older than CONN_MAX_AGE."""
        if self.connection is not None and self.async_connection is None:
            self.health_check_done = not self.health_check_enabled
            if self.errors_occurred and self.autocommit or (
                    self.close_at is not None and time.monotonic() >= self.close_at and self.autocommit):
                self.close()
        self.errors_occurred = False

    def _check_health(self):
        """CONN_HEALTH_CHECKS: ping a reused connection before its first query; replace it if dead."""
        self.health_check_done = True
        if self.in_atomic_block or self.is_usable():
            return
        conn, self.connection, self.dbapi = self.connection, None, None
        self._reusable_cursor = None
        self._reset_connection_state()
        conn.invalidate()
        _pool.epoch_for(self.alias).invalidate()
        self.connect()

    def is_usable(self):
        """Ping the server."""
        try:
            cursor = self.dbapi.cursor()
            try:
                cursor.execute("SELECT 1")
                cursor.fetchall()
            finally:
                cursor.close()
        except Exception:  # noqa: BLE001
            return False
        return True

    def new_cursor(self):
        """A driver cursor on the connection (connecting first); a dead connection's error is translated."""
        self.ensure_connection()
        if self.closed_in_transaction:
            self.needs_rollback = True
            self.validate_no_broken_transaction()
        try:
            return self.dbapi.cursor()
        except Exception as exc:  # noqa: BLE001 - translated by _on_error
            self._on_error(exc)

    # -- execution: the one choke point -------------------------------------------------------
    def reusable_cursor(self):
        """A cursor kept for small reads fetched completely (the get() shortcut), instead of one per query.

        Creating a psycopg cursor costs microseconds (its adapters map); the cursor keeps only its last
        small result. Async connections always get a new cursor.
        """
        cursor = self._reusable_cursor
        if cursor is None or self.async_connection is not None or getattr(cursor, "connection", None) is not self.dbapi:
            cursor = self.new_cursor()
            self._reusable_cursor = cursor if self.async_connection is None else None
        return cursor

    def fetch_small_read(self, sql, params):
        """All rows of one small read, run on the kept cursor (the get() shortcut's execution)."""
        cursor = self._reusable_cursor
        # The kept cursor must belong to the open connection; the rest is queries_logged and what
        # execute_sql checks before running a statement uninstrumented.
        dbapi = self.dbapi
        if not _fast.on:
            return self._fetch_small_read_fresh(sql, params)
        if (cursor is None or dbapi is None or getattr(cursor, "connection", None) is not dbapi
                or self.needs_rollback or self.execute_wrappers or self.force_debug_cursor or _settings.DEBUG
                or self.async_connection is not None or _get_running_loop() is not None):
            return self._fetch_small_read_checked(sql, params)
        try:
            self._execute_on(cursor, sql, params, False)
            return cursor.fetchall()
        except BaseException:
            self.drop_reusable_cursor()
            raise

    def _fetch_small_read_checked(self, sql, params):
        """fetch_small_read through ensure_connection() and the full execute_sql."""
        self.ensure_connection()
        cursor = self.reusable_cursor()
        try:
            self.execute_sql(cursor, sql, params)
            return cursor.fetchall()
        except BaseException:
            self.drop_reusable_cursor()
            raise

    def _fetch_small_read_fresh(self, sql, params):
        """fetch_small_read on a new cursor (the fast paths are off: no kept cursor)."""
        self.ensure_connection()
        cursor = self.dbapi.cursor()
        try:
            self.execute_sql(cursor, sql, params)
            return cursor.fetchall()
        finally:
            cursor.close()

    def drop_reusable_cursor(self):
        """Forget the kept cursor (after an error on it, or when the connection goes back to the pool)."""
        cursor, self._reusable_cursor = self._reusable_cursor, None
        if cursor is not None:
            try:
                cursor.close()
            except Exception:  # noqa: BLE001 - a cursor of a closed connection may refuse to close
                pass

    def cursor(self):
        """A cursor wrapper whose statements pass through :meth:`execute_sql`."""
        from ormlette.db.backends.utils import CursorWrapper

        return CursorWrapper(self.new_cursor(), self)

    def execute_sql(self, cursor, sql, params, many=False, check_broken=True):
        """Run one statement on a DB-API cursor; every statement ormlette sends passes here."""
        if self.needs_rollback and check_broken:
            self.validate_no_broken_transaction()
        if self.execute_wrappers or self.queries_logged:
            return self._execute_instrumented(cursor, sql, params, many)
        return self._execute_on(cursor, sql, params, many)

    def _execute_on(self, cursor, sql, params, many):
        """The driver call itself, with driver errors translated."""
        try:
            if many:
                return cursor.executemany(sql, params)
            if params is None:
                return cursor.execute(sql)
            return cursor.execute(sql, params)
        except Error:
            raise
        except Exception as exc:
            self._on_error(exc)

    def _execute_instrumented(self, cursor, sql, params, many):
        def run(sql, params, many, context):
            return self._execute_on(cursor, sql, params, many)

        call = run
        for wrapper in reversed(self.execute_wrappers):
            call = _bind_wrapper(wrapper, call)
        context = {"connection": self, "cursor": cursor}
        start = time.monotonic()
        try:
            return call(sql, params, many, context)
        finally:
            if self.queries_logged:
                self._log_query(cursor, sql, params, many, time.monotonic() - start)

    def _log_query(self, cursor, sql, params, many, duration):
        """Record one statement in ``queries`` and log it on ``ormlette.db.backends`` (as Django)."""
        shown = self.ops.last_executed_query(cursor, sql, params if not many else None)
        if many:
            shown = "%s times: %s" % (len(params) if hasattr(params, "__len__") else "?", shown)
        self.queries_log.append({"sql": shown, "time": "%.3f" % duration})
        if sql_logger.isEnabledFor(logging.DEBUG):
            sql_logger.debug("(%.3f) %s; args=%s; alias=%s", duration, shown, params, self.alias,
                             extra={"duration": duration, "sql": shown, "params": params, "alias": self.alias})

    def _on_error(self, exc):
        if isinstance(exc, sqlalchemy.exc.MissingGreenlet):
            from ormlette.core.exceptions import SynchronousOnlyOperation

            raise SynchronousOnlyOperation(
                "This task holds an async connection (inside 'async with transaction.atomic()'); use the "
                "async API (aget, acount, async for, ...) instead of synchronous calls here.") from exc
        self.errors_occurred = True
        if self.connection is not None and self.ops.is_disconnect(exc):
            self._discard_broken_connection(exc)
        reraise_translated(exc, self.ops.error_class_for(exc))

    def _discard_broken_connection(self, exc=None):
        """A dead connection: the pool replaces it (and every older one); atomic blocks must be left first.

        Outside ``atomic()`` the next query gets a fresh connection. Inside, as in Django, the block is
        broken until its outermost level exits (queries raise TransactionManagementError); then the
        wrapper lets the connection go. An async connection is given back by run_sync.
        """
        _pool.epoch_for(self.alias).invalidate()
        conn = self.connection
        self._reusable_cursor = None
        try:
            conn.invalidate(exc)
        except Exception:  # noqa: BLE001 - the connection is gone either way
            pass
        if self.in_atomic_block:
            self.closed_in_transaction = True
            self.needs_rollback = True
            self.rollback_exc = exc
        elif self.async_connection is None:
            self.connection = self.dbapi = None
            self._reset_connection_state()

    def release_closed_in_transaction(self):
        """After the outermost atomic block of a connection that died inside it: forget the connection."""
        if self.async_connection is None:
            self.connection = self.dbapi = None
        self._reset_connection_state()

    @contextmanager
    def execute_wrapper(self, wrapper):
        """Install ``wrapper(execute, sql, params, many, context)`` around every statement."""
        self.execute_wrappers.append(wrapper)
        try:
            yield
        finally:
            self.execute_wrappers.pop()

    def execute_raw(self, sql, params=None):
        """Execute one statement and return the DB-API cursor (internal fast path)."""
        cursor = self.new_cursor()
        self.execute_sql(cursor, sql, params)
        return cursor

    # -- transactions -------------------------------------------------------------------------
    def get_autocommit(self):
        """Whether the connection is in autocommit mode."""
        self.ensure_connection()
        return self.autocommit

    def set_autocommit(self, autocommit, force_begin_transaction_with_broken_autocommit=False):
        """Enter or leave autocommit mode; leaving it starts a transaction."""
        self.validate_no_atomic_block()
        self.ensure_connection()
        if autocommit == self.autocommit:
            return
        if autocommit:
            self._run_tx_sql(self.ops.commit_sql())
            self.autocommit = True
            self.run_and_clear_commit_hooks()
        else:
            self._run_tx_sql(self.ops.begin_sql())
            self.autocommit = False

    def begin_transaction(self):
        """Leave autocommit for an outermost ``atomic`` block."""
        self.ensure_connection()
        self._run_tx_sql(self.ops.begin_sql())
        self.autocommit = False

    def commit(self):
        """Commit the current transaction and go back to autocommit."""
        self.validate_thread_sharing()
        self.validate_no_atomic_block()
        self._commit()
        self.errors_occurred = False
        self.run_and_clear_commit_hooks()

    def rollback(self):
        """Roll back the current transaction and go back to autocommit."""
        self.validate_no_atomic_block()
        self._rollback()
        self.errors_occurred = False
        self.needs_rollback = False
        self.run_on_commit = []

    def _commit(self):
        if self.connection is not None and not self.autocommit:
            # A failed COMMIT (a deferred constraint) leaves the transaction open for the caller's rollback.
            self._run_tx_sql(self.ops.commit_sql())
            self.autocommit = True

    def _rollback(self):
        if self.connection is not None and not self.autocommit:
            try:
                self._run_tx_sql(self.ops.rollback_sql())
            finally:
                self.autocommit = True

    def _run_tx_sql(self, sql, logged=False):
        # BEGIN/COMMIT/ROLLBACK are connection control, not queries: like Django, they are not
        # logged or wrapped. Savepoint statements are (``logged=True``), as in Django.
        cursor = self.new_cursor()
        try:
            if logged:
                self.execute_sql(cursor, sql, None, check_broken=False)
            else:
                try:
                    cursor.execute(sql)
                except Exception as exc:  # noqa: BLE001 - translated below
                    self._on_error(exc)
        finally:
            cursor.close()

    def savepoint(self):
        """Create a savepoint inside a transaction; return its id (None outside one)."""
        if self.autocommit or not self.features.uses_savepoints:
            return None
        self.savepoint_state += 1
        sid = "s%s_x%d" % (id(self) % 1000000, self.savepoint_state)
        self._run_tx_sql(self.ops.savepoint_create_sql(sid), logged=True)
        return sid

    def savepoint_rollback(self, sid):
        """Roll back to a savepoint and drop the on_commit hooks registered after it."""
        self._run_tx_sql(self.ops.savepoint_rollback_sql(sid), logged=True)
        self.run_on_commit = [hook for hook in self.run_on_commit if sid not in hook[0]]

    def savepoint_commit(self, sid):
        """Release a savepoint."""
        self._run_tx_sql(self.ops.savepoint_commit_sql(sid), logged=True)

    def clean_savepoints(self):
        """Reset the savepoint counter."""
        self.savepoint_state = 0

    def get_rollback(self):
        """Whether the innermost atomic block is marked for rollback."""
        if not self.in_atomic_block:
            raise TransactionManagementError("The rollback flag doesn't work outside of an 'atomic' block.")
        return self.needs_rollback

    def set_rollback(self, rollback):
        """Mark (or unmark) the innermost atomic block for rollback."""
        if not self.in_atomic_block:
            raise TransactionManagementError("The rollback flag doesn't work outside of an 'atomic' block.")
        self.needs_rollback = rollback

    def validate_no_atomic_block(self):
        """Raise if inside an atomic block."""
        if self.in_atomic_block:
            raise TransactionManagementError("This is forbidden when an 'atomic' block is active.")

    def validate_no_broken_transaction(self):
        """Raise Django's error for queries after a failed statement inside ``atomic``."""
        if self.needs_rollback:
            raise TransactionManagementError(
                "An error occurred in the current transaction. You can't execute queries until the "
                "end of the 'atomic' block."
            ) from self.rollback_exc

    def validate_thread_sharing(self):
        """Connections are per context already; nothing to check."""

    def on_commit(self, func, robust=False):
        """Run ``func`` after the current transaction commits (now, in autocommit)."""
        if not callable(func):
            raise TypeError("on_commit()'s callback must be a callable.")
        if self.in_atomic_block:
            self.run_on_commit.append((set(self.savepoint_ids), func, robust))
        elif not self.get_autocommit():
            raise TransactionManagementError("on_commit() cannot be used in manual transaction management")
        else:
            self._run_hook(func, robust)

    def run_and_clear_commit_hooks(self):
        """Run the pending on_commit callbacks in registration order."""
        self.validate_no_atomic_block()
        hooks, self.run_on_commit = self.run_on_commit, []
        while hooks:
            _, func, robust = hooks.pop(0)
            self._run_hook(func, robust)

    @staticmethod
    def _run_hook(func, robust):
        if not robust:
            func()
            return
        try:
            func()
        except Exception as exc:  # noqa: BLE001 - robust hooks log and carry on, as Django
            import logging

            logging.getLogger("ormlette.db.backends.base").error(
                "Error calling %s in on_commit() (%s).", getattr(func, "__qualname__", func), exc, exc_info=True
            )

    # -- schema ---------------------------------------------------------------------------------
    def disable_constraint_checking(self):
        """Turn foreign key enforcement off for table rebuilds (True if it was turned off)."""
        return False

    def enable_constraint_checking(self):
        """Turn foreign key enforcement back on."""

    @property
    def creation(self):
        """Test database creation and flushing for this connection (``connection.creation``)."""
        creation = self.__dict__.get("_creation")
        if creation is None:
            creation = self.__dict__["_creation"] = self.creation_class(self)
        return creation

    def schema_editor(self, *args, **kwargs):
        """A schema editor bound to this connection."""
        return self.schema_editor_class(self, *args, **kwargs)

    def chunked_cursor(self):
        """A cursor for streaming results (server-side where supported)."""
        return self.cursor()

    def temporary_connection(self):
        """Context manager that yields a cursor and closes the connection if it opened it."""
        return _TemporaryConnection(self)


class _TemporaryConnection:
    def __init__(self, wrapper):
        self.wrapper = wrapper
        self.must_close = wrapper.connection is None

    def __enter__(self):
        self.cursor = self.wrapper.cursor()
        return self.cursor

    def __exit__(self, *exc):
        self.cursor.close()
        if self.must_close:
            self.wrapper.close()


def _cause(exc):
    """The driver's exception under a SQLAlchemy wrapper (or the exception itself)."""
    return getattr(exc, "orig", None) or exc


def _bind_wrapper(wrapper, inner):
    def call(sql, params, many, context):
        return wrapper(inner, sql, params, many, context)

    return call
