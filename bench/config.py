"""Sizes, backends and the benchmark databases (created fresh, dropped afterwards)."""
import os
import tempfile
from dataclasses import dataclass, asdict

BACKENDS = ("sqlite", "postgresql", "mysql")


@dataclass
class Sizes:
    """How much data and how many operations each workload uses."""

    customers: int = 2_000
    products: int = 1_000
    orders: int = 10_000
    items: int = 50_000
    big_items: int = 500_000
    gets: int = 2_000          # W1 calls per run
    slices: int = 500          # W2 calls per run
    prefetch_orders: int = 2_000
    bulk_rows: int = 50_000    # W8
    update_rows: int = 10_000  # W9
    compiles: int = 2_000      # W10
    aggregate_calls: int = 10  # W7a/W7b calls per run (one ~1 ms call is too short to time alone)
    creates: int = 10_000      # W11
    rounds: int = 5
    heavy_rounds: int = 3      # W8 and W12

    def as_dict(self):
        """The sizes as a plain dict (for the JSON results)."""
        return asdict(self)


FULL = Sizes()
QUICK = Sizes(
    customers=50, products=20, orders=200, items=1_000, big_items=2_000, gets=50, slices=20,
    prefetch_orders=40, bulk_rows=500, update_rows=200, compiles=50, aggregate_calls=2, creates=100, rounds=2, heavy_rounds=1,
)

_SERVERS = {
    "postgresql": ("ORMLETTE_TEST_PG_", "127.0.0.1", 5432, "postgres"),
    "mysql": ("ORMLETTE_TEST_MYSQL_", "127.0.0.1", 3306, "root"),
}


def server_params(vendor):
    """Host, port, user and password of the server (the test suite's environment variables)."""
    prefix, host, port, user = _SERVERS[vendor]
    env = os.environ.get
    return {
        "HOST": env(prefix + "HOST", "").strip() or host,
        "PORT": int(env(prefix + "PORT", "").strip() or port),
        "USER": env(prefix + "USER", "").strip() or user,
        "PASSWORD": env(prefix + "PASSWORD", ""),
    }


def mysql_driver():
    """The DB-API module ormlette's MySQL backend uses (MySQLdb from mysqlclient if installed, else pymysql)."""
    from ormlette.db.backends.mysql.driver import get_driver

    return get_driver().module


def create_database(vendor):
    """Create an empty benchmark database; returns Django-style settings (NAME, HOST, ...)."""
    if vendor == "sqlite":
        tmp = tempfile.mkdtemp(prefix="ormlette-bench-")
        return {"NAME": os.path.join(tmp, "bench.sqlite3"), "TMPDIR": tmp}
    params = server_params(vendor)
    name = "ormlette_bench_%d" % os.getpid()
    _admin(vendor, params, "create", name)
    return dict(params, NAME=name)


def drop_database(vendor, db):
    """Drop what :func:`create_database` made."""
    if vendor == "sqlite":
        import shutil

        shutil.rmtree(db["TMPDIR"], ignore_errors=True)
        return
    _admin(vendor, server_params(vendor), "drop", db["NAME"])


def _admin(vendor, params, action, name):
    if vendor == "postgresql":
        import psycopg

        with psycopg.connect(host=params["HOST"], port=params["PORT"], user=params["USER"],
                             password=params["PASSWORD"] or None, dbname="postgres", autocommit=True) as conn:
            conn.execute('DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % name)
            if action == "create":
                conn.execute('CREATE DATABASE "%s"' % name)
        return
    conn = mysql_driver().connect(host=params["HOST"], port=params["PORT"], user=params["USER"],
                                  password=params["PASSWORD"], autocommit=True)
    try:
        with conn.cursor() as cursor:
            cursor.execute("DROP DATABASE IF EXISTS `%s`" % name)
            if action == "create":
                cursor.execute("CREATE DATABASE `%s` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci" % name)
    finally:
        conn.close()
