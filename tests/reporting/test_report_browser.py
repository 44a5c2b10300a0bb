"""The report page in a real browser: Debian's chromium, headless (./run installs it in CI; nothing is downloaded).

The page is loaded from its file with no network; the DOM after its script ran is read back
(``--dump-dom``) and a screenshot is kept under the session's temp folder.
"""
import os
import re
import shutil
import subprocess

import pytest

import ormlette
from tests.relations import models as m

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = pytest.mark.skipif(CHROMIUM is None and not os.environ.get("CI"),
                                reason="Debian's chromium is not installed (./run installs it in CI)")


def _chromium(*args, cwd):
    if CHROMIUM is None:
        pytest.fail("CI is set and chromium is missing: ./run installs chromium and chromium-driver with apt-get")
    profile = os.path.join(cwd, "profile")
    done = subprocess.run([CHROMIUM, *FLAGS, "--user-data-dir=" + profile, *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.fixture
def page(data, tmp_path):
    path = tmp_path / "report.html"
    with ormlette.report(str(path)) as result:
        for order in m.Order.objects.order_by("pk"):
            order.customer.name
        for customer in m.Customer.objects.order_by("pk"):
            customer.orders.count()
    return path, result


def _body_rows(dom):
    tbody = re.search(r"<tbody>(.*?)</tbody>", dom, re.S).group(1)
    return re.findall(r'<tr class="[^"]*" data-i="(\d+)">(.*?)</tr>', tbody, re.S)


def test_table_and_chart_render_and_screenshot(page, tmp_path_factory):
    path, result = page
    work = str(path.parent)
    dom = _chromium("--dump-dom", path.as_uri(), cwd=work)
    assert 'data-rendered="yes"' in dom
    count = len(result.statements)
    assert count == 1 + 3 + 1 + 3
    assert len(_body_rows(dom)) == count
    assert len(re.findall(r"<rect ", dom)) == count  # one timeline bar per statement
    assert "%d of %d shown" % (count, count) in dom
    findings = re.findall(r'<div class="finding nplusone">(.*?)</div>', dom)
    assert len(findings) == 2 and 'Fix: Order.objects.select_related("customer")' in findings[0].replace("&quot;", '"')
    shots = tmp_path_factory.mktemp("ormlette-report-screenshots")
    shot = shots / "report.png"
    _chromium("--window-size=1280,900", "--screenshot=%s" % shot, path.as_uri(), cwd=work)
    with open(shot, "rb") as f:
        assert f.read(8) == b"\x89PNG\r\n\x1a\n"
    assert os.path.getsize(shot) > 10_000


def test_table_sorts_and_filters(page):
    path, result = page
    work = str(path.parent)
    slowest_first = sorted(result.statements, key=lambda s: -round(s.duration * 1000, 3))
    dom = _chromium("--dump-dom", path.as_uri() + "#sort=-ms", cwd=work)
    shown = [int(i) for i, _ in _body_rows(dom)]
    times = [round(s.duration * 1000, 3) for s in sorted(result.statements, key=lambda s: shown.index(s.index))]
    assert times == sorted(times, reverse=True) and len(shown) == len(slowest_first)
    dom = _chromium("--dump-dom", path.as_uri() + "#filter=COUNT", cwd=work)
    rows = _body_rows(dom)
    assert len(rows) == 3 and all("COUNT" in cells.upper() for _, cells in rows)
    dom = _chromium("--dump-dom", path.as_uri() + "#sort=i&repeated=1", cwd=work)
    assert [int(i) for i, _ in _body_rows(dom)] == [2, 3, 4, 6, 7, 8]
