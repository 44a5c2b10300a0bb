"""Pool and connection settings in Django's and SQLAlchemy's words; fork safety; connection_created."""
import os

import pytest
import sqlalchemy

from ormlette.core.exceptions import ImproperlyConfigured
from ormlette.db import close_old_connections, connection, connections
from ormlette.db.backends.base.pool import split_settings
from ormlette.db.backends.signals import connection_created
from ormlette.db.urls import parse_database_url
from tests import backends
from tests.backends import use_models
from tests.connections.helpers import BACKEND_ID_SQL, backend_id, extra_alias, needs_server
from tests.connections.models import Customer

tables = use_models(Customer)
pytestmark = pytest.mark.usefixtures("tables")


def config(**entry):
    return split_settings(entry)


def test_url_query_pool_parameters_are_taken_off_before_the_driver():
    entry = parse_database_url("postgresql://u:p@db.example/app?pool_size=5&max_overflow=0&pool_timeout=2.5"
                               "&pool_recycle=300&pool_pre_ping=true&sslmode=require")
    cleaned, pool = split_settings(entry)
    assert cleaned["OPTIONS"] == {"sslmode": "require"}
    assert pool.engine_kwargs() == {"pool_size": 5, "max_overflow": 0, "pool_timeout": 2.5, "pool_recycle": 300,
                                    "pool_pre_ping": True}
    assert entry["OPTIONS"]["pool_size"] == "5"  # the caller's dict is not modified


def test_django_pool_option():
    assert config(OPTIONS={"pool": True})[1].engine_kwargs()["pool_size"] == 4
    cleaned, pool = config(OPTIONS={"pool": {"min_size": 2, "max_size": 8, "timeout": 5, "max_lifetime": 60,
                                             "check": True}, "sslmode": "disable"})
    assert cleaned["OPTIONS"] == {"sslmode": "disable"}
    assert pool.engine_kwargs() == {"pool_size": 2, "max_overflow": 6, "pool_timeout": 5.0, "pool_recycle": 60,
                                    "pool_pre_ping": True}
    assert config(OPTIONS={"pool": False})[1].engine_kwargs()["poolclass"] is sqlalchemy.pool.NullPool


def test_bad_pool_settings_are_named():
    with pytest.raises(ImproperlyConfigured, match="max_idle"):
        config(OPTIONS={"pool": {"max_idle": 5}})
    with pytest.raises(ImproperlyConfigured, match="pool_size='many'"):
        config(OPTIONS={"pool_size": "many"})
    with pytest.raises(ImproperlyConfigured, match="pool_pre_ping"):
        config(OPTIONS={"pool_pre_ping": "perhaps"})
    with pytest.raises(ImproperlyConfigured, match="max_size"):
        config(OPTIONS={"pool": {"min_size": 5, "max_size": 2}})


def test_conn_max_age_and_health_checks():
    assert config(CONN_MAX_AGE=0)[1].engine_kwargs()["poolclass"] is sqlalchemy.pool.NullPool
    assert config(CONN_MAX_AGE=120)[1].engine_kwargs()["pool_recycle"] == 120
    assert config(CONN_MAX_AGE=None)[1].engine_kwargs()["pool_recycle"] == -1
    assert config(CONN_HEALTH_CHECKS=True)[1].engine_kwargs()["pool_pre_ping"] is True
    assert config()[1].engine_kwargs()["pool_pre_ping"] is False


def test_the_engine_gets_the_pool_and_the_driver_the_rest():
    if backends.VENDOR == "sqlite" and connection.settings_dict["NAME"] in ("", ":memory:"):
        pytest.skip("a memory database has one shared connection")
    passthrough = {"postgresql": {"connect_timeout": 7, "application_name": "ormlette_pool_test"},
                   "mysql": {"connect_timeout": 7}, "sqlite": {"timeout": 7}}[backends.VENDOR]
    options = {"pool_size": "3", "max_overflow": "1", **passthrough}
    with extra_alias("sized", OPTIONS=options) as alias:
        wrapper = connections[alias]
        assert Customer.objects.using(alias).count() == 0
        pool = wrapper.engine.pool
        assert pool.size() == 3 and pool._max_overflow == 1
        assert wrapper.settings_dict["OPTIONS"] == passthrough
        if backends.VENDOR == "postgresql":
            with wrapper.cursor() as cursor:
                cursor.execute("SHOW application_name")
                assert cursor.fetchone()[0] == "ormlette_pool_test"


def test_close_old_connections_honours_conn_max_age():
    with extra_alias("age0", CONN_MAX_AGE=0) as short, extra_alias("agenone", CONN_MAX_AGE=None) as forever:
        Customer.objects.using(short).count()
        Customer.objects.using(forever).count()
        close_old_connections()
        assert connections[short].connection is None
        assert connections[forever].connection is not None


def test_connection_created_is_sent_for_each_new_connection():
    seen = []

    def receiver(sender, connection, **kwargs):
        seen.append((sender, connection))
    connection_created.connect(receiver)
    try:
        with extra_alias("signalled") as alias:
            Customer.objects.using(alias).count()
            Customer.objects.using(alias).count()
            connections[alias].close()
            Customer.objects.using(alias).count()
    finally:
        connection_created.disconnect(receiver)
    assert len(seen) == 2
    assert all(sender is type(connections["default"]) and conn.alias == "signalled" for sender, conn in seen)


@needs_server
@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_forked_child_gets_fresh_connections_and_leaves_the_parents_alone():
    parent_id = backend_id()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        code = 1
        try:
            os.close(read)
            child_id = backend_id()
            os.write(write, str(child_id).encode())
            code = 0
        finally:
            os.close(write)
            os._exit(code)
    os.close(write)
    with os.fdopen(read) as pipe:
        child_id = pipe.read()
    _, status = os.waitpid(pid, 0)
    assert os.WEXITSTATUS(status) == 0
    assert child_id and int(child_id) != parent_id
    assert backend_id() == parent_id  # the parent's connection survived the child
    with connection.cursor() as cursor:
        cursor.execute(BACKEND_ID_SQL[backends.VENDOR])
        assert cursor.fetchone()[0] == parent_id
