"""What mypy and pyright must infer for the seed models (assert_type), and the errors they must report.

A line ending in ``# expect-error`` must get an error from both checkers; every other line none.
"""
from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from typing_extensions import assert_type

from ormlette.db.models import QuerySet
from ormlette.db.models.manager import Manager, RelatedManager
from tests.typing.seed_models import Coupon, Customer, Order, OrderQuerySet, Post, Product, Tag


def fields(customer: Customer, product: Product, order: Order, post: Post) -> None:
    assert_type(customer.name, str)
    assert_type(customer.email, str)
    assert_type(customer.nickname, str | None)
    assert_type(customer.created_at, datetime.datetime)
    assert_type(product.price, Decimal)
    assert_type(product.stock, int)
    assert_type(product.launched, datetime.date | None)
    assert_type(post.ratio, float | None)
    assert_type(post.published, bool)
    assert_type(order.customer, Customer)
    assert_type(order.coupon, Any)  # a string reference: annotate it to get Coupon
    assert_type(order.gift, Coupon | None)
    assert_type(order.customer_id, int)
    assert_type(order.pk, Any)
    assert_type(customer.orders, RelatedManager[Order])
    assert_type(post.tags, RelatedManager[Tag])
    customer.name = "Ada"
    customer.nickname = None
    product.price = Decimal("1.50")
    customer.name = 42  # expect-error
    customer.nickname = 3.5  # expect-error
    order.customer = product  # expect-error


def managers_and_querysets() -> None:
    assert_type(Customer.objects, Manager[Customer])
    assert_type(Customer.objects.get(pk=1), Customer)
    assert_type(Customer.objects.filter(name="Ada"), QuerySet[Customer])
    assert_type(Customer.objects.filter(name="Ada").exclude(pk=2).order_by("name"), QuerySet[Customer])
    assert_type(Customer.objects.first(), Customer | None)
    assert_type(Customer.objects.filter(name="Ada").first(), Customer | None)
    assert_type(Customer.objects.all()[0], Customer)
    assert_type(Customer.objects.all()[:10], QuerySet[Customer])
    assert_type(Customer.objects.count(), int)
    assert_type(Customer.objects.exists(), bool)
    assert_type(Customer.objects.create(name="Ada"), Customer)
    assert_type(Customer.objects.get_or_create(name="Ada"), tuple[Customer, bool])
    assert_type(Customer.objects.update_or_create(name="Ada"), tuple[Customer, bool])
    assert_type(Customer.objects.bulk_create([Customer(name="a")]), list[Customer])
    assert_type(Customer.objects.in_bulk([1, 2]), dict[Any, Customer])
    assert_type(Customer.objects.values("name"), QuerySet[dict[str, Any]])
    assert_type(Customer.objects.filter(pk=1).values("name"), QuerySet[dict[str, Any]])
    assert_type(Customer.objects.values_list("name", flat=True), QuerySet[Any])
    assert_type(Customer.objects.aggregate(n=Sum("pk")), dict[str, Any])
    assert_type(Customer.objects.filter(pk=1).update(name="x"), int)
    assert_type(Customer.objects.filter(pk=1).delete(), tuple[int, dict[str, int]])
    for customer in Customer.objects.filter(name="Ada"):
        assert_type(customer, Customer)
    for row in Customer.objects.values("name"):
        assert_type(row, dict[str, Any])
    Customer.objects.nope()  # expect-error
    Customer.objects.filter(pk=1).nope()  # expect-error


def custom_querysets() -> None:
    assert_type(Order.objects, OrderQuerySet)
    assert_type(Order.objects.paid(), OrderQuerySet)
    assert_type(Order.objects.filter(pk=1).paid().big(), OrderQuerySet)
    assert_type(Order.objects.paid().first(), Order | None)
    assert_type(Order.objects.get(pk=1), Order)
    assert_type(Coupon.objects.get(pk=1), Coupon)


def exceptions_and_choices() -> None:
    try:
        Customer.objects.get(pk=1)
    except Customer.DoesNotExist:
        pass
    except Customer.MultipleObjectsReturned:
        pass
    status: Order.Status = Order.Status.PAID
    assert_type(status.label, str)
    assert_type(Order.Status.PAID.label, str)
    assert_type(Order.Status.choices, list[tuple[Any, str]])


async def async_api() -> None:
    assert_type(await Customer.objects.aget(pk=1), Customer)
    assert_type(await Customer.objects.filter(pk=1).aget(), Customer)
    assert_type(await Customer.objects.afirst(), Customer | None)
    assert_type(await Customer.objects.acount(), int)
    assert_type(await Customer.objects.acreate(name="Ada"), Customer)
    assert_type(await Customer.objects.aget_or_create(name="Ada"), tuple[Customer, bool])
    async for customer in Customer.objects.filter(name="Ada"):
        assert_type(customer, Customer)
    async for customer in Customer.objects.aiterator():
        assert_type(customer, Customer)
    await Customer.objects.anope()  # expect-error


from ormlette.db.models import Sum  # noqa: E402  (kept at the end: an import's position is not the point)
