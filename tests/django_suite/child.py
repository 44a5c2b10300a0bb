"""Run one app of Django's test suite in this process, on ormlette or on real Django (the control).

    python -m tests.django_suite.child --side ormlette|django --backend B --app APP --out FILE

Writes ``{"passed": [...], "failed": [...], "skipped": [...], "errors": {...}}`` (unittest ids) to FILE.
"""
import argparse
import importlib
import json
import os
import signal
import sys
import traceback
import unittest

from tests.django_suite import databases


class RecordingResult(unittest.TestResult):
    """Keeps each test's id under its outcome (a failing subtest fails its test)."""

    def __init__(self):
        super().__init__()
        self.outcomes = {}
        self.messages = {}

    def _set(self, test, outcome, err=None):
        test_id = test.id()
        if self.outcomes.get(test_id) == "failed":
            return
        self.outcomes[test_id] = outcome
        if err is not None:
            self.messages[test_id] = self._exc_info_to_string(err, test)[-3000:]

    def addSuccess(self, test):
        self.outcomes.setdefault(test.id(), "passed")

    def addExpectedFailure(self, test, err):
        self._set(test, "passed")

    def addFailure(self, test, err):
        self._set(test, "failed", err)

    def addError(self, test, err):
        self._set(test, "failed", err)

    def addUnexpectedSuccess(self, test):
        self._set(test, "failed")

    def addSkip(self, test, reason):
        self._set(test, "skipped")

    def addSubTest(self, test, subtest, err):
        if err is not None:
            self._set(test, "failed", err)


def _ormlette_setup(backend, suite, app):
    """Bridge installed, models and tests imported, their tables created; return the tests."""
    from tests.django_suite import bridge

    names = databases.create(backend, "orm")
    bridge.install(databases.settings_for(backend, names, ormlette=True))
    _import_models(app)
    tests = _discover(suite, app)
    from tests.django_suite import tables

    tables.create_all()
    return tests


def _import_models(app):
    try:
        return importlib.import_module("%s.models" % app)
    except ModuleNotFoundError as exc:
        if exc.name == "%s.models" % app:
            return None
        raise


def _django_setup(backend, suite, app):
    import django
    from django.conf import settings
    from django.test.utils import setup_test_environment

    names = databases.create(backend, "ctl")
    options = databases.settings_for(backend, names, ormlette=False)
    options["INSTALLED_APPS"] = ["django.contrib.contenttypes", "django.contrib.auth", app]
    # As Django's runtests.py: the contrib apps' tables are synced with the app's (their migrations
    # would run after the app's tables, whose foreign keys to them PostgreSQL checks at once).
    options["MIGRATION_MODULES"] = {"auth": None, "contenttypes": None}
    settings.configure(**options)
    django.setup()
    setup_test_environment()
    tests = _discover(suite, app)
    from django.db import connections

    for alias in connections:
        connections[alias].creation.create_test_db(verbosity=0, autoclobber=True, keepdb=True)
    return tests


def _discover(suite, app):
    loader = unittest.TestLoader()
    start = os.path.join(suite, app)
    return loader.discover(start, pattern="test*.py", top_level_dir=suite)


def _iter(tests):
    for test in tests:
        if isinstance(test, unittest.TestSuite):
            yield from _iter(test)
        else:
            yield test


def run(side, backend, app, suite):
    """Set up the side, discover and run the app's tests; return the outcome dict."""
    sys.path.insert(0, suite)
    os.chdir(suite)
    outcome = {"passed": [], "failed": [], "skipped": [], "messages": {}, "setup_error": None}
    try:
        setup = _ormlette_setup if side == "ormlette" else _django_setup
        tests = setup(backend, suite, app)
        result = RecordingResult()
        tests.run(result)
        for test_id, state in sorted(result.outcomes.items()):
            outcome[state].append(test_id)
        outcome["messages"] = result.messages
    except BaseException:
        outcome["setup_error"] = traceback.format_exc()[-4000:]
    finally:
        databases.drop_created(backend)
    return outcome


def _exit_on_sigterm(signum, frame):
    raise SystemExit(128 + signum)  # unwinds through run()'s finally: the databases are dropped


def main(argv=None):
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    parser = argparse.ArgumentParser()
    parser.add_argument("--side", choices=["ormlette", "django"], required=True)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "mysql"], required=True)
    parser.add_argument("--app", required=True)
    parser.add_argument("--suite", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    outcome = run(args.side, args.backend, args.app, args.suite)
    with open(args.out, "w") as f:
        json.dump(outcome, f)


if __name__ == "__main__":
    main()
