"""Models for bulk_create / bulk_update."""
import uuid

from ormlette.db import models
from ormlette.db.models.functions import Now


class Book(models.Model):
    """The seeds' Book."""

    title = models.CharField(max_length=100)
    price = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    sales_count = models.IntegerField(default=0)
    published = models.DateTimeField(db_default=Now())
    rank = models.IntegerField(db_default=1)

    class Meta:
        app_label = "bulk"


class Tag(models.Model):
    """The seeds' Tag with a unique name."""

    name = models.CharField(max_length=30, unique=True)
    uses = models.IntegerField(default=0)
    note = models.CharField(max_length=30, default="")

    class Meta:
        app_label = "bulk"


class Code(models.Model):
    """A pk set in Python."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    value = models.IntegerField()

    class Meta:
        app_label = "bulk"
