"""App config of the reference-model app."""
from django.apps import AppConfig


class DjappConfig(AppConfig):
    """The ``djapp`` app (models come from the differential harness)."""

    name = "tests.djapp"
    label = "djapp"
    default_auto_field = "django.db.models.BigAutoField"
