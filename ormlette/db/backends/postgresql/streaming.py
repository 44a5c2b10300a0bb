"""Server-side cursors for ``QuerySet.iterator()``: rows come in ``FETCH FORWARD n`` chunks.

As Django: a named cursor declared with client-side parameter binding (the same SQL a client
cursor would send), ``WITH HOLD`` when no transaction is open so it outlives the implicit
commit. The client then holds one chunk at a time instead of the whole result.
"""
import itertools
import threading

try:
    import psycopg
    from psycopg.client_cursor import ClientCursorMixin
except ImportError:  # pragma: no cover - the backend itself reports the missing driver
    psycopg = None

_names = itertools.count(1)

if psycopg is not None:
    class StreamingCursor(ClientCursorMixin, psycopg.ServerCursor):
        """A named (server-side) cursor whose parameters are bound client-side."""


def streaming_cursor(dbapi_connection):
    """A new server-side cursor on ``dbapi_connection`` with a name unique to this process."""
    idle = dbapi_connection.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
    name = "_ormlette_curs_%d_%d" % (threading.get_ident(), next(_names))
    return StreamingCursor(dbapi_connection, name, withhold=idle)
