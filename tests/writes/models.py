"""Models for the save()/update tests."""
import uuid

from ormlette.db import models
from ormlette.db.models.functions import Now


def _next_code():
    return "C-%s" % uuid.uuid4().hex[:8]


class Product(models.Model):
    """A product with stock (the seeds' catalog)."""

    name = models.CharField(max_length=100)
    price = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    stock = models.IntegerField(default=0)
    status = models.CharField(max_length=20, default="active")
    code = models.CharField(max_length=20, default=_next_code)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "writes"


class Stamped(models.Model):
    """db_default values filled by the database."""

    label = models.CharField(max_length=20)
    created = models.DateTimeField(db_default=Now())
    level = models.IntegerField(db_default=7)

    class Meta:
        app_label = "writes"


class Token(models.Model):
    """A pk with a Python default."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    label = models.CharField(max_length=20)

    class Meta:
        app_label = "writes"


class Tag(models.Model):
    """A unique name."""

    name = models.CharField(max_length=30, unique=True)
    uses = models.IntegerField(default=0)

    class Meta:
        app_label = "writes"
