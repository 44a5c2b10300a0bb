"""Migrations in Django's file format (``from ormlette.db import migrations``); DDL through Alembic."""
from ormlette.db.migrations.exceptions import IrreversibleError, MigrationError
from ormlette.db.migrations.migration import Migration, swappable_dependency
from ormlette.db.migrations.operations import *  # noqa: F401,F403
from ormlette.db.migrations.operations import __all__ as _operations

__all__ = ["Migration", "swappable_dependency", "IrreversibleError", "MigrationError", *_operations]
