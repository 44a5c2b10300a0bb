"""The Django-suite runner's own tests: the import bridge (in a child process) and the table/list logic."""
import os
import subprocess
import sys
import textwrap

from tests.django_suite import runner

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

BRIDGE_CHECK = textwrap.dedent('''
    import os, sys, tempfile
    from tests.django_suite import bridge
    path = os.path.join(tempfile.mkdtemp(), "db.sqlite3")
    bridge.install({"DATABASES": {"default": {"ENGINE": "ormlette.db.backends.sqlite3", "NAME": path}},
                    "USE_TZ": False})
    import django.conf, django.db, django.db.models, django.core.exceptions, django.utils.timezone
    import ormlette.conf, ormlette.db, ormlette.db.models, ormlette.core.exceptions, ormlette.utils.timezone
    from django.db.models.sql.constants import GET_ITERATOR_CHUNK_SIZE
    from django.db.models.fields.related import ForeignKey
    from django.test import TestCase, skipUnlessDBFeature
    from django.test.utils import CaptureQueriesContext
    assert django.db is ormlette.db and django.db.models is ormlette.db.models
    assert django.core.exceptions.ValidationError is ormlette.core.exceptions.ValidationError
    assert ForeignKey is ormlette.db.models.ForeignKey
    assert django.conf.settings is ormlette.conf.settings and django.conf.settings.USE_TZ is False
    assert django.conf.settings.LANGUAGE_CODE == "en-us"  # Django's defaults fill in the rest
    assert django.utils.timezone.now is ormlette.utils.timezone.now
    assert callable(django.utils.timezone.template_localtime)  # completed from Django's module
    assert ormlette.db.models.__spec__.name == "ormlette.db.models"  # the alias left the module alone
    import ormlette.test.utils
    assert CaptureQueriesContext is ormlette.test.utils.CaptureQueriesContext
    try:
        import django.db.models.no_such_module
    except ModuleNotFoundError as exc:
        assert "ormlette has no 'ormlette.db.models.no_such_module'" in str(exc), exc
    else:
        raise AssertionError("a missing module imported")
    import django.utils.text  # non-ORM Django stays real Django
    assert django.utils.text.__file__.endswith(os.path.join("django", "utils", "text.py"))
    print("bridge ok")
''')


def test_bridge_maps_the_orm_to_ormlette_and_leaves_the_rest():
    completed = subprocess.run([sys.executable, "-c", BRIDGE_CHECK], cwd=ROOT, capture_output=True, text=True,
                               env=dict(os.environ, PYTHONPATH=ROOT), timeout=120)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "bridge ok"


def test_bridge_refuses_to_install_after_django_orm_imports():
    code = "import django.db\nfrom tests.django_suite import bridge\nbridge.install({})\n"
    completed = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                               env=dict(os.environ, PYTHONPATH=ROOT), timeout=120)
    assert completed.returncode != 0
    assert "Django ORM modules were imported before the bridge: " in completed.stderr
    assert "django.db\n" in completed.stderr


def _outcome(passed, setup_error=None, messages=None):
    return {"passed": passed, "failed": [], "skipped": [], "messages": messages or {}, "setup_error": setup_error,
            "seconds": 1.0}


def test_table_counts_only_the_tests_passing_on_django():
    control = {"a.tests.T.test_1", "a.tests.T.test_2", "b.tests.T.test_1"}
    outcomes = {"a": _outcome(["a.tests.T.test_1", "a.tests.T.test_9"]),
                "b": _outcome([], setup_error="Traceback...\nTypeError: boom")}
    lines = runner.table("sqlite", ["a", "b"], control, outcomes)
    assert lines[2].split()[:5] == ["a", "2", "1", "1", "50.0"]
    assert lines[3].split()[:5] == ["b", "1", "0", "1", "0.0"] and "(setup: TypeError: boom)" in lines[3]
    assert lines[-1].split() == ["TOTAL", "3", "1", "2", "33.3"]


def test_failure_causes_group_by_last_line():
    control = {"a.tests.T.test_1", "a.tests.T.test_2", "b.tests.T.test_1"}
    outcomes = {"a": _outcome([], messages={"a.tests.T.test_1": "Traceback\nKeyError: 'x'",
                                            "a.tests.T.test_2": "Traceback\nKeyError: 'x'"}),
                "b": _outcome([], setup_error="Traceback\nImportError: nope")}
    causes = runner.failure_causes(control, outcomes)
    assert causes == {"KeyError: 'x'": 2, "ImportError: nope": 1}


def test_update_replaces_only_the_apps_run(tmp_path, monkeypatch):
    monkeypatch.setattr(runner, "EXPECTED", str(tmp_path))
    runner.write_ids(runner.expected_path("sqlite", "ormlette"), {"a.tests.T.old", "b.tests.T.kept"}, "header")
    runner._update("sqlite", ["a"], None, {"a.tests.T.new"})
    assert runner.read_ids(runner.expected_path("sqlite", "ormlette")) == {"a.tests.T.new", "b.tests.T.kept"}
    assert not os.path.exists(runner.expected_path("sqlite", "django"))
    assert open(runner.expected_path("sqlite", "ormlette")).readline().startswith("# Django ")


def test_check_runs_only_listed_apps(tmp_path, monkeypatch):
    monkeypatch.setattr(runner, "EXPECTED", str(tmp_path))
    runner.write_ids(runner.expected_path("mysql", "ormlette"), {"b.tests.T.test_1"}, "header")
    assert runner._checked_apps("mysql", ["a", "b", "c"]) == ["b"]
