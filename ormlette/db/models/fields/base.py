"""The Field base class: options, defaults, validation, DB preparation and lookup registry."""
from __future__ import annotations

import copy
import operator
from typing import TYPE_CHECKING, Any, overload

from typing_extensions import TypeVar

from ormlette.core import exceptions, validators as core_validators
from ormlette.db.models.query_utils import DeferredAttribute, RegisterLookupMixin
from ormlette.utils.deconstruct import Deconstructible, public_path
from ormlette.utils.functional import Promise
from ormlette.utils.typing_support import GenericBase

if TYPE_CHECKING:
    from typing_extensions import Self

    from ormlette.db.models.base import Model

_T = TypeVar("_T", default=Any)


class NOT_PROVIDED:
    """Marker for 'no default given'."""


BLANK_CHOICE_DASH = [("", "---------")]


def _callable_default_factory(value):
    return value if callable(value) else (lambda: value)


class Field(Deconstructible, RegisterLookupMixin, GenericBase[_T]):
    """Base class for all model fields; ``Field[T]`` to a type checker, whose instances hold a ``T``."""

    if TYPE_CHECKING:
        # For checkers only: at run time a plain field is a plain instance attribute.
        @overload
        def __get__(self, instance: None, owner: Any) -> Self: ...
        @overload
        def __get__(self, instance: Model, owner: Any) -> _T: ...
        def __get__(self, instance: Model | None, owner: Any) -> Self | _T: ...
        def __set__(self, instance: Model, value: _T) -> None: ...

    empty_strings_allowed = True
    empty_values = list(core_validators.EMPTY_VALUES)
    creation_counter = 0
    auto_creation_counter = -1
    default_validators = []
    default_error_messages = {
        "invalid_choice": "Value %(value)r is not a valid choice.",
        "null": "This field cannot be null.",
        "blank": "This field cannot be blank.",
        "unique": "%(model_name)s with this %(field_label)s already exists.",
        "unique_for_date": "%(field_label)s must be unique for %(date_field_label)s %(lookup_type)s.",
    }
    system_check_deprecated_details = None
    hidden = False
    many_to_many = None
    many_to_one = None
    one_to_many = None
    one_to_one = None
    related_model = None
    is_relation = False
    concrete = True
    generated = False
    descriptor_class = DeferredAttribute
    description = "Field"

    def __init__(self, verbose_name=None, name=None, primary_key=False, max_length=None, unique=False,
                 blank=False, null=False, db_index=False, rel=None, default=NOT_PROVIDED, editable=True,
                 serialize=True, unique_for_date=None, unique_for_month=None, unique_for_year=None,
                 choices=None, help_text="", db_column=None, db_tablespace=None, auto_created=False,
                 validators=(), error_messages=None, db_comment=None, db_default=NOT_PROVIDED):
        self.name = name
        self.verbose_name = verbose_name
        self._verbose_name = verbose_name
        self.primary_key = primary_key
        self.max_length = max_length
        self._unique = unique
        self.blank = blank
        self.null = null
        self.remote_field = rel
        self.is_relation = self.remote_field is not None
        self.default = default
        self.db_default = db_default
        self.editable = editable
        self.serialize = serialize
        self.unique_for_date = unique_for_date
        self.unique_for_month = unique_for_month
        self.unique_for_year = unique_for_year
        if choices is not None and hasattr(choices, "choices") and isinstance(getattr(choices, "choices"), list):
            choices = choices.choices
        if choices is not None and not isinstance(choices, (list, tuple)) and not callable(choices):
            choices = list(choices)
        self.choices = choices
        self.help_text = help_text
        self.db_index = db_index
        self.db_column = db_column
        self.db_tablespace = db_tablespace
        self.db_comment = db_comment
        self.auto_created = auto_created
        if auto_created:
            self.creation_counter = Field.auto_creation_counter
            Field.auto_creation_counter -= 1
        else:
            self.creation_counter = Field.creation_counter
            Field.creation_counter += 1
        self._validators = list(validators)
        messages = {}
        for klass in reversed(type(self).__mro__):
            messages.update(getattr(klass, "default_error_messages", {}))
        messages.update(error_messages or {})
        self.error_messages = messages
        self.model = None
        self.attname = self.column = None
        self.concrete = True

    # -- identity -----------------------------------------------------------------------------
    def __str__(self):
        if not hasattr(self, "model") or self.model is None:
            return super().__str__()
        return "%s.%s" % (self.model._meta.label, self.name)

    def __repr__(self):
        path = "%s.%s" % (self.__class__.__module__.replace(".fields.base", ".fields").replace(
            ".fields.numeric", ".fields").replace(".fields.text", ".fields").replace(
            ".fields.temporal", ".fields").replace(".fields.misc", ".fields"), self.__class__.__qualname__)
        name = getattr(self, "name", None)
        return "<%s: %s>" % (path, name) if name is not None else "<%s>" % path

    def __eq__(self, other):
        if isinstance(other, Field):
            return self.creation_counter == other.creation_counter and \
                getattr(self, "model", None) == getattr(other, "model", None)
        return NotImplemented

    def __lt__(self, other):
        if isinstance(other, Field):
            if self.creation_counter != other.creation_counter or not hasattr(self, "model") and not hasattr(other, "model"):
                return self.creation_counter < other.creation_counter
            return (self.model._meta.app_label, self.model._meta.model_name) < (
                other.model._meta.app_label, other.model._meta.model_name)
        return NotImplemented

    def __hash__(self):
        return hash((self.creation_counter, getattr(self, "model", None) and self.model._meta.label))

    def __deepcopy__(self, memodict):
        obj = copy.copy(self)
        if self.remote_field:
            obj.remote_field = copy.copy(self.remote_field)
            if hasattr(self.remote_field, "field") and self.remote_field.field is self:
                obj.remote_field.field = obj
        memodict[id(self)] = obj
        return obj

    def __copy__(self):
        obj = object.__new__(type(self))
        obj.__dict__ = self.__dict__.copy()
        return obj

    # -- options ------------------------------------------------------------------------------
    @property
    def unique(self):
        """Unique, or the primary key."""
        return self._unique or self.primary_key

    @property
    def db_returning(self):
        """Whether the database fills this column on insert (auto pk, db_default)."""
        return self.has_db_default()

    @property
    def validators(self):
        """Default validators plus the ones passed in."""
        return [*self.default_validators, *self._validators]

    @property
    def flatchoices(self):
        """Choices with option groups flattened."""
        if self.choices is None:
            return []
        flat = []
        for choice, value in self.choices:
            if isinstance(value, (list, tuple)):
                flat.extend(value)
            else:
                flat.append((choice, value))
        return flat

    def get_choices(self, include_blank=True, blank_choice=BLANK_CHOICE_DASH, **kwargs):
        """Choices for a select widget, with a blank first when allowed."""
        choices = list(self.choices or [])
        if include_blank and not any(c in ("", None) for c, _ in self.flatchoices):
            choices = blank_choice + choices
        return choices

    def has_default(self):
        """Whether a Python default is set."""
        return self.default is not NOT_PROVIDED

    def has_db_default(self):
        """Whether a database default is set."""
        return self.db_default is not NOT_PROVIDED

    def get_default(self):
        """The default value for a new instance."""
        return self._get_default()

    @property
    def _get_default(self):
        if self.has_default():
            if callable(self.default):
                return self.default
            return lambda: self.default
        if self.has_db_default():
            from ormlette.db.models.expressions.base import DatabaseDefault

            return lambda: DatabaseDefault(self.db_default, output_field=self)
        if not self.empty_strings_allowed or self.null:
            return _return_none
        return str

    # -- model binding ------------------------------------------------------------------------
    def set_attributes_from_name(self, name):
        """Set name, attname, column and verbose_name from the attribute name."""
        self.name = self.name or name
        self.attname, self.column = self.get_attname_column()
        self.concrete = self.column is not None
        if self.verbose_name is None and self.name:
            self.verbose_name = self.name.replace("_", " ")

    def contribute_to_class(self, cls, name, private_only=False):
        """Attach this field to a model class."""
        self.set_attributes_from_name(name)
        self.model = cls
        cls._meta.add_field(self, private=private_only)
        if self.column and self.needs_descriptor():
            setattr(cls, self.attname, self.descriptor_class(self))
        if self.choices is not None and "get_%s_display" % self.name not in cls.__dict__:
            setattr(cls, "get_%s_display" % self.name, _display_method(self))

    def needs_descriptor(self):
        """Plain fields get no descriptor (deferred loading installs one per instance class)."""
        return False

    def get_attname(self):
        """The instance attribute that holds the value."""
        return self.name

    def get_attname_column(self):
        """(attname, column)."""
        attname = self.get_attname()
        return attname, self.db_column or attname

    def get_internal_type(self):
        """The class name used to pick column types and converters."""
        return self.__class__.__name__

    def clone(self):
        """A fresh copy of this field (for abstract inheritance)."""
        return copy.deepcopy(self)

    @property
    def cached_col(self):
        """A column expression for this field on its own table."""
        from ormlette.db.models.expressions.base import Col

        return Col(self.model._meta.db_table, self)

    def get_col(self, alias, output_field=None):
        """A column expression on the table alias ``alias``."""
        from ormlette.db.models.expressions.base import Col

        return Col(alias, self, output_field)

    def select_format(self, compiler, sql, params):
        """Hook kept for API compatibility."""
        return sql, params

    # -- values -------------------------------------------------------------------------------
    def to_python(self, value):
        """Convert input to the field's Python type or raise ValidationError."""
        return value

    def get_prep_value(self, value):
        """Python-level preparation of a lookup or save value."""
        if isinstance(value, Promise):
            value = str(value)
        return value

    def get_db_prep_value(self, value, connection, prepared=False):
        """Driver-ready value."""
        if not prepared:
            value = self.get_prep_value(value)
        return value

    def get_db_prep_save(self, value, connection):
        """Driver-ready value for INSERT/UPDATE."""
        if hasattr(value, "as_sql") or hasattr(value, "resolve_expression"):
            return value
        return self.get_db_prep_value(value, connection=connection, prepared=False)

    def get_db_converters(self, connection):
        """Functions applied to values read from the database."""
        converters = list(connection.ops.get_db_converters(self))
        if hasattr(self, "from_db_value"):
            converters.append(lambda value, _f=self.from_db_value, _c=connection: _f(value, None, _c))
        return converters

    def pre_save(self, model_instance, add):
        """The value to save (auto_now fields update it here)."""
        return getattr(model_instance, self.attname)

    def value_from_object(self, obj):
        """This field's value on ``obj``."""
        return getattr(obj, self.attname)

    def value_to_string(self, obj):
        """String form of the value (serialization)."""
        return str(self.value_from_object(obj))

    # -- validation ---------------------------------------------------------------------------
    def run_validators(self, value):
        """Run every validator; collect their errors."""
        if value in self.empty_values:
            return
        errors = []
        for validator in self.validators:
            try:
                validator(value)
            except exceptions.ValidationError as e:
                if hasattr(e, "code") and e.code in self.error_messages:
                    e.message = self.error_messages[e.code]
                errors.extend(e.error_list)
        if errors:
            raise exceptions.ValidationError(errors)

    def validate(self, value, model_instance):
        """Check choices, null and blank."""
        if not self.editable:
            return
        if self.choices is not None and value not in self.empty_values:
            for option_key, option_value in self.choices:
                if isinstance(option_value, (list, tuple)):
                    if any(value == k for k, _ in option_value):
                        return
                elif value == option_key:
                    return
            raise exceptions.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                             params={"value": value})
        if value is None and not self.null:
            raise exceptions.ValidationError(self.error_messages["null"], code="null")
        if not self.blank and value in self.empty_values:
            raise exceptions.ValidationError(self.error_messages["blank"], code="blank")

    def clean(self, value, model_instance):
        """to_python + validate + run_validators."""
        value = self.to_python(value)
        self.validate(value, model_instance)
        self.run_validators(value)
        return value

    # -- schema -------------------------------------------------------------------------------
    data_type_key = None  # this class's entry in the backends' data_types tables (inherited by subclasses)

    def sa_type(self, connection):
        """The SQLAlchemy type used to render this column's DDL: the backend's ``data_types`` entry."""
        if self.data_type_key is None:
            raise NotImplementedError("%s has no column type" % type(self).__name__)
        return connection.data_types[self.data_type_key](self)

    def db_check_sql(self, connection):
        """An extra CHECK expression text for the column (positive integers), or None."""
        return None

    def db_type(self, connection):
        """The column type as SQL text."""
        return self.sa_type(connection).compile(dialect=connection.sa_dialect)

    def rel_db_type(self, connection):
        """The column type of a foreign key pointing at this field."""
        return self.db_type(connection)

    def rel_sa_type(self, connection):
        """SQLAlchemy type of a foreign key column pointing at this field."""
        return self.sa_type(connection)

    def deconstruct(self):
        """(name, path, args, kwargs) that rebuild this field, as Django's (only non-default keywords)."""
        import ormlette.db.models as models_package

        _, kwargs = self.constructor_kwargs()
        if "choices" in kwargs and self.choices is not None and not callable(self.choices):
            kwargs["choices"] = [tuple(c) if isinstance(c, list) else c for c in self.choices]
        if not self.serialize:
            kwargs["serialize"] = False
        if "validators" in kwargs:
            kwargs["validators"] = list(kwargs["validators"])
        path = public_path(type(self), "ormlette.db.models", vars(models_package))
        return self.name, path, [], self.deconstruct_kwargs(kwargs)

    def deconstruct_kwargs(self, kwargs):
        """Subclass hook: normalise the deconstructed keywords (relations write their target as a label)."""
        return kwargs

    def clone(self):
        """A new, unbound field with the same arguments."""
        name, path, args, kwargs = self.deconstruct()
        return type(self)(*args, **kwargs)


def _return_none():
    return None


def _display_method(field):
    def get_display(self):
        value = getattr(self, field.attname)
        choices = dict(_make_hashable_choices(field.flatchoices))
        try:
            return str(choices.get(value, value))
        except TypeError:
            return str(value)

    get_display.__name__ = "get_%s_display" % field.name
    return get_display


def _make_hashable_choices(choices):
    from ormlette.utils.hashable import make_hashable

    return [(make_hashable(k), v) for k, v in choices]


__all__ = ["Field", "NOT_PROVIDED", "BLANK_CHOICE_DASH", "operator"]
