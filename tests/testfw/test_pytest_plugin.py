"""The pytest plugin, tried on small projects in pytest subprocesses (pytester) on the suite's backend."""
import os
import sys

import pytest

from tests import backends
from tests.testfw.plugin_projects import (
    database_exists, database_table, drop_database, environment, readme_examples, write_project,
)

BASE = "ormfw%d" % os.getpid()

MAIN_TESTS = '''
import pytest

from ormlette.conf import settings as ormlette_settings
from ormlette.db import connection, transaction
from ormlette.test import TestCase
from shop.models import Item


def test_refused_without_mark():
    Item.objects.count()


@pytest.mark.ormlette_db
def test_mark():
    Item.objects.create(name="a")
    assert Item.objects.count() == 1


def test_db_fixture(db):
    Item.objects.create(name="b")
    assert Item.objects.count() == 1
    with open("names.txt", "a") as handle:
        handle.write(connection.settings_dict["NAME"] + "\\n")


def test_transactional_db(transactional_db):
    ran = []
    with transaction.atomic():
        Item.objects.create(name="t")
        transaction.on_commit(lambda: ran.append(1))
    assert ran == [1] and Item.objects.count() == 1


@pytest.mark.ormlette_db(transaction=True, reset_sequences=True)
def test_reset_sequences():
    assert Item.objects.create(name="r").pk == 1


def test_capture_on_commit(db, ormlette_capture_on_commit_callbacks):
    ran = []
    with ormlette_capture_on_commit_callbacks(execute=True) as callbacks:
        transaction.on_commit(lambda: ran.append(1))
    assert len(callbacks) == 1 and ran == [1]


def test_num_queries_refused(db, ormlette_assert_num_queries):
    with ormlette_assert_num_queries(2):
        Item.objects.count()


def test_max_num_queries(db, ormlette_assert_max_num_queries):
    with ormlette_assert_max_num_queries(2):
        Item.objects.count()


def test_settings_changed(settings):
    settings.SHOP_FLAG = "on"
    settings.USE_TZ = False
    assert ormlette_settings.SHOP_FLAG == "on" and ormlette_settings.USE_TZ is False


def test_settings_restored():
    assert not hasattr(ormlette_settings, "SHOP_FLAG") and ormlette_settings.USE_TZ is True


@pytest.mark.asyncio
@pytest.mark.ormlette_db
async def test_async_first():
    await Item.objects.acreate(name="async")
    assert await Item.objects.acount() == 1


@pytest.mark.asyncio
async def test_async_sees_fixture_rows(db):
    await Item.objects.acreate(name="async 2")
    assert [i.name async for i in Item.objects.all()] == ["async 2"]


class ItemTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.item = Item.objects.create(name="class")

    def test_class_data(self):
        self.assertEqual(Item.objects.get().name, "class")

    async def test_async_method(self):
        await Item.objects.acreate(name="y")
        self.assertEqual(await Item.objects.acount(), 2)


def test_other_database_refused(db):
    Item.objects.using("other").count()


@pytest.mark.ormlette_db(databases=["default", "other"])
def test_two_databases():
    Item.objects.using("other").create(name="o")
    assert Item.objects.using("other").count() == 1 and Item.objects.count() == 0


class AllDatabases(TestCase):
    databases = "__all__"

    def test_other_rolled_back(self):
        self.assertEqual(Item.objects.using("other").count(), 0)


def test_zz_nothing_left(db):
    assert Item.objects.count() == 0
'''

OTHER_DATABASE = '''

[tool.ormlette.databases.other]
url = "sqlite:///other.sqlite3"
'''


@pytest.fixture
def project_env(monkeypatch):
    environment(monkeypatch)


@pytest.mark.usefixtures("project_env")
def test_managed_project_marks_fixtures_blocker_and_async(pytester):
    write_project(pytester, database_table(BASE) + OTHER_DATABASE, {"test_shop.py": MAIN_TESTS, **readme_examples()})
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:randomly")
    result.assert_outcomes(passed=18, failed=3)  # 15 + 3 from the README's two examples
    result.stdout.fnmatch_lines([
        "*RuntimeError: Database access not allowed, use the \"ormlette_db\" mark, or the \"db\" or "
        "\"transactional_db\" fixtures to enable it.",
        "*Failed: Expected to perform 2 queries but 1 was done (add -v option to show queries)",
    ])
    result.stdout.fnmatch_lines(["*DatabaseOperationForbidden: Database queries to 'other' are not allowed in this "
                                 "test. Add 'other' to *.databases to ensure proper test isolation and silence "
                                 "this failure."])
    result.stdout.fnmatch_lines(["*FAILED test_shop.py::test_refused_without_mark*",
                                 "*FAILED test_shop.py::test_num_queries_refused*",
                                 "*FAILED test_shop.py::test_other_database_refused*"])
    assert not (pytester.path / "other.sqlite3").exists()
    names = (pytester.path / "names.txt").read_text().split()
    expected = ":memory:" if backends.VENDOR == "sqlite" else "test_" + BASE
    assert names == [expected]
    if backends.VENDOR == "sqlite":
        assert not (pytester.path / (BASE + ".sqlite3")).exists()  # the real database was never opened
    else:
        assert not database_exists("test_" + BASE)  # destroyed at the end


XDIST_TESTS = '''
import os

from ormlette.db import connection
from shop.models import Item


def _record(db_name):
    with open("worker-%s.txt" % os.environ["PYTEST_XDIST_WORKER"], "a") as handle:
        handle.write(db_name + "\\n")


def test_one(db):
    Item.objects.create(name="1")
    _record(connection.settings_dict["NAME"])


def test_two(db):
    Item.objects.create(name="2")
    _record(connection.settings_dict["NAME"])


def test_three(db):
    _record(connection.settings_dict["NAME"])


def test_four(db):
    _record(connection.settings_dict["NAME"])
'''


@pytest.mark.usefixtures("project_env")
def test_xdist_workers_get_one_database_each(pytester):
    test_name = "test_x" + BASE
    write_project(pytester, database_table(BASE, test_name), {"test_workers.py": XDIST_TESTS})
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "xdist", "-n", "2",
                                           "--dist", "load")
    result.assert_outcomes(passed=4)
    recorded = {}
    for worker in ("gw0", "gw1"):
        path = pytester.path / ("worker-%s.txt" % worker)
        if path.exists():
            recorded[worker] = set(path.read_text().split())
    assert set(recorded) == {"gw0", "gw1"}, recorded
    suffix = ".sqlite3" if backends.VENDOR == "sqlite" else ""
    for worker, names in recorded.items():
        assert len(names) == 1
        name = names.pop()
        assert name.endswith("%s_%s%s" % (test_name, worker, suffix)), name
        assert not database_exists(name)


KEEPDB_TESTS = '''
from ormlette.db import connection


def test_marker(transactional_db):
    with connection.cursor() as cursor:
        tables = connection.creation.table_names()
        with open("seen.txt", "w") as handle:
            handle.write("kept" if "run_marker" in tables else "fresh")
        if "run_marker" not in tables:
            cursor.execute("CREATE TABLE run_marker (id INTEGER)")
'''


@pytest.mark.usefixtures("project_env")
def test_reuse_db_keeps_and_create_db_recreates(pytester):
    test_name = "test_k" + BASE
    write_project(pytester, database_table(BASE, test_name), {"test_keep.py": KEEPDB_TESTS})
    seen = []
    for options in (["--reuse-db"], ["--reuse-db"], ["--reuse-db", "--create-db"]):
        result = pytester.runpytest_subprocess("-p", "no:cacheprovider", *options)
        result.assert_outcomes(passed=1)
        seen.append((pytester.path / "seen.txt").read_text())
    assert seen == ["fresh", "kept", "fresh"]
    stored = str(pytester.path / (test_name + ".sqlite3")) if backends.VENDOR == "sqlite" else test_name
    assert database_exists(stored)  # kept after the last run
    drop_database(stored)


@pytest.mark.usefixtures("project_env")
def test_unmanaged_run_leaves_the_callers_databases_alone(pytester):
    # No [tool.ormlette]: a conftest configures ormlette itself (as ormlette's own suite does).
    pytester.makeconftest('''
        import ormlette

        def pytest_configure(config):
            ormlette.setup("sqlite:///own.sqlite3")
            from shop.models import Item
            ormlette.create_tables(Item)
    ''')
    pytester.mkpydir("shop")
    (pytester.path / "shop" / "models.py").write_text(
        "from ormlette.db import models\n\n\nclass Item(models.Model):\n    name = models.CharField(max_length=9)\n\n"
        "    class Meta:\n        app_label = 'shop'\n")
    pytester.makepyfile(test_own='''
        import pytest
        from ormlette.db import connection
        from shop.models import Item


        def test_free_access():
            assert connection.settings_dict["NAME"] == "own.sqlite3"
            assert Item.objects.count() == 0


        @pytest.mark.ormlette_db
        def test_marked_rolls_back():
            Item.objects.create(name="x")


        def test_after():
            assert Item.objects.count() == 0
    ''')
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:randomly")
    result.assert_outcomes(passed=3)


RUNNER_TESTS = '''
from ormlette.db import connection
from ormlette.test import TestCase
from shop.models import Item


class ItemTests(TestCase):
    def test_create(self):
        Item.objects.create(name="a")
        self.assertEqual(Item.objects.count(), 1)

    def test_name(self):
        with open("names.txt", "w") as handle:
            handle.write(connection.settings_dict["NAME"])
        self.assertEqual(Item.objects.count(), 0)
'''


@pytest.mark.usefixtures("project_env")
def test_ormlette_test_command_runs_unittest_suites(pytester):
    test_name = "test_r" + BASE
    write_project(pytester, database_table(BASE, test_name), {"test_items.py": RUNNER_TESTS,
                  "test_broken.py": RUNNER_TESTS.replace("count(), 1)", "count(), 5)")})
    result = pytester.run(sys.executable, "-m", "ormlette", "test", "test_items", "-v", "2")
    assert result.ret == 0, result.stderr.str()
    result.stderr.fnmatch_lines(["*Creating test database for alias 'default'*", "*Ran 2 tests*", "OK"])
    assert (pytester.path / "names.txt").read_text().endswith(test_name + (".sqlite3" if backends.VENDOR == "sqlite" else ""))
    failing = pytester.run(sys.executable, "-m", "ormlette", "test")
    assert failing.ret == 1
    failing.stderr.fnmatch_lines(["*Ran 4 tests*", "FAILED (failures=1)"])
