"""pytest plugin: pytest-django's design after the rename (``ormlette_db`` mark, ``db`` fixture, ...).

A project is managed (test databases created, database access refused without the mark or a fixture)
when its configuration is found: ``--ormlette-settings`` / ``ORMLETTE_SETTINGS_MODULE``, a
``[tool.ormlette]`` table in the nearest pyproject.toml, or ``DATABASE_URL`` when no conftest configured
ormlette itself. Otherwise the fixtures isolate tests on the databases the caller configured.
"""
import pytest

from ormlette.testing.fixtures import (  # noqa: F401  (fixtures are found in the plugin's namespace)
    _ormlette_db_helper, _ormlette_db_marker, _ormlette_setup_unittest, db, ormlette_assert_max_num_queries,
    ormlette_assert_num_queries, ormlette_capture_on_commit_callbacks, ormlette_db_blocker, ormlette_db_setup,
    settings, transactional_db,
)
from ormlette.testing.session import STATE_KEY, PluginState

pytest_plugins = ["ormlette.testing.report_option"]  # --ormlette-report=DIR


def pytest_addoption(parser):
    group = parser.getgroup("ormlette")
    group.addoption("--reuse-db", action="store_true", dest="ormlette_reuse_db", default=False,
                    help="ormlette: keep the test databases at the end and reuse them in the next run.")
    group.addoption("--create-db", action="store_true", dest="ormlette_create_db", default=False,
                    help="ormlette: create the test databases afresh, even with --reuse-db.")
    group.addoption("--nomigrations", "--no-migrations", action="store_true", dest="ormlette_nomigrations",
                    default=False, help="ormlette: create test tables from the models, without migrations.")
    group.addoption("--ormlette-settings", dest="ormlette_settings", default=None,
                    help="ormlette: settings module (instead of ORMLETTE_SETTINGS_MODULE / pyproject.toml).")


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config, parser, args):
    early_config.stash[STATE_KEY] = state = PluginState(early_config)
    state.load(early=True)


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "ormlette_db(transaction=False, reset_sequences=False, databases=None, serialized_rollback=False,"
        " available_apps=None): give the test database access (rolled back, or flushed with transaction=True).")
    if STATE_KEY not in config.stash:
        config.stash[STATE_KEY] = PluginState(config)


@pytest.hookimpl(trylast=True)
def pytest_sessionstart(session):
    state = session.config.stash[STATE_KEY]
    state.load(early=False)
    if state.managed:
        from ormlette.testing.blocker import blocker

        state.block = blocker.block()


def pytest_sessionfinish(session):
    state = session.config.stash.get(STATE_KEY, None)
    block = getattr(state, "block", None)
    if block is not None:
        from ormlette.testing.blocker import blocker

        blocker.restore()
        state.block = None


def pytest_report_header(config):
    state = config.stash.get(STATE_KEY, None)
    if state is not None and state.project is not None:
        where = state.project.root or state.project.source
        return ["ormlette: project from %s (%s)" % (state.project.source, where)]
    return None


@pytest.fixture
def assert_num_queries():
    """``with assert_num_queries(2): ...`` on the default connection."""
    from ormlette.test.utils import assert_num_queries as context

    return context


@pytest.fixture
def capture_queries():
    """A CaptureQueriesContext factory bound to the default connection."""
    from ormlette.db import connection
    from ormlette.test.utils import CaptureQueriesContext

    return lambda: CaptureQueriesContext(connection)
