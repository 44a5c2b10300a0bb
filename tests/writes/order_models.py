"""The seeds' shop: Product, Order, OrderItem with the article's constraints."""
from ormlette.db import models


class Customer(models.Model):
    """Who places orders."""

    name = models.CharField(max_length=50)

    class Meta:
        app_label = "shop"


class ShopProduct(models.Model):
    """A product with stock guarded by a CHECK constraint."""

    name = models.CharField(max_length=50)
    price = models.DecimalField(max_digits=10, decimal_places=2)
    stock = models.IntegerField(default=0)

    class Meta:
        app_label = "shop"
        constraints = [
            models.CheckConstraint(check=models.Q(price__gte=0), name="shop_product_price_non_negative"),
            models.CheckConstraint(check=models.Q(stock__gte=0), name="shop_product_stock_non_negative"),
        ]


class Order(models.Model):
    """An order and its status."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        PAID = "paid", "Paid"

    user = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="orders")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    total = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "shop"


class OrderItem(models.Model):
    """A line of an order."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="items")
    product = models.ForeignKey(ShopProduct, on_delete=models.PROTECT)
    quantity = models.PositiveIntegerField()
    unit_price = models.DecimalField(max_digits=10, decimal_places=2)

    class Meta:
        app_label = "shop"
        constraints = [
            models.CheckConstraint(check=models.Q(quantity__gt=0), name="orderitem_positive_quantity"),
            models.CheckConstraint(check=models.Q(unit_price__gte=0), name="orderitem_non_negative_price"),
            models.UniqueConstraint(fields=["order", "product"], name="orderitem_unique_order_product"),
        ]
