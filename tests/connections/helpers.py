"""Server-side connection counts, backend ids and kills for the connection tests.

Every kill targets a connection id that this test process read from its own connection: other
processes share these servers.
"""
import contextlib

import pytest

from ormlette.conf import settings
from ormlette.db import connections
from tests import backends

SERVER = backends.VENDOR in ("postgresql", "mysql")
needs_server = pytest.mark.skipif(not SERVER, reason="needs a database server (PostgreSQL or MariaDB)")

BACKEND_ID_SQL = {"postgresql": "SELECT pg_backend_pid()", "mysql": "SELECT CONNECTION_ID()"}


def admin_connection():
    """A driver connection of its own (not ormlette's) to count and kill our test database's sessions."""
    params = backends.server_params()
    if backends.VENDOR == "postgresql":
        import psycopg

        return psycopg.connect(host=params["HOST"], port=params["PORT"], user=params["USER"],
                               password=params["PASSWORD"] or None, dbname="postgres", autocommit=True)
    from ormlette.db.backends.mysql import driver

    return driver.get_driver().module.connect(host=params["HOST"], port=params["PORT"], user=params["USER"],
                                              password=params["PASSWORD"], autocommit=True)


@pytest.fixture
def admin():
    """An admin connection, closed after the test."""
    conn = admin_connection()
    yield conn
    conn.close()


def server_count(admin):
    """How many sessions the server has open on this run's test database (ormlette's only use it)."""
    cursor = admin.cursor()
    if backends.VENDOR == "postgresql":
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [backends.TEST_DB["NAME"]])
    else:
        cursor.execute("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = %s", [backends.TEST_DB["NAME"]])
    count = cursor.fetchone()[0]
    cursor.close()
    return count


def settled_count(admin, expected, wait=10.0):
    """The session count once it reaches ``expected`` (a closed session leaves the server a moment later).

    Gives up after ``wait`` seconds and returns the count then, for the test to compare.
    """
    import time

    deadline = time.monotonic() + wait
    count = server_count(admin)
    while count != expected and time.monotonic() < deadline:
        time.sleep(0.05)
        count = server_count(admin)
    return count


def stable_count(admin):
    """The session count once two readings 0.1 s apart agree (sessions closed just before have left)."""
    import time

    previous = server_count(admin)
    for _ in range(50):
        time.sleep(0.1)
        count = server_count(admin)
        if count == previous:
            return count
        previous = count
    return previous


def kill(admin, backend_id):
    """End one of this process's own server sessions (an id read from it with BACKEND_ID_SQL)."""
    cursor = admin.cursor()
    if backends.VENDOR == "postgresql":
        cursor.execute("SELECT pg_terminate_backend(%s)", [backend_id])
        # pg_terminate_backend only signals: wait until the backend is gone.
        for _ in range(200):
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [backend_id])
            if cursor.fetchone()[0] == 0:
                break
            import time

            time.sleep(0.01)
    else:
        cursor.execute("KILL %d" % int(backend_id))
    cursor.close()


def backend_id(connection=None):
    """The server's id for the connection ``connection`` (default: the default alias) holds."""
    connection = connection or connections["default"]
    with connection.cursor() as cursor:
        cursor.execute(BACKEND_ID_SQL[connection.vendor])
        return cursor.fetchone()[0]


@contextlib.contextmanager
def extra_alias(name, **overrides):
    """A second alias on the test database with settings ``overrides`` (its pools disposed after)."""
    entry = dict(settings.DATABASES["default"])
    options = overrides.pop("OPTIONS", None)
    entry.update(overrides)
    if options is not None:
        entry["OPTIONS"] = options
    settings.DATABASES[name] = entry
    try:
        yield name
    finally:
        drop_alias(name)


def drop_alias(name):
    """Close ``name``'s connections in every context and dispose its pools."""
    for wrapper in list(connections._all):
        if wrapper.alias == name:
            wrapper.close()
    connections._state().pop(name, None)
    engine = connections._engines.pop(name, None)
    if engine is not None:
        engine.dispose()
    settings.DATABASES.pop(name, None)
