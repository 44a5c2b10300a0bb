"""Small projects for the pytest plugin's tests, written into a pytester directory."""
import os
import textwrap
from pathlib import Path

import ormlette
from tests import backends

ORMLETTE_ROOT = Path(ormlette.__file__).resolve().parents[1]

MODELS = '''
from ormlette.db import models


class Item(models.Model):
    name = models.CharField(max_length=20)

    class Meta:
        app_label = "shop"


class Order(models.Model):
    status = models.CharField(max_length=20)

    class Meta:
        app_label = "shop"

    def cancel(self):
        self.status = "cancelled"
        self.save(update_fields=["status"])
'''


def readme_examples():
    """The README's unittest-style and pytest-style examples, as test modules (name -> source)."""
    readme = (ORMLETTE_ROOT / "README.md").read_text()
    section = readme.split("## Testing a project that uses ormlette", 1)[1]
    blocks = [block.split("```", 1)[0] for block in section.split("```python\n")[1:3]]
    return {"test_readme_unittest.py": blocks[0], "test_readme_pytest.py": blocks[1]}


def database_table(base_name, test_name=None):
    """A [tool.ormlette.databases.default] table for the suite's backend (test database names given)."""
    if backends.VENDOR == "sqlite":
        lines = ['url = "sqlite:///%s.sqlite3"' % base_name]
        if test_name:
            lines.append('TEST = {NAME = "%s.sqlite3"}' % test_name)
        return "\n".join(lines)
    params = backends.server_params()
    scheme = {"postgresql": "postgresql", "mysql": "mysql"}[backends.VENDOR]
    auth = params["USER"] + (":" + params["PASSWORD"] if params["PASSWORD"] else "")
    lines = ['url = "%s://%s@%s:%s/%s"' % (scheme, auth, params["HOST"], params["PORT"], base_name)]
    if test_name:
        lines.append('TEST = {NAME = "%s"}' % test_name)
    return "\n".join(lines)


def write_project(pytester, database, tests, models=MODELS, extra_files=None):
    """pyproject.toml with [tool.ormlette], shop/models.py and the test modules ``tests`` (name -> source)."""
    pytester.makefile(".toml", pyproject=textwrap.dedent('''
        [tool.ormlette]
        models = ["shop.models"]

        [tool.ormlette.databases.default]
        %s

        [tool.pytest.ini_options]
        asyncio_default_fixture_loop_scope = "function"
        ''') % database)
    pytester.mkpydir("shop")
    (pytester.path / "shop" / "models.py").write_text(models)
    for name, source in tests.items():
        (pytester.path / name).write_text(textwrap.dedent(source))
    for name, source in (extra_files or {}).items():
        (pytester.path / name).write_text(textwrap.dedent(source))


def environment(monkeypatch):
    """The subprocess imports this checkout's ormlette and sees no suite or DATABASE_URL configuration."""
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(ORMLETTE_ROOT),
                                                                   os.environ.get("PYTHONPATH")])))
    for name in ("DATABASE_URL", "ORMLETTE_SETTINGS_MODULE", "PYTEST_ADDOPTS", "PYTEST_XDIST_AUTO_NUM_WORKERS"):
        monkeypatch.delenv(name, raising=False)


def database_exists(name):
    """Whether the suite's server (or the SQLite file ``name``.sqlite3 here) has a database ``name``."""
    from ormlette.db import connection

    if backends.VENDOR == "sqlite":
        return os.path.exists(name)
    return connection.creation._database_exists(name)


def drop_database(name):
    """Remove a kept test database (or SQLite file)."""
    from ormlette.db import connection

    if backends.VENDOR == "sqlite":
        os.remove(name)
    else:
        connection.creation._drop_database(name)
