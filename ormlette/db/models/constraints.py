"""Meta.constraints: CheckConstraint and UniqueConstraint."""
from enum import Enum

from ormlette.core.exceptions import ValidationError
from ormlette.db.models.expressions.base import F
from ormlette.db.models.query_utils import Q
from ormlette.utils.deconstruct import Deconstructible

__all__ = ["BaseConstraint", "CheckConstraint", "Deferrable", "UniqueConstraint"]


class Deferrable(Enum):
    """When a deferrable unique constraint is checked."""

    DEFERRED = "deferred"
    IMMEDIATE = "immediate"

    def __repr__(self):
        return "%s.%s" % (self.__class__.__qualname__, self._name_)


class BaseConstraint(Deconstructible):
    """Common constraint options."""

    def deconstruct(self):
        """(path, expressions, kwargs) as Django's (``check=`` written as ``condition=``)."""
        args, kwargs = self.constructor_kwargs()
        if "check" in kwargs:
            kwargs["condition"] = kwargs.pop("check")
        if "fields" in kwargs:
            kwargs["fields"] = tuple(kwargs["fields"])
        kwargs["name"] = self.name
        return "ormlette.db.models.%s" % type(self).__name__, tuple(args), kwargs

    default_violation_error_message = "Constraint “%(name)s” is violated."
    violation_error_code = None
    violation_error_message = None

    def __init__(self, *, name, violation_error_code=None, violation_error_message=None):
        self.name = name
        if violation_error_code is not None:
            self.violation_error_code = violation_error_code
        if violation_error_message is not None and violation_error_message != self.default_violation_error_message:
            self.violation_error_message = violation_error_message
        else:
            self.violation_error_message = self.default_violation_error_message

    @property
    def contains_expressions(self):
        """Whether the constraint has expressions (not just fields)."""
        return False

    def get_violation_error_message(self):
        """The message with the constraint name filled in."""
        return self.violation_error_message % {"name": self.name}

    def validate(self, model, instance, exclude=None, using="default"):
        """Raise ValidationError if ``instance`` violates the constraint."""
        raise NotImplementedError("This method must be implemented by a subclass.")

    def clone(self):
        """A copy built from the same arguments."""
        path, args, kwargs = self.deconstruct()
        return type(self)(*args, **kwargs)


class CheckConstraint(BaseConstraint):
    """CHECK (condition)."""

    def __init__(self, *, name, condition=None, check=None, violation_error_code=None,
                 violation_error_message=None):
        if check is not None:
            condition = check
        self.condition = condition
        if not getattr(condition, "conditional", False):
            raise TypeError("CheckConstraint.condition must be a Q instance or boolean expression.")
        super().__init__(name=name, violation_error_code=violation_error_code,
                         violation_error_message=violation_error_message)

    @property
    def check(self):
        """Deprecated alias of condition."""
        return self.condition

    def validate(self, model, instance, exclude=None, using="default"):
        """Evaluate the condition against the instance's values in the database."""
        from ormlette.db.models.validation import check_condition

        against = {f.attname: getattr(instance, f.attname) for f in model._meta.concrete_fields
                   if not exclude or f.name not in exclude}
        if exclude and _references(self.condition, exclude):
            return
        if check_condition(model, self.condition, against, using) is False:
            raise ValidationError(self.get_violation_error_message(), code=self.violation_error_code)

    def __repr__(self):
        return "<%s: condition=%s name=%r>" % (self.__class__.__qualname__, self.condition, self.name)

    def __eq__(self, other):
        if isinstance(other, CheckConstraint):
            return self.name == other.name and self.condition == other.condition
        return NotImplemented

    def __hash__(self):
        return hash((self.name, str(self.condition)))


def _references(condition, names):
    for child in getattr(condition, "children", ()):
        if isinstance(child, tuple):
            if child[0].split("__")[0] in names:
                return True
        elif _references(child, names):
            return True
    return False


class UniqueConstraint(BaseConstraint):
    """UNIQUE over fields or expressions, optionally partial or deferrable."""

    default_violation_error_message = "Constraint “%(name)s” is violated."

    def __init__(self, *expressions, fields=(), name=None, condition=None, deferrable=None, include=None,
                 opclasses=(), nulls_distinct=None, violation_error_code=None, violation_error_message=None):
        if not name:
            raise ValueError("A unique constraint must be named.")
        if not expressions and not fields:
            raise ValueError("At least one field or expression is required to define a unique constraint.")
        if expressions and fields:
            raise ValueError("UniqueConstraint.fields and expressions are mutually exclusive.")
        if not isinstance(condition, (type(None), Q)):
            raise ValueError("UniqueConstraint.condition must be a Q instance.")
        if condition and deferrable:
            raise ValueError("UniqueConstraint with conditions cannot be deferred.")
        if include and deferrable:
            raise ValueError("UniqueConstraint with include fields cannot be deferred.")
        if opclasses and deferrable:
            raise ValueError("UniqueConstraint with opclasses cannot be deferred.")
        if expressions and deferrable:
            raise ValueError("UniqueConstraint with expressions cannot be deferred.")
        if expressions and opclasses:
            raise ValueError("UniqueConstraint.opclasses cannot be used with expressions. Use "
                             "django.contrib.postgres.indexes.OpClass() instead.")
        if not isinstance(deferrable, (type(None), Deferrable)):
            raise TypeError("UniqueConstraint.deferrable must be a Deferrable instance.")
        if not isinstance(include, (type(None), list, tuple)):
            raise TypeError("UniqueConstraint.include must be a list or tuple.")
        if not isinstance(opclasses, (list, tuple)):
            raise TypeError("UniqueConstraint.opclasses must be a list or tuple.")
        if not isinstance(nulls_distinct, (type(None), bool)):
            raise TypeError("UniqueConstraint.nulls_distinct must be a bool.")
        if opclasses and len(fields) != len(opclasses):
            raise ValueError("UniqueConstraint.fields and UniqueConstraint.opclasses must have the same number of "
                             "elements.")
        self.fields = tuple(fields)
        self.condition = condition
        self.deferrable = deferrable
        self.include = tuple(include) if include else ()
        self.opclasses = opclasses
        self.nulls_distinct = nulls_distinct
        self.expressions = tuple(F(e) if isinstance(e, str) else e for e in expressions)
        super().__init__(name=name, violation_error_code=violation_error_code,
                         violation_error_message=violation_error_message)

    @property
    def contains_expressions(self):
        """Whether built from expressions."""
        return bool(self.expressions)

    def validate(self, model, instance, exclude=None, using="default"):
        """Query for another row with the same values."""
        from ormlette.db.models.validation import validate_unique_constraint

        validate_unique_constraint(self, model, instance, exclude, using)

    def __repr__(self):
        return "<%s:%s%s name=%r%s%s>" % (
            self.__class__.__qualname__,
            "" if not self.fields else " fields=%s" % repr(self.fields),
            "" if not self.expressions else " expressions=%s" % repr(self.expressions),
            self.name,
            "" if self.condition is None else " condition=%s" % self.condition,
            "" if self.deferrable is None else " deferrable=%r" % self.deferrable,
        )

    def __eq__(self, other):
        if isinstance(other, UniqueConstraint):
            return (self.name == other.name and self.fields == other.fields and self.condition == other.condition
                    and self.deferrable == other.deferrable and self.include == other.include
                    and self.opclasses == other.opclasses and self.expressions == other.expressions
                    and self.nulls_distinct is other.nulls_distinct)
        return NotImplemented

    def __hash__(self):
        return hash((self.name, self.fields))


