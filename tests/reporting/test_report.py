"""The query report: what it records, what it finds, the page it writes, the middleware and pytest option."""
import asyncio
import json
import os
import re
import subprocess
import sys

import ormlette
from ormlette.db import connection
from ormlette.reporting import middleware
from ormlette.reporting.shapes import sql_shape
from tests.relations import models as m


def _data_of(path):
    text = open(path, encoding="utf-8").read()
    payload = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', text, re.S).group(1)
    return text, json.loads(payload.replace("<\\/", "</"))


def test_report_records_statements_duplicates_similar_and_groups(data, tmp_path):
    path = tmp_path / "report.html"
    with ormlette.report(str(path), explain=1) as result:
        line = sys._getframe().f_lineno + 1
        for order in m.Order.objects.order_by("pk"):
            order.customer.name
        list(m.Customer.objects.filter(name="alice"))
    assert path.exists()
    statements = result.statements
    assert len(statements) == 5  # the orders, one customer per order (alice twice), the filter
    first = statements[0]
    assert first.sql.lstrip().upper().startswith("SELECT") and first.duration > 0
    assert first.stack[-1][0] == __file__ and first.stack[-1][1] == line
    assert statements[1].stack[-1][1] == line + 1 and statements[1].params is not None
    text, page = _data_of(path)
    assert "http://" not in text.replace("http://www.w3.org/2000/svg", "") and "https://" not in text
    assert [s["i"] for s in page["statements"]] == [1, 2, 3, 4, 5]
    assert page["statements"][4]["params"] == ["alice"]
    assert page["nplusone"][0]["fix"] == 'Order.objects.select_related("customer")'
    assert page["nplusone"][0]["count"] == 3
    assert page["duplicates"] == [{"count": 2, "sql": statements[1].sql, "params": page["statements"][1]["params"],
                                   "i": 2}]
    assert [s["count"] for s in page["similar"]] == [3]
    explained = [s for s in page["statements"] if s["explain"]]
    assert len(explained) == 1 and explained[0]["explain"]
    if connection.vendor != "sqlite":  # the server drivers report the rows a SELECT returned
        assert page["statements"][0]["rows"] == 3


def test_sql_shape_groups_values_away():
    assert sql_shape("SELECT a FROM t WHERE id = 5 AND name = 'x''y'") == "SELECT a FROM t WHERE id = ? AND name = ?"
    assert sql_shape("SELECT a FROM t WHERE id IN (%s, %s, %s)") == "SELECT a FROM t WHERE id IN (...)"
    assert sql_shape('SELECT "t1"."a" FROM t1 WHERE x = $1') == 'SELECT "t1"."a" FROM t1 WHERE x = ?'


def test_wsgi_middleware_writes_a_page_per_request(data, tmp_path):
    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [", ".join(b.author.name for b in m.Book.objects.order_by("pk")).encode()]

    wrapped = middleware.WSGIReportMiddleware(app, str(tmp_path))
    body = wrapped({"REQUEST_METHOD": "GET", "PATH_INFO": "/books/"}, lambda status, headers: None)
    assert body == [b"tolkien, tolkien, herbert"]
    [page] = os.listdir(tmp_path)
    assert page.endswith("-GET-books.html")
    _, data_ = _data_of(tmp_path / page)
    assert data_["title"] == "GET /books/" and len(data_["statements"]) == 4
    assert data_["nplusone"][0]["fix"] == 'Book.objects.select_related("author")'


def test_asgi_middleware_writes_a_page_per_request(data, tmp_path):
    async def app(scope, receive, send):
        count = 0
        async for customer in m.Customer.objects.all():
            count += await customer.orders.acount()
        await send({"type": "http.response.body", "body": str(count).encode()})

    sent = []

    async def send(message):
        sent.append(message)

    wrapped = middleware.ASGIReportMiddleware(app, str(tmp_path))
    asyncio.run(wrapped({"type": "http", "method": "POST", "path": "/count"}, None, send))
    assert sent == [{"type": "http.response.body", "body": b"3"}]
    [page] = os.listdir(tmp_path)
    _, data_ = _data_of(tmp_path / page)
    assert len(data_["statements"]) == 4
    assert data_["nplusone"][0]["fix"] == 'Customer.objects.annotate(orders_count=Count("orders"))'


def test_pytest_option_writes_one_page_per_test(tmp_path):
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    inner = tmp_path / "inner"
    inner.mkdir()
    (inner / "conftest.py").write_text(
        "import ormlette\n\n\ndef pytest_configure(config):\n    ormlette.setup(%r)\n"
        % ("sqlite:///%s" % (tmp_path / "inner.sqlite3")))
    (inner / "test_inner.py").write_text('''
import ormlette
from ormlette.db import models


class Thing(models.Model):
    name = models.CharField(max_length=10)

    class Meta:
        app_label = "inner"


def test_one():
    ormlette.create_tables(Thing)
    Thing.objects.create(name="a")
    assert Thing.objects.count() == 1


def test_two():
    assert list(Thing.objects.values_list("name", flat=True)) == ["a"]
''')
    reports = tmp_path / "reports"
    env = {**os.environ, "PYTHONPATH": root}
    env.pop("ORMLETTE_NPLUSONE", None)
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly",
                           "--rootdir", str(inner), "--ormlette-report=%s" % reports, str(inner)],
                          cwd=str(inner), env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "2 passed" in done.stdout
    pages = sorted(os.listdir(reports))
    assert pages == ["test_inner.py_test_one.html", "test_inner.py_test_two.html"]
    _, two = _data_of(reports / pages[1])
    assert two["title"] == "test_inner.py::test_two" and len(two["statements"]) == 1
