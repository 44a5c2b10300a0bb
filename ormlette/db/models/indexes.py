"""Meta.indexes: Index over fields or expressions."""
import hashlib

from ormlette.db.models.expressions.base import F
from ormlette.db.models.query_utils import Q
from ormlette.utils.deconstruct import Deconstructible

__all__ = ["Index"]


class Index(Deconstructible):
    """An index (``-field`` for descending, expressions, partial, covering)."""

    def deconstruct(self):
        """(path, expressions, kwargs) as Django's, the name included."""
        args, kwargs = self.constructor_kwargs()
        kwargs["name"] = self.name
        if "fields" in kwargs:
            kwargs["fields"] = list(kwargs["fields"])
        return "ormlette.db.models.Index", tuple(args), kwargs

    def clone(self):
        """A copy built from the same arguments."""
        path, args, kwargs = self.deconstruct()
        return type(self)(*args, **kwargs)

    suffix = "idx"
    max_name_length = 30

    def __init__(self, *expressions, fields=(), name="", db_tablespace=None, opclasses=(), condition=None,
                 include=None):
        if opclasses and not name:
            raise ValueError("An index must be named to use opclasses.")
        if not isinstance(condition, (type(None), Q)):
            raise ValueError("Index.condition must be a Q instance.")
        if condition and not name:
            raise ValueError("An index must be named to use condition.")
        if not isinstance(fields, (list, tuple)):
            raise ValueError("Index.fields must be a list or tuple.")
        if not isinstance(opclasses, (list, tuple)):
            raise ValueError("Index.opclasses must be a list or tuple.")
        if not expressions and not fields:
            raise ValueError("At least one field or expression is required to define an index.")
        if expressions and fields:
            raise ValueError("Index.fields and expressions are mutually exclusive.")
        if expressions and not name:
            raise ValueError("An index must be named to use expressions.")
        if opclasses and len(fields) != len(opclasses):
            raise ValueError("Index.fields and Index.opclasses must have the same number of elements.")
        if fields and not all(isinstance(field, str) for field in fields):
            raise ValueError("Index.fields must contain only strings with field names.")
        if include and not name:
            raise ValueError("A covering index must be named.")
        if not isinstance(include, (type(None), list, tuple)):
            raise ValueError("Index.include must be a list or tuple.")
        self.fields = list(fields)
        self.fields_orders = [(field_name.removeprefix("-"), "DESC" if field_name.startswith("-") else "")
                              for field_name in self.fields]
        self.name = name or ""
        self.db_tablespace = db_tablespace
        self.opclasses = opclasses
        self.condition = condition
        self.include = tuple(include) if include else ()
        self.expressions = tuple(F(e) if isinstance(e, str) else e for e in expressions)

    @property
    def contains_expressions(self):
        """Whether built from expressions."""
        return bool(self.expressions)

    def set_name_with_model(self, model):
        """Generate a unique, short name from the table and columns."""
        table_name = model._meta.db_table
        column_names = [model._meta.get_field(name).column for name, _ in self.fields_orders]
        column_names_with_order = [("-%s" if order else "%s") % name
                                   for name, (_, order) in zip(column_names, self.fields_orders)]
        digest = hashlib.md5(("%s%s" % (table_name, "".join(column_names_with_order))).encode(),
                             usedforsecurity=False).hexdigest()[:8]
        self.name = "%s_%s_%s_%s" % (table_name[:11], column_names[0][:7], digest, self.suffix)
        if self.name[0] == "_" or self.name[0].isdigit():
            self.name = "D%s" % self.name[1:]

    def __repr__(self):
        return "<%s:%s%s%s%s>" % (
            self.__class__.__qualname__, "" if not self.fields else " fields=%s" % repr(self.fields),
            "" if not self.expressions else " expressions=%s" % repr(self.expressions),
            "" if not self.name else " name=%s" % repr(self.name),
            "" if self.condition is None else " condition=%s" % self.condition)

    def __eq__(self, other):
        if self.__class__ == other.__class__:
            return (self.fields, self.name, self.condition, self.include, self.expressions) == (
                other.fields, other.name, other.condition, other.include, other.expressions)
        return NotImplemented

    def __hash__(self):
        return hash((tuple(self.fields), self.name))
