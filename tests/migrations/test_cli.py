"""The ``ormlette`` command on a project folder: makemigrations (--check exit codes), migrate, showmigrations, sqlmigrate."""
import os
import subprocess
import sys
import textwrap

import pytest

from tests import backends
from tests.migrations.helpers import drop_tables

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

MODELS = '''
from ormlette.db import models


class Product(models.Model):
    name = models.CharField(max_length=50)
'''


def _url(db):
    if db["ENGINE"].endswith("sqlite3"):
        return "sqlite:///" + db["NAME"]
    scheme = "postgresql" if db["ENGINE"].endswith("postgresql") else "mysql"
    auth = db["USER"] + (":" + db["PASSWORD"] if db.get("PASSWORD") else "")
    return "%s://%s@%s:%s/%s" % (scheme, auth, db["HOST"], db["PORT"], db["NAME"])


@pytest.fixture
def project(tmp_path):
    (tmp_path / "clishop").mkdir()
    (tmp_path / "clishop" / "__init__.py").write_text("")
    (tmp_path / "clishop" / "models.py").write_text(textwrap.dedent(MODELS))
    (tmp_path / "pyproject.toml").write_text('[tool.ormlette]\nmodels = ["clishop.models"]\ndatabase = "%s"\n'
                                             % _url(backends.TEST_DB))
    yield tmp_path
    drop_tables(backends.TEST_DB, "clishop_")
    drop_tables(backends.TEST_DB, "ormlette_migrations")


def ormlette(folder, *args):
    env = dict(os.environ, PYTHONPATH=ROOT)
    return subprocess.run([sys.executable, "-m", "ormlette", *args], cwd=folder, env=env, capture_output=True,
                          text=True, timeout=120)


def test_makemigrations_check_migrate_and_friends(project):
    assert ormlette(project, "makemigrations", "--check", "--noinput").returncode == 1
    made = ormlette(project, "makemigrations", "--noinput")
    assert made.returncode == 0, made.stderr
    assert "clishop/migrations/0001_initial.py" in made.stdout and "- Create model Product" in made.stdout
    assert ormlette(project, "makemigrations", "--check", "--noinput").returncode == 0
    assert ormlette(project, "migrate", "--check").returncode == 1
    shown = ormlette(project, "showmigrations")
    assert shown.stdout == "clishop\n [ ] 0001_initial\n"
    sql = ormlette(project, "sqlmigrate", "clishop", "0001")
    assert sql.returncode == 0 and "CREATE TABLE" in sql.stdout and "clishop_product" in sql.stdout
    migrated = ormlette(project, "migrate")
    assert migrated.returncode == 0, migrated.stderr
    assert "  Applying clishop.0001_initial... OK (" in migrated.stdout
    assert ormlette(project, "migrate", "--check").returncode == 0
    with open(project / "clishop" / "models.py", "a") as handle:
        handle.write("    size = models.IntegerField()\n")
    refused = ormlette(project, "makemigrations", "--noinput")
    assert refused.returncode == 1 and "non-nullable field 'size' to product" in refused.stderr
    assert ormlette(project, "migrate", "clishop", "zero").returncode == 0
    assert ormlette(project, "showmigrations").stdout == "clishop\n [ ] 0001_initial\n"
