"""Suite-wide setup: pick the backend, create fresh databases, configure ormlette.

``ORMLETTE_TEST_BACKEND`` = ``sqlite`` (default), ``postgresql`` or ``mysql``.
If the server cannot be reached, the run fails when ``CI`` is set and every
test is skipped otherwise. See tests/backends.py.
"""
import os

import pytest

from tests import backends

pytest_plugins = ["pytester"]  # the pytest plugin's own tests run projects in subprocesses


def pytest_configure(config):
    if getattr(config.option, "help", False) or getattr(config.option, "version", False):
        return
    try:
        backends.setup_databases()
    except backends.ServerUnavailable as exc:
        if os.environ.get("CI"):
            raise pytest.UsageError(
                "ormlette tests: backend %r unavailable: %s\n"
                "CI is set, so an unreachable database server fails the run."
                % (backends.VENDOR, exc)
            ) from exc
        backends.SKIP_REASON = "backend %r unavailable: %s" % (backends.VENDOR, exc)
    backends.configure_ormlette()


def pytest_unconfigure(config):
    backends.teardown_databases()


def pytest_report_header(config):
    db = backends.TEST_DB or {}
    where = db.get("NAME", "?")
    if db.get("HOST"):
        where = "%s on %s:%s" % (where, db["HOST"], db["PORT"])
    lines = ["ormlette test backend: %s (%s)" % (backends.VENDOR, where)]
    if backends.SKIP_REASON:
        lines.append("ormlette: SKIPPING ALL TESTS: %s" % backends.SKIP_REASON)
    return lines


def pytest_collection_modifyitems(config, items):
    if backends.SKIP_REASON:
        marker = pytest.mark.skip(reason=backends.SKIP_REASON)
        for item in items:
            item.add_marker(marker)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if backends.SKIP_REASON:
        terminalreporter.write_line(
            "ormlette: all tests skipped: %s" % backends.SKIP_REASON, yellow=True, bold=True
        )


@pytest.fixture(scope="session")
def backend_vendor():
    """The backend under test: "sqlite", "postgresql" or "mysql" (MariaDB included)."""
    return backends.VENDOR
