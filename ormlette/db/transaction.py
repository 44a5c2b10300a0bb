"""Transactions with Django's rules: ``atomic``, savepoints, ``on_commit``, rollback marks."""
from contextlib import ContextDecorator, contextmanager

from ormlette.db import DEFAULT_DB_ALIAS, connections
from ormlette.db.async_bridge import run_sync
from ormlette.db.errors import DatabaseError, Error, ProgrammingError  # noqa: F401
from ormlette.db.transaction_errors import TransactionManagementError

__all__ = [
    "atomic", "non_atomic_requests", "on_commit", "get_autocommit", "set_autocommit", "commit",
    "rollback", "savepoint", "savepoint_rollback", "savepoint_commit", "clean_savepoints",
    "get_rollback", "set_rollback", "mark_for_rollback_on_error", "get_connection",
    "TransactionManagementError",
]


def get_connection(using=None):
    """The wrapper for ``using`` (default alias when None)."""
    return connections[using or DEFAULT_DB_ALIAS]


def get_autocommit(using=None):
    """Whether the connection is in autocommit mode."""
    return get_connection(using).get_autocommit()


def set_autocommit(autocommit, using=None):
    """Set autocommit mode."""
    return get_connection(using).set_autocommit(autocommit)


def commit(using=None):
    """Commit a manually managed transaction."""
    get_connection(using).commit()


def rollback(using=None):
    """Roll back a manually managed transaction."""
    get_connection(using).rollback()


def savepoint(using=None):
    """Create a savepoint and return its id."""
    return get_connection(using).savepoint()


def savepoint_rollback(sid, using=None):
    """Roll back to the savepoint ``sid``."""
    get_connection(using).savepoint_rollback(sid)


def savepoint_commit(sid, using=None):
    """Release the savepoint ``sid``."""
    get_connection(using).savepoint_commit(sid)


def clean_savepoints(using=None):
    """Reset the savepoint counter."""
    get_connection(using).clean_savepoints()


def get_rollback(using=None):
    """Whether the innermost atomic block is marked for rollback."""
    return get_connection(using).get_rollback()


def set_rollback(rollback, using=None):
    """Force (or cancel) a rollback when the innermost atomic block exits."""
    return get_connection(using).set_rollback(rollback)


def on_commit(func, using=None, robust=False):
    """Register ``func`` to run after the current transaction commits."""
    get_connection(using).on_commit(func, robust)


@contextmanager
def mark_for_rollback_on_error(using=None):
    """Mark the atomic block for rollback if the wrapped code raises."""
    try:
        yield
    except Exception as exc:
        mark_rollback_after_error(using, exc)
        raise


def mark_rollback_after_error(using, exc):
    """Inside an atomic block, mark it for rollback because ``exc`` was raised."""
    connection = get_connection(using)
    if connection.in_atomic_block:
        connection.needs_rollback = True
        connection.rollback_exc = exc


class Atomic(ContextDecorator):
    """An atomic block: a transaction when outermost, a savepoint when nested."""

    def __init__(self, using, savepoint, durable):
        self.using = using
        self.savepoint = savepoint
        self.durable = durable
        self._from_testcase = False

    def __enter__(self):
        connection = get_connection(self.using)
        if self.durable and connection.atomic_blocks and not connection.atomic_blocks[-1]._from_testcase:
            raise RuntimeError("A durable atomic block cannot be nested within another atomic block.")
        if not connection.in_atomic_block:
            connection.ensure_connection()
            connection.commit_on_exit = True
            connection.needs_rollback = False
            if not connection.get_autocommit():
                # Already in a manually managed transaction: behave as a nested block.
                connection.in_atomic_block = True
                connection.commit_on_exit = False
        if connection.in_atomic_block:
            if self.savepoint and not connection.needs_rollback:
                connection.savepoint_ids.append(connection.savepoint())
            else:
                connection.savepoint_ids.append(None)
        else:
            connection.begin_transaction()
            connection.in_atomic_block = True
        if connection.in_atomic_block:
            connection.atomic_blocks.append(self)

    async def __aenter__(self):
        await run_sync(self.__enter__, using=self.using)
        return self

    async def __aexit__(self, exc_type, exc_value, traceback):
        await run_sync(self.__exit__, exc_type, exc_value, traceback, using=self.using)
        return False

    def __exit__(self, exc_type, exc_value, traceback):
        connection = get_connection(self.using)
        if connection.in_atomic_block and connection.atomic_blocks:
            connection.atomic_blocks.pop()
        if connection.savepoint_ids:
            sid = connection.savepoint_ids.pop()
        else:
            sid = None
            connection.in_atomic_block = False  # leaving the outermost block
        try:
            if connection.connection is None:
                return  # the connection was closed inside the block
            if connection.closed_in_transaction:
                pass  # the connection died inside: the server rolled back; wait for the outermost block
            elif exc_type is None and not connection.needs_rollback:
                self._exit_success(connection, sid)
            else:
                self._exit_failure(connection, sid)
        finally:
            outermost = not connection.in_atomic_block or (
                not connection.savepoint_ids and not connection.commit_on_exit)
            if connection.closed_in_transaction and outermost:
                connection.release_closed_in_transaction()
            elif connection.in_atomic_block and not connection.savepoint_ids and not connection.commit_on_exit:
                connection.in_atomic_block = False

    @staticmethod
    def _exit_success(connection, sid):
        if connection.in_atomic_block:
            if sid is None:
                return
            try:
                connection.savepoint_commit(sid)
            except DatabaseError:
                try:
                    connection.savepoint_rollback(sid)
                except Error:
                    connection.needs_rollback = True
                raise
            return
        if not connection.commit_on_exit:
            if sid is not None:
                connection.savepoint_commit(sid)
            return
        try:
            connection._commit()
        except DatabaseError:
            try:
                connection._rollback()
            except Error:
                connection.close()
            connection.run_on_commit = []
            raise
        connection.run_and_clear_commit_hooks()

    @staticmethod
    def _exit_failure(connection, sid):
        connection.needs_rollback = False
        if connection.in_atomic_block or not connection.commit_on_exit:
            if sid is None:
                connection.needs_rollback = connection.in_atomic_block
                return
            try:
                connection.savepoint_rollback(sid)
                connection.savepoint_commit(sid)
            except Error:
                connection.needs_rollback = True
            return
        try:
            connection._rollback()
        except Error:
            connection.close()
        connection.run_on_commit = []


def atomic(using=None, savepoint=True, durable=False):
    """``@atomic``, ``@atomic(using=...)`` or ``with atomic():``."""
    if callable(using):
        return Atomic(DEFAULT_DB_ALIAS, savepoint, durable)(using)
    return Atomic(using, savepoint, durable)


def non_atomic_requests(using=None):
    """Compatibility no-op decorator (there are no request-wide transactions here)."""
    if callable(using):
        return using
    return lambda view: view
