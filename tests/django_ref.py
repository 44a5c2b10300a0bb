"""Configure the installed Django 5.2 once per process, as the reference for differential tests.

Every test module that runs real Django calls :func:`configure_django` (directly or
through ``tests/differential/harness.py``); whichever runs first configures Django
against ``tests.backends.REFERENCE_DB`` and the others reuse that configuration.
"""
import threading

_lock = threading.Lock()


def _options():
    """The suite's Django settings: REFERENCE_DB, the reference app, no i18n."""
    from tests.backends import REFERENCE_DB, django_settings

    if REFERENCE_DB is None:
        raise RuntimeError(
            "tests.backends.setup_databases() has not run: Django can only be configured "
            "inside a pytest run of this suite (tests/conftest.py creates REFERENCE_DB)."
        )
    # Without i18n Django's lazy messages render without translation catalogs.
    return django_settings(INSTALLED_APPS=["tests.djapp"], USE_I18N=False)


def configure_django():
    """Configure Django (once, idempotent) and populate its app registry; return ``django``."""
    import django
    from django.conf import settings

    with _lock:
        if not settings.configured:
            settings.configure(**_options())
        django.setup()
    return django
