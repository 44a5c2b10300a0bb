"""ormlette: the Django ORM's model and QuerySet API as a standalone library."""

__version__ = "0.1.0"

from ormlette.utils import moved as _moved  # noqa: E402

_moved.install()  # old module paths of the flat layout stay importable


def setup(url=None, **settings_options):
    """Configure the default database from a URL (or DATABASE_URL / SQLite) in one call."""
    from ormlette.conf import settings
    from ormlette.db import connections
    from ormlette.db.urls import parse_database_url

    databases = settings_options.pop("DATABASES", None)
    if url is not None:
        databases = {"default": parse_database_url(url)}
    connections.close_all()
    settings._reset()
    if databases is not None:
        settings_options["DATABASES"] = databases
    settings.configure(**settings_options)
    connections.reset()


def create_tables(*models, using="default"):
    """Create the tables (with indexes and constraints) of the given models."""
    from ormlette.db import connections

    with connections[using].schema_editor() as editor:
        for model in models:
            editor.create_model(model)


def drop_tables(*models, using="default"):
    """Drop the tables of the given models (in reverse order)."""
    from ormlette.db import connections

    with connections[using].schema_editor() as editor:
        for model in reversed(models):
            editor.delete_model(model)
