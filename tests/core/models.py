"""Small single-table models used by the core tests."""
import datetime
import uuid

from ormlette.db import models
from ormlette.utils import timezone


class Kind(models.TextChoices):
    """A choices enum."""

    BOOK = "bk", "Book"
    MAGAZINE = "mg", "Magazine"


class Stamped(models.Model):
    """Abstract base with timestamps and a manager."""

    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
        ordering = ["-created"]


class PublishedManager(models.Manager):
    """Custom manager with a filter and an extra method."""

    def get_queryset(self):
        return super().get_queryset().filter(published=True)

    def titled(self, prefix):
        return self.filter(title__startswith=prefix)


class ItemQuerySet(models.QuerySet):
    """Custom queryset methods."""

    def cheap(self):
        return self.filter(price__lt=10)


class Item(Stamped):
    """An item with many field types."""

    title = models.CharField(max_length=100, db_index=True)
    slug = models.SlugField(unique=True, null=True)
    kind = models.CharField(max_length=2, choices=Kind.choices, default=Kind.BOOK)
    price = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    rating = models.FloatField(null=True)
    pages = models.PositiveIntegerField(null=True)
    published = models.BooleanField(default=False)
    released = models.DateField(null=True)
    alarm = models.TimeField(null=True)
    uid = models.UUIDField(default=uuid.uuid4)
    meta = models.JSONField(null=True)
    span = models.DurationField(null=True)
    raw = models.BinaryField(null=True)
    ip = models.GenericIPAddressField(null=True)
    email = models.EmailField(null=True)
    url = models.URLField(null=True)
    body = models.TextField(default="")
    small = models.SmallIntegerField(null=True)
    big = models.BigIntegerField(null=True)

    objects = models.Manager()
    published_items = PublishedManager()
    cheap = ItemQuerySet.as_manager()

    class Meta(Stamped.Meta):
        app_label = "core"
        get_latest_by = "created"
        indexes = [models.Index(fields=["-price", "title"], name="core_item_price_title")]
        constraints = [
            models.CheckConstraint(condition=models.Q(price__gte=0), name="core_item_price_gte_0"),
            models.UniqueConstraint(fields=["title", "kind"], name="core_item_title_kind_uniq"),
        ]

    def __str__(self):
        return self.title


class Note(models.Model):
    """No default ordering; nullable text."""

    text = models.CharField(max_length=50, null=True)
    n = models.IntegerField(default=0)
    when = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "core"
        unique_together = [("text", "n")]


_ = datetime
