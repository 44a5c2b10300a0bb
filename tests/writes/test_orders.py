"""The seeds' transactional order placement: all or nothing."""
import decimal

import pytest

from ormlette.db import IntegrityError, transaction
from ormlette.db.models import F
from tests.backends import clean_tables, use_models
from tests.writes.order_models import Customer, Order, OrderItem, ShopProduct

tables = use_models(Customer, ShopProduct, Order, OrderItem)
cleanup = clean_tables(Customer, ShopProduct, Order, OrderItem, autouse=True)
pytestmark = pytest.mark.usefixtures("tables")


def create_order_with_items(user, cart_items):
    """The article's service function, verbatim apart from the package name."""
    with transaction.atomic():
        order = Order.objects.create(
            user=user,
            status=Order.Status.PENDING,
            total=sum(item["price"] * item["quantity"] for item in cart_items),
        )
        order_items = [
            OrderItem(
                order=order,
                product_id=item["product_id"],
                quantity=item["quantity"],
                unit_price=item["price"],
            )
            for item in cart_items
        ]
        OrderItem.objects.bulk_create(order_items)
        for item in cart_items:
            updated = ShopProduct.objects.filter(
                pk=item["product_id"],
                stock__gte=item["quantity"],
            ).update(stock=F("stock") - item["quantity"])
            if updated == 0:
                raise ValueError(f"Insufficient stock for product {item['product_id']}")
        return order


@pytest.fixture
def shop():
    user = Customer.objects.create(name="ann")
    lamp = ShopProduct.objects.create(name="lamp", price=decimal.Decimal("10.00"), stock=5)
    desk = ShopProduct.objects.create(name="desk", price=decimal.Decimal("99.50"), stock=1)
    return user, lamp, desk


def cart(*lines):
    return [{"product_id": p.pk, "quantity": q, "price": p.price} for p, q in lines]


def test_order_placed(shop):
    user, lamp, desk = shop
    order = create_order_with_items(user, cart((lamp, 2), (desk, 1)))
    assert order.total == decimal.Decimal("119.50")
    assert sorted(OrderItem.objects.filter(order=order).values_list("product__name", "quantity")) == [
        ("desk", 1), ("lamp", 2)]
    assert dict(ShopProduct.objects.values_list("name", "stock")) == {"lamp": 3, "desk": 0}
    assert list(user.orders.values_list("status", flat=True)) == ["pending"]


def test_insufficient_stock_leaves_no_partial_order(shop):
    user, lamp, desk = shop
    with pytest.raises(ValueError, match="Insufficient stock for product %d" % desk.pk):
        create_order_with_items(user, cart((lamp, 2), (desk, 2)))
    assert Order.objects.count() == 0
    assert OrderItem.objects.count() == 0
    assert dict(ShopProduct.objects.values_list("name", "stock")) == {"lamp": 5, "desk": 1}


def test_constraint_violation_leaves_no_partial_order(shop):
    user, lamp, desk = shop
    with pytest.raises(IntegrityError) as info:
        create_order_with_items(user, cart((lamp, 1), (lamp, 1)))  # same product twice: unique constraint
    assert info.value.__cause__ is not None
    assert Order.objects.count() == 0 and OrderItem.objects.count() == 0
    assert ShopProduct.objects.get(pk=lamp.pk).stock == 5


def test_check_constraints_are_the_last_line_of_defence(shop):
    user, lamp, desk = shop
    with pytest.raises(IntegrityError):
        with transaction.atomic():
            ShopProduct.objects.filter(pk=desk.pk).update(stock=F("stock") - 5)
    with pytest.raises(IntegrityError):
        with transaction.atomic():
            order = Order.objects.create(user=user)
            OrderItem.objects.create(order=order, product=lamp, quantity=0, unit_price=1)
    assert ShopProduct.objects.get(pk=desk.pk).stock == 1
    assert Order.objects.count() == 0


def test_save_update_fields_on_order(shop):
    user, lamp, desk = shop
    order = create_order_with_items(user, cart((lamp, 1)))
    before = order.updated_at
    order.status = "paid"
    order.save(update_fields=["status", "updated_at"])
    fresh = Order.objects.get(pk=order.pk)
    assert fresh.status == "paid" and fresh.updated_at >= before
