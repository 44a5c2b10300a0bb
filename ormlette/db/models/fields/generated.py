"""GeneratedField: a column the database computes from an expression (Django 5.0)."""
from typing import Any

from ormlette.db.models.fields.base import NOT_PROVIDED, Field

__all__ = ["GeneratedField"]


class GeneratedField(Field[Any]):
    """``GENERATED ALWAYS AS (expression) [STORED]``; read-only, returned after INSERT."""

    generated = True
    db_returning = True

    def __init__(self, *, expression, output_field, db_persist=None, **kwargs):
        if kwargs.setdefault("editable", False):
            raise ValueError("GeneratedField cannot be editable.")
        if not kwargs.setdefault("blank", True):
            raise ValueError("GeneratedField must be blank.")
        if kwargs.get("default", NOT_PROVIDED) is not NOT_PROVIDED:
            raise ValueError("GeneratedField cannot have a default.")
        if kwargs.get("db_default", NOT_PROVIDED) is not NOT_PROVIDED:
            raise ValueError("GeneratedField cannot have a database default.")
        if db_persist not in (True, False):
            raise ValueError("GeneratedField.db_persist must be True or False.")
        self.expression = expression
        self.output_field = output_field
        self.db_persist = db_persist
        super().__init__(**kwargs)

    def contribute_to_class(self, cls, name, private_only=False):
        """Attach to the model; the output field learns its model and name for converters."""
        super().contribute_to_class(cls, name, private_only)
        self.output_field.model = cls
        self.output_field.set_attributes_from_name(name)

    def get_internal_type(self):
        """The output field's type decides columns, converters and lookups."""
        return self.output_field.get_internal_type()

    def sa_type(self, connection):
        """The output field's column type."""
        return self.output_field.sa_type(connection)

    def get_db_converters(self, connection):
        """The output field's converters."""
        return self.output_field.get_db_converters(connection)

    def to_python(self, value):
        """As the output field."""
        return self.output_field.to_python(value)

    def get_prep_value(self, value):
        """As the output field (used in lookups)."""
        return self.output_field.get_prep_value(value)

    def get_db_prep_value(self, value, connection, prepared=False):
        """As the output field (used in lookups)."""
        return self.output_field.get_db_prep_value(value, connection, prepared)

    def get_lookup(self, lookup_name):
        """Lookups of the output field's class (e.g. text lookups on a CharField output)."""
        return self.output_field.get_lookup(lookup_name)

    def get_transform(self, lookup_name):
        """Transforms of the output field's class."""
        return self.output_field.get_transform(lookup_name)

    def deconstruct(self):
        """(name, path, args, kwargs)."""
        name, path, args, kwargs = super().deconstruct()
        kwargs.update(expression=self.expression, output_field=self.output_field, db_persist=self.db_persist)
        kwargs.pop("blank", None)
        kwargs.pop("editable", None)
        return name, path, args, kwargs
