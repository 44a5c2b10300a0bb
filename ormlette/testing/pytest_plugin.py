"""pytest plugin: ``assert_num_queries`` and ``capture_queries`` fixtures."""
import pytest

pytest_plugins = ["ormlette.testing.report_option"]  # --ormlette-report=DIR


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
