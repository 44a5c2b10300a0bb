"""The migration operations (Django's ``django.db.migrations.operations``)."""
from ormlette.db.migrations.operations.base import Operation
from ormlette.db.migrations.operations.fields import AddField, AlterField, RemoveField, RenameField
from ormlette.db.migrations.operations.models import (
    AddConstraint, AddIndex, AlterConstraint, AlterModelManagers, AlterModelOptions, AlterModelTable,
    AlterModelTableComment, AlterOrderWithRespectTo, AlterUniqueTogether, CreateModel, DeleteModel, RemoveConstraint,
    RemoveIndex, RenameIndex, RenameModel,
)
from ormlette.db.migrations.operations.special import RunPython, RunSQL, SeparateDatabaseAndState

__all__ = [
    "Operation", "CreateModel", "DeleteModel", "RenameModel", "AlterModelTable", "AlterModelTableComment",
    "AlterModelOptions", "AlterModelManagers", "AlterUniqueTogether", "AlterOrderWithRespectTo", "AddField",
    "RemoveField", "AlterField", "RenameField", "AddIndex", "RemoveIndex", "RenameIndex", "AddConstraint",
    "RemoveConstraint", "AlterConstraint", "RunPython", "RunSQL", "SeparateDatabaseAndState",
]
