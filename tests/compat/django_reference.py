"""Configure the installed Django once, as the reference these differential tests compare with."""
from tests.django_ref import configure_django

__all__ = ["configure_django"]
