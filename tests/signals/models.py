"""Models for signal tests."""
from ormlette.db import models


class Author(models.Model):
    """A sender."""

    name = models.CharField(max_length=30)

    class Meta:
        app_label = "signals"


class Note(models.Model):
    """Another sender."""

    text = models.CharField(max_length=30)

    class Meta:
        app_label = "signals"
