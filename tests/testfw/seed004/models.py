"""Seed 004's order models, reduced to what its query-budget test touches."""
from ormlette.db import models


class Customer(models.Model):
    """The seed's user."""

    email = models.CharField(max_length=100)

    class Meta:
        app_label = "seed004"


class Address(models.Model):
    """A shipping address."""

    line = models.CharField(max_length=100)

    class Meta:
        app_label = "seed004"


class Product(models.Model):
    """A catalog product."""

    name = models.CharField(max_length=100)
    price = models.DecimalField(max_digits=10, decimal_places=2)

    class Meta:
        app_label = "seed004"


class Order(models.Model):
    """An order of one user, shipped to one address."""

    user = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="orders")
    shipping_address = models.ForeignKey(Address, on_delete=models.PROTECT, null=True)
    status = models.CharField(max_length=20, default="pending")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "seed004"
        ordering = ["-created_at"]


class OrderItem(models.Model):
    """One line of an order."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="items")
    product = models.ForeignKey(Product, on_delete=models.PROTECT)
    quantity = models.PositiveIntegerField(default=1)

    class Meta:
        app_label = "seed004"
