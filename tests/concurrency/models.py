"""Models for the multi-threaded tests."""
from ormlette.db import models


class Item(models.Model):
    """A product with stock."""

    name = models.CharField(max_length=30)
    stock = models.IntegerField()

    class Meta:
        app_label = "concurrency"


class Job(models.Model):
    """A queue entry claimed with select_for_update(skip_locked=True)."""

    done = models.BooleanField(default=False)
    times_processed = models.IntegerField(default=0)
    worker = models.IntegerField(null=True)

    class Meta:
        app_label = "concurrency"


class Account(models.Model):
    """A row created once by get_or_create under contention."""

    key = models.CharField(max_length=30, unique=True)
    hits = models.IntegerField(default=0)

    class Meta:
        app_label = "concurrency"
