"""Small models for the connection tests."""
from ormlette.db import models


class Customer(models.Model):
    """A row to read."""

    name = models.CharField(max_length=50)
    notes = models.TextField(default="")

    class Meta:
        app_label = "connections"


class Order(models.Model):
    """A row with a foreign key (lazy related loads)."""

    customer = models.ForeignKey(Customer, models.CASCADE)
    total = models.IntegerField(default=0)

    class Meta:
        app_label = "connections"
