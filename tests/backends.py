"""Backend selection for the test suite.

``ORMLETTE_TEST_BACKEND`` (``sqlite`` by default, or ``postgresql`` / ``mysql``)
picks the database. ``tests/conftest.py`` calls :func:`setup_databases` and
:func:`configure_ormlette` from ``pytest_configure`` (before any test module is
imported) and :func:`teardown_databases` from ``pytest_unconfigure``.

After setup, other test code can read:

* ``VENDOR``: ``"sqlite"``, ``"postgresql"`` or ``"mysql"`` (Django's
  ``connection.vendor`` spelling; MariaDB is ``"mysql"``).
* ``TEST_DB``: the ``DATABASES["default"]`` dict ormlette was configured with.
* ``REFERENCE_DB``: a second, empty database in Django's ``DATABASES`` format
  (ENGINE ``django.db.backends.<vendor>``, same server and credentials), for
  running real Django side by side (see :func:`django_settings`).
* ``SKIP_REASON``: set when the server could not be reached outside CI; every
  test is then skipped with this reason.

Server locations can be overridden with ``ORMLETTE_TEST_PG_HOST`` /
``_PORT`` / ``_USER`` / ``_PASSWORD`` and ``ORMLETTE_TEST_MYSQL_HOST`` /
``_PORT`` / ``_USER`` / ``_PASSWORD``.

Helpers for test modules::

    from tests.backends import clean_tables, use_models

    tables = use_models(Author, Book)              # module-scoped: CREATE/DROP TABLE
    cleanup = clean_tables(Author, Book, autouse=True)  # DELETE FROM after each test
    pytestmark = pytest.mark.usefixtures("tables")
"""
import os
import shutil
import sys
import tempfile

import pytest

BACKEND_ENV = "ORMLETTE_TEST_BACKEND"

_ALIASES = {
    "sqlite": "sqlite",
    "sqlite3": "sqlite",
    "postgresql": "postgresql",
    "postgres": "postgresql",
    "pg": "postgresql",
    "mysql": "mysql",
    "mariadb": "mysql",
}

ORMLETTE_ENGINES = {
    "sqlite": "ormlette.db.backends.sqlite3",
    "postgresql": "ormlette.db.backends.postgresql",
    "mysql": "ormlette.db.backends.mysql",
}

DJANGO_ENGINES = {
    "sqlite": "django.db.backends.sqlite3",
    "postgresql": "django.db.backends.postgresql",
    "mysql": "django.db.backends.mysql",
}

_SERVER_DEFAULTS = {
    "postgresql": {"prefix": "ORMLETTE_TEST_PG_", "HOST": "127.0.0.1", "PORT": 5432, "USER": "postgres"},
    "mysql": {"prefix": "ORMLETTE_TEST_MYSQL_", "HOST": "127.0.0.1", "PORT": 3306, "USER": "root"},
}

CONNECT_TIMEOUT = 10


class ServerUnavailable(Exception):
    """The database server for the selected backend could not be reached."""


def _selected_vendor():
    raw = os.environ.get(BACKEND_ENV, "").strip().lower() or "sqlite"
    try:
        return _ALIASES[raw]
    except KeyError:
        raise pytest.UsageError(
            "%s=%r is not a known backend (expected sqlite, postgresql or mysql)" % (BACKEND_ENV, raw)
        ) from None


VENDOR = _selected_vendor()
TEST_DB = None
REFERENCE_DB = None
SKIP_REASON = None

_state = {"tempdir": None, "created": []}


def server_params(vendor=None):
    """Host, port and credentials of the server for ``vendor`` (env overrides applied)."""
    vendor = vendor or VENDOR
    defaults = _SERVER_DEFAULTS[vendor]
    prefix = defaults["prefix"]
    port = os.environ.get(prefix + "PORT", "").strip()
    return {
        "HOST": os.environ.get(prefix + "HOST", "").strip() or defaults["HOST"],
        "PORT": int(port) if port else defaults["PORT"],
        "USER": os.environ.get(prefix + "USER", "").strip() or defaults["USER"],
        "PASSWORD": os.environ.get(prefix + "PASSWORD", ""),
    }


def _db_names():
    pid = os.getpid()
    return "ormlette_test_%d" % pid, "ormlette_ref_%d" % pid


# --- server administration -------------------------------------------------

def _pg_admin(params):
    import psycopg

    try:
        return psycopg.connect(
            host=params["HOST"], port=params["PORT"], user=params["USER"],
            password=params["PASSWORD"] or None, dbname="postgres",
            autocommit=True, connect_timeout=CONNECT_TIMEOUT,
        )
    except psycopg.OperationalError as exc:
        raise ServerUnavailable(
            "cannot connect to PostgreSQL at %s:%s as %s: %s"
            % (params["HOST"], params["PORT"], params["USER"], str(exc).strip())
        ) from exc


def _pg_drop(conn, name):
    from psycopg import sql

    if conn.info.server_version >= 130000:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    else:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()", (name,)
        )
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))


def _pg_create(conn, name):
    from psycopg import sql

    _pg_drop(conn, name)
    conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _mysql_admin(params):
    from ormlette.db.backends.mysql import driver

    try:
        return driver.get_driver().module.connect(
            host=params["HOST"], port=params["PORT"], user=params["USER"],
            password=params["PASSWORD"], autocommit=True, connect_timeout=CONNECT_TIMEOUT,
            charset="utf8mb4",
        )
    except driver.OPERATIONAL_ERRORS as exc:
        raise ServerUnavailable(
            "cannot connect to MySQL/MariaDB at %s:%s as %s: %s"
            % (params["HOST"], params["PORT"], params["USER"], exc)
        ) from exc


def _mysql_drop(conn, name):
    with conn.cursor() as cursor:
        # DROP DATABASE waits for metadata locks held by other sessions: end them.
        cursor.execute(
            "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = %s AND ID <> CONNECTION_ID()",
            (name,),
        )
        for (thread_id,) in cursor.fetchall():
            try:
                cursor.execute("KILL %d" % int(thread_id))
            except Exception:
                pass  # already gone
        cursor.execute("DROP DATABASE IF EXISTS `%s`" % name)


def _mysql_create(conn, name):
    _mysql_drop(conn, name)
    with conn.cursor() as cursor:
        cursor.execute(
            "CREATE DATABASE `%s` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci" % name
        )


_ADMIN = {
    "postgresql": (_pg_admin, _pg_create, _pg_drop),
    "mysql": (_mysql_admin, _mysql_create, _mysql_drop),
}


# --- setup / teardown --------------------------------------------------------

def setup_databases():
    """Create the fresh test and reference databases and fill in TEST_DB / REFERENCE_DB.

    Raises :class:`ServerUnavailable` when the server cannot be reached; TEST_DB
    and REFERENCE_DB are set all the same (to databases that do not exist).
    """
    global TEST_DB, REFERENCE_DB
    if VENDOR == "sqlite":
        tempdir = tempfile.mkdtemp(prefix="ormlette-test-")
        _state["tempdir"] = tempdir
        TEST_DB = {"ENGINE": ORMLETTE_ENGINES["sqlite"], "NAME": os.path.join(tempdir, "test.sqlite3")}
        REFERENCE_DB = {"ENGINE": DJANGO_ENGINES["sqlite"], "NAME": os.path.join(tempdir, "reference.sqlite3")}
        return TEST_DB

    params = server_params()
    test_name, ref_name = _db_names()
    TEST_DB = dict(ENGINE=ORMLETTE_ENGINES[VENDOR], NAME=test_name, **params)
    REFERENCE_DB = dict(ENGINE=DJANGO_ENGINES[VENDOR], NAME=ref_name, **params)
    connect, create, _drop = _ADMIN[VENDOR]
    conn = connect(params)
    try:
        for name in (test_name, ref_name):
            create(conn, name)
            _state["created"].append(name)
    finally:
        conn.close()
    return TEST_DB


def _close_connections():
    """Close ormlette's (and a configured Django's) connections before dropping databases."""
    if "ormlette.db" in sys.modules:
        try:
            sys.modules["ormlette.db"].connections.close_all()
        except Exception:
            pass
    if "django.db" in sys.modules:
        try:
            from django.conf import settings as django_settings_obj

            if django_settings_obj.configured:
                sys.modules["django.db"].connections.close_all()
        except Exception:
            pass


def teardown_databases():
    """Drop the databases created by :func:`setup_databases` (errors are reported, not raised)."""
    _close_connections()
    tempdir = _state.pop("tempdir", None)
    if tempdir:
        shutil.rmtree(tempdir, ignore_errors=True)
    created = _state.get("created") or []
    if created:
        connect, _create, drop = _ADMIN[VENDOR]
        try:
            conn = connect(server_params())
        except ServerUnavailable as exc:
            sys.stderr.write("ormlette tests: could not drop %s: %s\n" % (", ".join(created), exc))
        else:
            try:
                for name in list(created):
                    try:
                        drop(conn, name)
                        created.remove(name)
                    except Exception as exc:
                        sys.stderr.write("ormlette tests: could not drop %s: %s\n" % (name, exc))
            finally:
                conn.close()


def configure_ormlette():
    """Point ormlette's settings at TEST_DB (UTC, USE_TZ=True)."""
    from ormlette.conf import settings

    if getattr(settings, "configured", False):
        # Something (a plugin, an import) configured or touched the settings
        # already: the backend chosen for the test run wins.
        _close_connections()
        settings._reset()
    settings.configure(DATABASES={"default": dict(TEST_DB)}, USE_TZ=True, TIME_ZONE="UTC")
    from ormlette.db import connections

    reset = getattr(connections, "reset", None)
    if reset is not None:
        reset()


def django_settings(**overrides):
    """Keyword arguments for ``django.conf.settings.configure()`` using REFERENCE_DB.

    On MySQL/MariaDB Django runs on the driver ormlette runs on: mysqlclient
    (Django's MySQL backend imports ``MySQLdb``), or PyMySQL installed as
    ``MySQLdb`` when ormlette falls back to it.
    """
    if VENDOR == "mysql":
        from ormlette.db.backends.mysql.driver import get_driver

        if get_driver().name == "pymysql":
            import pymysql

            # With mysqlclient installed too, its MySQLdb.* submodules must not be mixed with PyMySQL.
            for name in [n for n in sys.modules if n == "MySQLdb" or n.startswith("MySQLdb.")]:
                del sys.modules[name]
            pymysql.install_as_MySQLdb()
    options = {
        "DATABASES": {"default": dict(REFERENCE_DB)},
        "USE_TZ": True,
        "TIME_ZONE": "UTC",
        "DEFAULT_AUTO_FIELD": "django.db.models.BigAutoField",
    }
    options.update(overrides)
    return options


# --- fixture factories ---------------------------------------------------------

def _connection(using):
    from ormlette.db import connections

    return connections[using]


def use_models(*models, autouse=False, using="default"):
    """A module-scoped fixture creating the tables of ``models`` (in order), dropping them after.

    Assign it to a module-level name, which becomes the fixture's name::

        tables = use_models(Author, Book)
    """

    @pytest.fixture(scope="module", autouse=autouse)
    def _use_models():
        connection = _connection(using)
        try:
            with connection.schema_editor() as editor:
                for model in models:
                    editor.create_model(model)
        except BaseException:
            # Backends without transactional DDL (MySQL) keep what was created.
            for model in reversed(models):
                try:
                    with connection.schema_editor() as editor:
                        editor.delete_model(model)
                except Exception:
                    pass
            raise
        yield models
        with connection.schema_editor() as editor:
            for model in reversed(models):
                editor.delete_model(model)

    return _use_models


def _tables_to_clean(models):
    """db_table of each model, auto-created many-to-many tables before their models."""
    tables = []
    for model in reversed(models):
        for field in getattr(model._meta, "local_many_to_many", ()):
            through = getattr(getattr(field, "remote_field", None), "through", None)
            through_meta = getattr(through, "_meta", None)
            if through_meta is not None and through_meta.auto_created and through_meta.db_table not in tables:
                tables.append(through_meta.db_table)
        if model._meta.db_table not in tables:
            tables.append(model._meta.db_table)
    return tables


def clean_tables(*models, autouse=False, using="default"):
    """A function-scoped fixture emptying the tables of ``models`` after each test.

    Rows are deleted in reverse order of ``models`` (list parents first).
    """

    @pytest.fixture(autouse=autouse)
    def _clean_tables():
        yield
        connection = _connection(using)
        with connection.cursor() as cursor:
            for table in _tables_to_clean(models):
                cursor.execute("DELETE FROM %s" % connection.ops.quote_name(table))

    return _clean_tables


def _fast_paths_on():
    from ormlette.db.models import fast

    return fast.enabled()


# For tests that check a fast path itself (that it is taken, what it keeps): with ORMLETTE_FAST=0 there is none.
requires_fast = pytest.mark.skipif(not _fast_paths_on(), reason="checks a fast path itself; ORMLETTE_FAST=0")
