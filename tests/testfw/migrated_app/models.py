"""An app with a ``migrations`` package (for the migrations seam of the test databases)."""
from ormlette.db import models


class Ledger(models.Model):
    """A table the test database code must hand to the migrations seam."""

    total = models.IntegerField(default=0)

    class Meta:
        app_label = "testfw_migrated"
