"""The pytest plugin's fixtures (pytest-django's, renamed: ``db``, ``transactional_db``, ``settings``, ...)."""
import sys
from contextlib import contextmanager

import pytest

from ormlette.testing.blocker import blocker


@pytest.fixture(scope="session")
def ormlette_db_blocker():
    """The process-wide database blocker (``with ormlette_db_blocker.unblock(): ...``)."""
    return blocker


@pytest.fixture(scope="session")
def ormlette_db_setup(request, ormlette_db_blocker):
    """Create the test databases once per session (per xdist worker); overridable in a conftest."""
    from ormlette.testing.session import state

    session = state(request.config)
    if not session.managed:
        yield  # the caller configured and owns the databases
        return
    from ormlette.test.databases import setup_databases, teardown_databases

    with ormlette_db_blocker.unblock():
        old_config = setup_databases(keepdb=session.reuse_db and not session.create_db,
                                     suffix=session.worker_suffix(), verbosity=request.config.option.verbose,
                                     migrate=not session.nomigrations)
    yield
    with ormlette_db_blocker.unblock():
        teardown_databases(old_config, keepdb=session.reuse_db, verbosity=request.config.option.verbose)


def _db_options(request):
    """(transactional, reset_sequences, databases, available_apps) from the mark and requested fixtures."""
    marker = request.node.get_closest_marker("ormlette_db")
    options = dict(_marker_options(*marker.args, **marker.kwargs)) if marker else {}
    transactional = options.get("transaction", False) or "transactional_db" in request.fixturenames
    reset_sequences = options.get("reset_sequences", False)
    if reset_sequences:
        transactional = True
    return transactional, reset_sequences, options.get("databases"), options.get("available_apps")


def _marker_options(transaction=False, reset_sequences=False, databases=None, serialized_rollback=False,
                    available_apps=None):
    return {"transaction": transaction, "reset_sequences": reset_sequences, "databases": databases,
            "serialized_rollback": serialized_rollback, "available_apps": available_apps}


@pytest.fixture
def _ormlette_db_helper(request, ormlette_db_setup, ormlette_db_blocker):
    """Run the test inside a TestCase's (or TransactionTestCase's) isolation, built for this test."""
    from ormlette.test import TestCase, TransactionTestCase

    if _is_ormlette_unittest(request):
        yield  # an ormlette.test class isolates itself
        return
    transactional, reset_sequences, databases, available_apps = _db_options(request)
    base = TransactionTestCase if transactional else TestCase

    class PytestOrmletteTestCase(base):
        pass

    PytestOrmletteTestCase.reset_sequences = reset_sequences
    PytestOrmletteTestCase.available_apps = available_apps
    if databases is not None:
        PytestOrmletteTestCase.databases = databases
    with ormlette_db_blocker.unblock():
        PytestOrmletteTestCase.setUpClass()
        case = PytestOrmletteTestCase(methodName="__init__")
        case._pre_setup()
        try:
            yield
        finally:
            try:
                case._post_teardown()
            finally:
                PytestOrmletteTestCase.tearDownClass()
                PytestOrmletteTestCase.doClassCleanups()


def _is_ormlette_unittest(request):
    testcases = sys.modules.get("ormlette.test.testcases")  # not imported: no class can be one
    return request.cls is not None and testcases is not None and issubclass(request.cls, testcases.SimpleTestCase)


@pytest.fixture
def db(_ormlette_db_helper):
    """Database access for the test, rolled back afterwards (a TestCase's isolation)."""


@pytest.fixture
def transactional_db(_ormlette_db_helper):
    """Database access with real commits; every table is emptied afterwards (a TransactionTestCase's)."""


@pytest.fixture(autouse=True)
def _ormlette_db_marker(request):
    """Give tests marked ``ormlette_db`` their database fixture."""
    marker = request.node.get_closest_marker("ormlette_db")
    if marker is None:
        return
    transactional = _marker_options(*marker.args, **marker.kwargs)
    request.getfixturevalue("transactional_db" if transactional["transaction"] or transactional["reset_sequences"]
                            else "db")


@pytest.fixture(autouse=True, scope="class")
def _ormlette_setup_unittest(request, ormlette_db_blocker):
    """ormlette.test classes collected by pytest get the test databases and may open connections."""
    if not _is_ormlette_unittest(request):
        yield
        return
    request.getfixturevalue("ormlette_db_setup")
    with ormlette_db_blocker.unblock():
        yield


def _query_budget_failure(num, performed, exact, info, context, verbose):
    message = "Expected to perform %d queries %sbut %s done" % (
        num, "" if exact else "or less ", "1 was" if performed == 1 else "%d were" % performed)
    if info:
        message += "\n%s" % info
    if verbose:
        message += "\n\nQueries:\n========\n\n" + "\n\n".join(q["sql"] for q in context.captured_queries)
    else:
        message += " (add -v option to show queries)"
    pytest.fail(message)


def _query_budget(request, exact):
    from ormlette.db import DEFAULT_DB_ALIAS, connections
    from ormlette.test.utils import CaptureQueriesContext

    @contextmanager
    def budget(num, connection=None, info=None, *, using=None):
        if connection is None:
            connection = connections[using or DEFAULT_DB_ALIAS]
        with CaptureQueriesContext(connection) as context:
            yield context
        performed = len(context)
        if (performed != num) if exact else (performed > num):
            _query_budget_failure(num, performed, exact, info, context, request.config.getoption("verbose") > 0)

    return budget


@pytest.fixture
def ormlette_assert_num_queries(request):
    """``with ormlette_assert_num_queries(3): ...``: exactly that many queries."""
    return _query_budget(request, exact=True)


@pytest.fixture
def ormlette_assert_max_num_queries(request):
    """``with ormlette_assert_max_num_queries(3): ...``: at most that many queries."""
    return _query_budget(request, exact=False)


@pytest.fixture
def ormlette_capture_on_commit_callbacks():
    """``with ormlette_capture_on_commit_callbacks(execute=True) as callbacks: ...``."""
    from ormlette.test import TestCase

    return TestCase.captureOnCommitCallbacks


class SettingsWrapper:
    """``settings.X = value`` / ``del settings.X`` inside a test, undone after it (through override_settings)."""

    def __init__(self):
        object.__setattr__(self, "_changes", [])

    def __getattr__(self, name):
        from ormlette.conf import settings

        return getattr(settings, name)

    def __setattr__(self, name, value):
        from ormlette.test.overrides import override_settings

        override = override_settings(**{name: value})
        override.enable()
        self._changes.append(override)

    def __delattr__(self, name):
        from ormlette.test.overrides import delete_setting

        override = delete_setting(name)
        override.enable()
        self._changes.append(override)

    def finalize(self):
        """Undo every change, last first."""
        while self._changes:
            self._changes.pop().disable()


@pytest.fixture
def settings():
    """ormlette's settings, with every change made through this fixture restored after the test."""
    wrapper = SettingsWrapper()
    yield wrapper
    wrapper.finalize()
