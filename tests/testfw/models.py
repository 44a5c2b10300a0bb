"""Models for the tests of ormlette.test and the pytest plugin."""
from ormlette.db import models


class Author(models.Model):
    """A writer."""

    name = models.CharField(max_length=50)

    class Meta:
        app_label = "testfw"
        ordering = ["name"]


class Book(models.Model):
    """A book by one author."""

    title = models.CharField(max_length=50)
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="books")

    class Meta:
        app_label = "testfw"


class Tag(models.Model):
    """A label without default ordering (for assertQuerySetEqual's ordered check)."""

    label = models.CharField(max_length=20)

    class Meta:
        app_label = "testfw"
