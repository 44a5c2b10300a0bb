"""A bounded load test: an ASGI app (Starlette, in-process through httpx) on PostgreSQL with a pool of 10."""
import asyncio
import random

import pytest

from ormlette.core.exceptions import SynchronousOnlyOperation
from tests import backends
from tests.backends import clean_tables, use_models
from tests.connections.helpers import admin, extra_alias, server_count, settled_count, stable_count  # noqa: F401
from tests.connections.models import Customer, Order

starlette = pytest.importorskip("starlette")
httpx = pytest.importorskip("httpx")

from starlette.applications import Starlette  # noqa: E402
from starlette.responses import JSONResponse  # noqa: E402
from starlette.routing import Route  # noqa: E402

tables = use_models(Customer, Order)
cleanup = clean_tables(Customer, Order, autouse=True)
pytestmark = [pytest.mark.usefixtures("tables"),
              pytest.mark.skipif(backends.VENDOR != "postgresql", reason="the load test runs on PostgreSQL")]

REQUESTS, CLIENTS, POOL = 2000, 200, 10


def make_app(alias):
    async def customer(request):
        pk = request.path_params["pk"]
        found = await Customer.objects.using(alias).aget(pk=pk)
        orders = await Order.objects.using(alias).filter(customer_id=pk).acount()
        return JSONResponse({"id": found.pk, "name": found.name, "orders": orders})

    async def by_mistake(request):
        found = Customer.objects.using(alias).get(pk=request.path_params["pk"])  # sync call: refused
        return JSONResponse({"id": found.pk})

    async def refused(request, exc):
        return JSONResponse({"error": type(exc).__name__, "detail": str(exc)}, status_code=500)

    return Starlette(routes=[Route("/customers/{pk:int}", customer), Route("/mistake/{pk:int}", by_mistake)],
                     exception_handlers={SynchronousOnlyOperation: refused})


@pytest.fixture
def customers():
    made = Customer.objects.bulk_create([Customer(name="c%d" % i) for i in range(50)])
    Order.objects.bulk_create([Order(customer=c, total=1) for c in made for _ in range(c.pk % 4)])
    return {c.pk: (c.name, c.pk % 4) for c in made}


def run_load(alias, customers, admin, mistake_share):  # noqa: F811
    app = make_app(alias)
    rng = random.Random(16)
    plan = [(rng.choice(sorted(customers)), rng.random() < mistake_share) for _ in range(REQUESTS)]
    peak = [0]

    async def client(http, queue, results):
        while queue:
            pk, mistake = queue.pop()
            response = await http.get("/%s/%d" % ("mistake" if mistake else "customers", pk))
            results.append((pk, mistake, response.status_code, response.json()))

    async def sample(stop):
        while not stop.is_set():
            peak[0] = max(peak[0], await asyncio.to_thread(server_count, admin))
            await asyncio.sleep(0.2)

    async def main():
        transport = httpx.ASGITransport(app=app)
        results, queue, stop = [], list(plan), asyncio.Event()
        sampler = asyncio.create_task(sample(stop))
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            await asyncio.gather(*(client(http, queue, results) for _ in range(CLIENTS)))
        stop.set()
        await sampler
        return results
    return asyncio.run(main()), peak[0]


def check(results, customers, mistakes_expected):
    assert len(results) == REQUESTS
    mistakes = 0
    for pk, mistake, status, body in results:
        if mistake:
            mistakes += 1
            assert status == 500 and body["error"] == "SynchronousOnlyOperation" and "aget()" in body["detail"]
        else:
            assert status == 200, body
            assert body == {"id": pk, "name": customers[pk][0], "orders": customers[pk][1]}
    assert (mistakes > 0) == mistakes_expected


@pytest.mark.parametrize("mistake_share", [0.0, 0.2], ids=["all_async", "20pct_sync_by_mistake"])
def test_two_thousand_requests_from_two_hundred_clients(customers, admin, mistake_share):  # noqa: F811
    with extra_alias("load", OPTIONS={"pool_size": POOL, "max_overflow": 0}) as alias:
        start = stable_count(admin)
        results, peak = run_load(alias, customers, admin, mistake_share)
        check(results, customers, mistakes_expected=mistake_share > 0)
        assert start < peak <= start + POOL
        assert settled_count(admin, start) == start
