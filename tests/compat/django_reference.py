"""Configure the installed Django once, as the reference these differential tests compare with."""
import django
from django.conf import settings


def _options():
    """The suite's Django settings when available, else the minimal ones needed here."""
    try:
        from tests.backends import django_settings
    except ImportError:
        return {"USE_TZ": True, "TIME_ZONE": "UTC"}
    return django_settings()


def configure_django():
    """Configure Django unless something already did, then populate its app registry."""
    if not settings.configured:
        # Without i18n Django's lazy messages render without translation catalogs.
        settings.configure(**{**_options(), "USE_I18N": False})
    # An empty registry is enough for Django's translations when i18n is on.
    django.setup()
