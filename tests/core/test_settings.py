"""Configuration: zero-config SQLite file, DATABASE_URL, ormlette.setup(url), ENGINE strings."""
import os
import subprocess
import sys
import textwrap

import pytest

from ormlette.core.exceptions import ImproperlyConfigured
from ormlette.db.urls import parse_database_url

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

SCRIPT = textwrap.dedent("""
    import os, sys
    sys.path.insert(0, %(root)r)
    %(setup)s
    from ormlette.db import connection, models
    import ormlette

    class Thing(models.Model):
        name = models.CharField(max_length=10)
        class Meta:
            app_label = "cfg"

    ormlette.create_tables(Thing)
    Thing.objects.create(name="x")
    print(connection.vendor, connection.settings_dict["NAME"], Thing.objects.count())
""")


def run(tmp_path, setup="", env=None):
    full_env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    full_env.update(env or {})
    code = SCRIPT % {"root": ROOT, "setup": setup}
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=full_env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_zero_configuration_uses_a_sqlite_file_in_the_working_directory(tmp_path):
    assert run(tmp_path) == ["sqlite", "db.sqlite3", "1"]
    assert (tmp_path / "db.sqlite3").exists()


def test_database_url_environment_variable(tmp_path):
    target = tmp_path / "from_env.db"
    assert run(tmp_path, env={"DATABASE_URL": "sqlite:///%s" % target}) == ["sqlite", str(target), "1"]
    assert target.exists()


def test_setup_with_url(tmp_path):
    target = tmp_path / "setup.db"
    out = run(tmp_path, setup="import ormlette; ormlette.setup('sqlite:///%s')" % target)
    assert out == ["sqlite", str(target), "1"]


def test_settings_configure_with_engine_string(tmp_path):
    setup = ("from ormlette.conf import settings; settings.configure(DATABASES={'default': "
             "{'ENGINE': 'ormlette.db.backends.sqlite3', 'NAME': 'conf.db'}}, USE_TZ=True, TIME_ZONE='UTC')")
    assert run(tmp_path, setup=setup) == ["sqlite", "conf.db", "1"]


def test_configure_twice_raises(tmp_path):
    code = ("import sys; sys.path.insert(0, %r)\nfrom ormlette.conf import settings\nsettings.configure()\n"
            "try:\n    settings.configure()\nexcept RuntimeError as e:\n    print(e)\n" % ROOT)
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "Settings already configured."


@pytest.mark.parametrize("url, expected", [
    ("postgresql://u:p%40ss@db.example:6543/shop?sslmode=require",
     {"ENGINE": "ormlette.db.backends.postgresql", "NAME": "shop", "USER": "u", "PASSWORD": "p@ss",
      "HOST": "db.example", "PORT": 6543, "OPTIONS": {"sslmode": "require"}}),
    ("mysql://root@127.0.0.1:3306/test",
     {"ENGINE": "ormlette.db.backends.mysql", "NAME": "test", "USER": "root", "PASSWORD": "",
      "HOST": "127.0.0.1", "PORT": 3306, "OPTIONS": {}}),
    ("sqlite:///relative.db", {"ENGINE": "ormlette.db.backends.sqlite3", "NAME": "relative.db", "OPTIONS": {}}),
    ("sqlite:////abs/path.db", {"ENGINE": "ormlette.db.backends.sqlite3", "NAME": "/abs/path.db", "OPTIONS": {}}),
    ("sqlite://", {"ENGINE": "ormlette.db.backends.sqlite3", "NAME": ":memory:", "OPTIONS": {}}),
])
def test_parse_database_url(url, expected):
    assert parse_database_url(url) == expected


def test_unknown_url_scheme():
    with pytest.raises(ImproperlyConfigured, match="Unsupported database URL scheme 'oracle'"):
        parse_database_url("oracle://x/y")


def test_unknown_engine_is_improperly_configured():
    from ormlette.db.utils import load_backend

    with pytest.raises(ImproperlyConfigured, match="isn't an available database backend"):
        load_backend("ormlette.db.backends.nope")
    assert load_backend("django.db.backends.sqlite3").DatabaseWrapper.vendor == "sqlite"
