"""Models for raw SQL tests."""
from ormlette.db import models


class Person(models.Model):
    """A person with a renamed column."""

    first_name = models.CharField(max_length=30)
    last_name = models.CharField(max_length=30, db_column="surname")
    born = models.DateField(null=True)
    score = models.DecimalField(max_digits=6, decimal_places=2, default=0)
    active = models.BooleanField(default=True)

    class Meta:
        app_label = "raw"


class Post(models.Model):
    """The seeds' blog post."""

    title = models.CharField(max_length=50)
    view_count = models.IntegerField(default=0)

    class Meta:
        app_label = "raw"
