"""ormlette: the Django ORM's model and QuerySet API as a standalone library."""

__version__ = "0.1.0"

from ormlette.utils import moved as _moved  # noqa: E402

_moved.install()  # old module paths of the flat layout stay importable


def report(path, title=None, using=None, explain=3, threshold=2):
    """``with ormlette.report("report.html"):`` writes the block's statements as one HTML page (ormlette.reporting)."""
    from ormlette.reporting import report as make_report

    return make_report(path, title=title, using=using, explain=explain, threshold=threshold)


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


def create_tables(*models, using="default", if_not_exists=False):
    """Create the tables (with indexes and constraints) of the given models.

    An existing table is an error unless ``if_not_exists=True`` (SQLAlchemy's ``checkfirst``), which
    leaves existing tables and indexes as they are.
    """
    from ormlette.db import connections

    with connections[using].schema_editor() as editor:
        for model in models:
            editor.create_model(model, if_not_exists=if_not_exists)


def drop_tables(*models, using="default"):
    """Drop the tables of the given models (in reverse order); tables that do not exist are skipped."""
    from ormlette.db import connections

    with connections[using].schema_editor() as editor:
        for model in reversed(models):
            editor.delete_model(model)
