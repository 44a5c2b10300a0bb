"""Database access: ``connection``, ``connections``, ``router``, ``transaction`` and the PEP 249 errors."""
from ormlette.db.errors import (
    DatabaseError, DataError, Error, IntegrityError, InterfaceError, InternalError,
    NotSupportedError, OperationalError, ProgrammingError,
)
from ormlette.db.routers import ConnectionRouter
from ormlette.db.utils import DEFAULT_DB_ALIAS, DJANGO_VERSION_PICKLE_KEY, VERSION_PICKLE_KEY, ConnectionHandler

connections = ConnectionHandler()
router = ConnectionRouter()


class ConnectionProxy:
    """Proxy to the current context's default connection (``django.db.connection``)."""

    def __init__(self, handler, alias):
        object.__setattr__(self, "_handler", handler)
        object.__setattr__(self, "_alias", alias)

    def __getattr__(self, name):
        return getattr(self._handler[self._alias], name)

    def __setattr__(self, name, value):
        setattr(self._handler[self._alias], name, value)

    def __delattr__(self, name):
        delattr(self._handler[self._alias], name)

    def __eq__(self, other):
        return self._handler[self._alias] == other

    def __hash__(self):
        return hash(self._handler[self._alias])

    def __repr__(self):
        return repr(self._handler[self._alias])


connection = ConnectionProxy(connections, DEFAULT_DB_ALIAS)


def reset_queries(**kwargs):
    """Clear the query log of every connection in this context."""
    for conn in connections.all(initialized_only=True):
        conn.queries_log.clear()


def close_old_connections(**kwargs):
    """Close connections that are unusable or past their lifetime."""
    for conn in connections.all(initialized_only=True):
        conn.close_if_unusable_or_obsolete()


from ormlette.db import transaction  # noqa: E402  (needs ``connections`` defined above)

__all__ = [
    "connection", "connections", "router", "transaction", "DEFAULT_DB_ALIAS", "reset_queries",
    "VERSION_PICKLE_KEY", "DJANGO_VERSION_PICKLE_KEY",
    "close_old_connections", "Error", "InterfaceError", "DatabaseError", "DataError",
    "OperationalError", "IntegrityError", "InternalError", "ProgrammingError", "NotSupportedError",
]
