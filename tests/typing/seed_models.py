"""The seed articles' models, written as a user would (no annotations beyond the documented ones).

Checked by mypy and pyright in test_checkers.py; never imported by the test run itself.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from ormlette.db import models
from ormlette.db.models import Q, Sum

if TYPE_CHECKING:
    from ormlette.db.models.manager import RelatedManager


class Customer(models.Model):
    name = models.CharField(max_length=255)
    email = models.EmailField(unique=True)
    nickname = models.CharField(max_length=50, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    orders: RelatedManager[Order]  # a reverse accessor: the documented one-line annotation


class Product(models.Model):
    name = models.CharField(max_length=255)
    price = models.DecimalField(max_digits=10, decimal_places=2)
    stock = models.PositiveIntegerField(default=0)
    launched = models.DateField(null=True)


class OrderQuerySet(models.QuerySet["Order"]):
    def paid(self) -> OrderQuerySet:
        return self.filter(status=Order.Status.PAID)

    def big(self, threshold: int = 100) -> OrderQuerySet:
        return self.annotate(total=Sum("items__price")).filter(total__gt=threshold)


class Order(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending"
        PAID = "paid", "Paid in full"

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="orders")
    coupon = models.ForeignKey("Coupon", on_delete=models.SET_NULL, null=True)
    gift: models.ForeignKey[Coupon | None] = models.ForeignKey(
        "Coupon", on_delete=models.SET_NULL, null=True, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)

    # mypy lets the metaclass's default ``objects`` win over an unannotated one: annotate a custom manager.
    objects: ClassVar[OrderQuerySet] = OrderQuerySet.as_manager()
    customer_id: int  # the FK's column attribute: the documented one-line annotation


class Coupon(models.Model):
    code = models.CharField(max_length=20)


class Tag(models.Model):
    name = models.CharField(max_length=30)


class Post(models.Model):
    title = models.CharField(max_length=100)
    tags = models.ManyToManyField(Tag, related_name="posts")
    views = models.IntegerField(default=0)
    ratio = models.FloatField(null=True)
    published = models.BooleanField(default=False)
    search_filter = Q(title__icontains="orm")
