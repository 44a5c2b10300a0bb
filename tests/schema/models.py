"""Models whose Meta declares every kind of index and constraint."""
from ormlette.db import models
from ormlette.db.models import Q
from ormlette.db.models.functions import Lower


class Catalog(models.Model):
    """The seeds' Product Meta: indexes and check constraints."""

    name = models.CharField(max_length=50)
    slug = models.SlugField(max_length=50)
    status = models.CharField(max_length=10, default="active")
    category = models.CharField(max_length=10, default="misc")
    price = models.DecimalField(max_digits=8, decimal_places=2, default=0)
    stock = models.IntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    title = models.CharField(max_length=50, db_index=True)
    code = models.CharField(max_length=10, null=True)
    shelf = models.IntegerField(null=True)
    bin = models.IntegerField(null=True)

    class Meta:
        app_label = "schema"
        indexes = [
            models.Index(fields=["status", "category"]),
            models.Index(fields=["slug"]),
            models.Index(fields=["-created_at"]),
            models.Index(fields=["name"], name="catalog_active_name", condition=Q(status="active")),
            models.Index(Lower("name"), name="catalog_lower_name"),
            models.Index(fields=["status"], name="catalog_status_cover", include=["price"]),
            models.Index(fields=["slug"], name="catalog_slug_pattern", opclasses=["varchar_pattern_ops"]),
        ]
        unique_together = [("shelf", "bin")]
        constraints = [
            models.CheckConstraint(condition=Q(price__gte=0), name="catalog_price_non_negative"),
            models.CheckConstraint(condition=Q(stock__gte=0), name="catalog_stock_non_negative"),
            models.UniqueConstraint(fields=["code"], name="catalog_code_unique_nulls",
                                    nulls_distinct=False),
            models.UniqueConstraint(Lower("slug"), name="catalog_slug_ci_unique"),
            models.UniqueConstraint(fields=["name"], condition=Q(status="active"),
                                    name="catalog_active_name_unique"),
        ]


class Seat(models.Model):
    """A deferrable unique constraint."""

    row = models.IntegerField()
    number = models.IntegerField()

    class Meta:
        app_label = "schema"
        constraints = [
            models.UniqueConstraint(fields=["row", "number"], name="seat_unique_deferred",
                                    deferrable=models.Deferrable.DEFERRED),
        ]
