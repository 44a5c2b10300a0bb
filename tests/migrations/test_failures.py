"""A migration failing halfway: rolled back where DDL is transactional, the failed operation named everywhere."""
import sys
import textwrap

import pytest

from ormlette.db import connection
from ormlette.db.migrations.executor import MigrationExecutor, OperationFailed
from tests import backends
from tests.migrations.helpers import drop_tables
from tests.migrations.inspect import schema_of

APP = "migr_fail"

INITIAL = '''
from ormlette.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    operations = [
        migrations.CreateModel(name="Item", fields=[
            ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
            ("name", models.CharField(max_length=20)),
        ]),
    ]
'''

BAD = '''
from ormlette.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("migr_fail", "0001_initial")]
    operations = [
        migrations.AddField(model_name="item", name="size", field=models.IntegerField(default=1)),
        migrations.RunSQL("INSERT INTO migr_fail_item (name, size) VALUES ('a', 2); "
                          "INSERT INTO migr_fail_no_such_table VALUES (1)"),
    ]
'''


@pytest.fixture
def project(tmp_path):
    package = tmp_path / APP / "migrations"
    package.mkdir(parents=True)
    (tmp_path / APP / "__init__.py").write_text("")
    (package / "__init__.py").write_text("")
    (package / "0001_initial.py").write_text(textwrap.dedent(INITIAL))
    (package / "0002_bad.py").write_text(textwrap.dedent(BAD))
    sys.path.insert(0, str(tmp_path))
    try:
        yield MigrationExecutor(connection, {APP: APP + ".models"})
    finally:
        sys.path.remove(str(tmp_path))
        for name in [n for n in sys.modules if n == APP or n.startswith(APP + ".")]:
            del sys.modules[name]
        drop_tables(backends.TEST_DB, APP + "_")
        drop_tables(backends.TEST_DB, "ormlette_migrations")


def test_failing_run_sql_leaves_schema_and_history_or_names_the_operation(project):
    project.migrate([(APP, "0001_initial")])
    before = schema_of(backends.TEST_DB, APP + "_")
    with pytest.raises(OperationFailed) as info:
        MigrationExecutor(connection, {APP: APP + ".models"}).migrate([(APP, "0002_bad")])
    message = str(info.value)
    assert "migr_fail.0002_bad" in message and "operation 2 (Raw SQL operation)" in message
    assert "migr_fail_no_such_table" in message
    applied = MigrationExecutor(connection, {APP: APP + ".models"}).loader.applied_migrations
    assert set(applied) == {(APP, "0001_initial")}
    if connection.features.can_rollback_ddl:
        assert schema_of(backends.TEST_DB, APP + "_") == before
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM migr_fail_item")
            assert cursor.fetchone()[0] == 0
        assert "rolled back" in message
    else:
        # MariaDB commits each DDL statement: the added column stays, and the message says so.
        assert "size" in schema_of(backends.TEST_DB, APP + "_")["migr_fail_item"]["columns"]
        assert "stay applied" in message
