"""Driver and SQLAlchemy errors, connect-time included, reach the user as ormlette.db's classes."""
import asyncio
import os
import threading

import pytest

from ormlette import db
from ormlette.db import connection, connections, transaction
from tests import backends
from tests.backends import use_models
from tests.connections.helpers import extra_alias
from tests.connections.models import Customer

tables = use_models(Customer)
pytestmark = pytest.mark.usefixtures("tables")


def unreachable_settings(kind):
    """Settings overrides for a database that cannot be connected to, of the given kind."""
    if backends.VENDOR == "sqlite":
        return {"NAME": "/nonexistent-ormlette-dir/%s/db.sqlite3" % kind}
    return {
        "wrong_database": {"NAME": "ormlette_no_such_db_%d" % os.getpid()},
        "wrong_user": {"USER": "ormlette_no_such_user", "PASSWORD": "nope"},
        "server_down": {"PORT": 1},
    }[kind]


def assert_driver_cause(exc):
    cause = exc.__cause__
    assert cause is not None and not isinstance(cause, db.Error)
    assert type(cause).__module__.split(".")[0] not in ("sqlalchemy", "ormlette"), type(cause)
    assert isinstance(cause, connection.ops.dbapi_errors()) or type(cause).__name__ == "OperationalError"


KINDS = ["wrong_database", "wrong_user", "server_down"]


@pytest.mark.parametrize("kind", KINDS)
def test_connect_errors_are_operational_errors(kind):
    with extra_alias("bad_%s" % kind, **unreachable_settings(kind)) as alias:
        with pytest.raises(db.OperationalError) as info:
            Customer.objects.using(alias).count()
    assert_driver_cause(info.value)


@pytest.mark.parametrize("kind", KINDS)
def test_async_connect_errors_are_operational_errors(kind):
    with extra_alias("abad_%s" % kind, **unreachable_settings(kind)) as alias:
        async def main():
            with pytest.raises(db.OperationalError) as info:
                await Customer.objects.using(alias).acount()
            return info.value
        error = asyncio.run(main())
    assert_driver_cause(error)


def test_statement_errors_carry_the_driver_exception():
    with pytest.raises(db.DatabaseError) as info:  # ProgrammingError; OperationalError on SQLite, as its driver says
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM ormlette_no_such_table")
    assert_driver_cause(info.value)
    assert Customer.objects.count() == 0  # the connection is still good


def test_pool_exhaustion_raises_a_clear_error_after_the_timeout():
    if backends.VENDOR == "sqlite" and connection.settings_dict["NAME"] in ("", ":memory:"):
        pytest.skip("a memory database has one shared connection")
    with extra_alias("tiny", OPTIONS={"pool_size": 1, "max_overflow": 0, "pool_timeout": 0.2}) as alias:
        connections[alias].ensure_connection()  # this thread holds the only connection
        errors = []

        def other():
            try:
                Customer.objects.using(alias).count()
            except db.OperationalError as exc:
                errors.append(exc)
            finally:
                connections[alias].close()
        thread = threading.Thread(target=other)
        thread.start()
        thread.join(30)
    assert len(errors) == 1
    message = str(errors[0])
    assert "'tiny'" in message and "exhausted" in message and "pool_size=1, max_overflow=0" in message


def test_async_pool_exhaustion_raises_a_clear_error():
    if not connection.supports_async_driver() or backends.VENDOR == "sqlite":
        pytest.skip("needs a pooled async driver")
    with extra_alias("atiny", OPTIONS={"pool_size": 1, "max_overflow": 0, "pool_timeout": 0.2}) as alias:
        async def holder(entered, release):
            async with transaction.atomic(using=alias):
                await Customer.objects.using(alias).acount()
                entered.set()
                await release.wait()

        async def main():
            entered, release = asyncio.Event(), asyncio.Event()
            task = asyncio.create_task(holder(entered, release))
            await entered.wait()
            try:
                with pytest.raises(db.OperationalError, match="exhausted") as info:
                    await Customer.objects.using(alias).acount()
            finally:
                release.set()
                await task
            return info.value, await Customer.objects.using(alias).acount()
        error, count = asyncio.run(main())
    assert "'atiny'" in str(error) and count == 0


def test_a_missing_postgresql_driver_names_the_extra(monkeypatch):
    from ormlette.db.backends.postgresql import base as pg_base

    monkeypatch.setattr(pg_base, "psycopg", None)
    wrapper = pg_base.DatabaseWrapper({"ENGINE": "ormlette.db.backends.postgresql", "NAME": "x"}, "pgx",
                                      connections.engine_for)
    with pytest.raises(ImportError, match=r"ormlette\[postgresql\]"):
        wrapper.connect_dbapi()


def test_a_missing_mysql_driver_names_the_extra(monkeypatch):
    from ormlette.db.backends.mysql import driver

    monkeypatch.setattr(driver, "available", lambda: [])
    monkeypatch.delenv("ORMLETTE_MYSQL_DRIVER", raising=False)
    with pytest.raises(ImportError, match=r"ormlette\[mysql\]"):
        driver.get_driver()
