"""pytest option ``--ormlette-report=DIR``: one query report page per test (loaded by the ormlette plugin)."""
import os
import re

import pytest

_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def pytest_addoption(parser):
    group = parser.getgroup("ormlette")
    group.addoption("--ormlette-report", metavar="DIR", default=None,
                    help="write an ormlette query report page (HTML) per test into DIR")


def report_path(directory, nodeid):
    """The page of the test ``nodeid`` in ``directory``."""
    return os.path.join(directory, _UNSAFE.sub("_", nodeid).strip("_")[:180] + ".html")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    directory = item.config.getoption("ormlette_report", None)
    if not directory:
        yield
        return
    from ormlette.conf import settings
    from ormlette.reporting import report

    if not settings.configured:  # recording would configure the defaults under the test's feet
        yield
        return
    with report(report_path(directory, item.nodeid), title=item.nodeid):
        yield
