"""Integer, auto, float, decimal and boolean fields."""
from __future__ import annotations

import decimal
from typing import TYPE_CHECKING, Any, Literal, overload

from typing_extensions import TypeVar

from ormlette.core import exceptions, validators
from ormlette.db.models.fields.base import Field

_IT = TypeVar("_IT", default=int)
_FT = TypeVar("_FT", default=float)
_DT = TypeVar("_DT", default=decimal.Decimal)
_BT = TypeVar("_BT", default=bool)


class IntegerField(Field[_IT]):
    """A 32-bit integer."""

    if TYPE_CHECKING:
        @overload
        def __init__(self: IntegerField[int], *args: Any, null: Literal[False] = ..., **kwargs: Any) -> None: ...
        @overload
        def __init__(self: IntegerField[int | None], *args: Any, null: Literal[True], **kwargs: Any) -> None: ...
        def __init__(self, *args: Any, **kwargs: Any) -> None: ...

    data_type_key = "IntegerField"

    empty_strings_allowed = False
    default_error_messages = {"invalid": "“%(value)s” value must be an integer."}
    description = "Integer"
    integer_range = (-2147483648, 2147483647)

    @property
    def validators(self):
        """Range validators for the column's integer size."""
        low, high = self.integer_range
        extra = []
        if not any(isinstance(v, validators.MinValueValidator) and v.limit_value >= low for v in self._validators):
            extra.append(validators.MinValueValidator(low))
        if not any(isinstance(v, validators.MaxValueValidator) and v.limit_value <= high for v in self._validators):
            extra.append(validators.MaxValueValidator(high))
        return [*self.default_validators, *self._validators, *extra]

    def get_prep_value(self, value):
        """int(value), with Django's error naming the field."""
        value = super().get_prep_value(value)
        if value is None:
            return None
        try:
            return int(value)
        except (TypeError, ValueError) as e:
            raise e.__class__("Field '%s' expected a number but got %r." % (self.name, value)) from e

    def to_python(self, value):
        """int or ValidationError."""
        if value is None:
            return value
        try:
            return int(value)
        except (TypeError, ValueError):
            raise exceptions.ValidationError(self.error_messages["invalid"], code="invalid",
                                             params={"value": value}) from None


class BigIntegerField(IntegerField[_IT]):
    """A 64-bit integer."""

    if TYPE_CHECKING:
        @overload
        def __init__(self: BigIntegerField[int], *args: Any, null: Literal[False] = ..., **kwargs: Any) -> None: ...
        @overload
        def __init__(self: BigIntegerField[int | None], *args: Any, null: Literal[True], **kwargs: Any) -> None: ...
        def __init__(self, *args: Any, **kwargs: Any) -> None: ...

    data_type_key = "BigIntegerField"

    description = "Big (8 byte) integer"
    integer_range = (-9223372036854775808, 9223372036854775807)


class SmallIntegerField(IntegerField[_IT]):
    """A 16-bit integer."""

    if TYPE_CHECKING:
        @overload
        def __init__(self: SmallIntegerField[int], *args: Any, null: Literal[False] = ..., **kwargs: Any) -> None: ...
        @overload
        def __init__(self: SmallIntegerField[int | None], *args: Any, null: Literal[True], **kwargs: Any) -> None: ...
        def __init__(self, *args: Any, **kwargs: Any) -> None: ...

    data_type_key = "SmallIntegerField"

    description = "Small integer"
    integer_range = (-32768, 32767)


class PositiveIntegerRelDbTypeMixin:
    """Positive integers get a CHECK (>= 0) or UNSIGNED."""

    def db_check_sql(self, connection):
        """``"col" >= 0``."""
        return "%s >= 0" % connection.ops.quote_name(self.column)

    @property
    def validators(self):
        """Also at least 0."""
        base = super().validators
        return [v for v in base if not (isinstance(v, validators.MinValueValidator) and v.limit_value < 0)] + \
            [validators.MinValueValidator(0)]


class PositiveIntegerField(PositiveIntegerRelDbTypeMixin, IntegerField[_IT]):
    """A non-negative 32-bit integer."""

    if TYPE_CHECKING:
        @overload
        def __init__(self: PositiveIntegerField[int], *args: Any, null: Literal[False] = ..., **kwargs: Any) -> None: ...
        @overload
        def __init__(self: PositiveIntegerField[int | None], *args: Any, null: Literal[True], **kwargs: Any) -> None: ...
        def __init__(self, *args: Any, **kwargs: Any) -> None: ...

    description = "Positive integer"


class PositiveBigIntegerField(PositiveIntegerRelDbTypeMixin, BigIntegerField[_IT]):
    """A non-negative 64-bit integer."""

    if TYPE_CHECKING:
        @overload
        def __init__(self: PositiveBigIntegerField[int], *args: Any, null: Literal[False] = ..., **kwargs: Any) -> None: ...
        @overload
        def __init__(self: PositiveBigIntegerField[int | None], *args: Any, null: Literal[True], **kwargs: Any) -> None: ...
        def __init__(self, *args: Any, **kwargs: Any) -> None: ...

    description = "Positive big integer"


class PositiveSmallIntegerField(PositiveIntegerRelDbTypeMixin, SmallIntegerField[_IT]):
    """A non-negative 16-bit integer."""

    if TYPE_CHECKING:
        @overload
        def __init__(self: PositiveSmallIntegerField[int], *args: Any, null: Literal[False] = ..., **kwargs: Any) -> None: ...
        @overload
        def __init__(self: PositiveSmallIntegerField[int | None], *args: Any, null: Literal[True], **kwargs: Any) -> None: ...
        def __init__(self, *args: Any, **kwargs: Any) -> None: ...

    description = "Positive small integer"


class AutoFieldMixin:
    """Database-generated integer primary key."""

    db_returning = True

    def rel_sa_type(self, connection):
        """A foreign key to an auto key is a plain integer column of its size (Django's rel_db_type)."""
        plain = {"AutoField": "IntegerField", "BigAutoField": "BigIntegerField", "SmallAutoField": "SmallIntegerField"}
        return connection.data_types[plain[self.data_type_key]](self)

    def __init__(self, *args, **kwargs):
        kwargs["blank"] = True
        super().__init__(*args, **kwargs)

    def validate(self, value, model_instance):
        """Auto fields are never validated."""

    def get_db_prep_value(self, value, connection, prepared=False):
        """int or None."""
        if not prepared:
            value = self.get_prep_value(value)
        return value

    def contribute_to_class(self, cls, name, **kwargs):
        """Register as the model's auto field."""
        if cls._meta.auto_field:
            raise ValueError("Model %s can't have more than one auto-generated field." % cls._meta.label)
        super().contribute_to_class(cls, name, **kwargs)
        cls._meta.auto_field = self


class AutoField(AutoFieldMixin, IntegerField[_IT]):
    """An auto-incrementing 32-bit primary key."""

    if TYPE_CHECKING:
        @overload
        def __init__(self: AutoField[int], *args: Any, null: Literal[False] = ..., **kwargs: Any) -> None: ...
        @overload
        def __init__(self: AutoField[int | None], *args: Any, null: Literal[True], **kwargs: Any) -> None: ...
        def __init__(self, *args: Any, **kwargs: Any) -> None: ...

    data_type_key = "AutoField"

    def get_internal_type(self):
        """AutoField."""
        return "AutoField"


class BigAutoField(AutoFieldMixin, BigIntegerField[_IT]):
    """An auto-incrementing 64-bit primary key (the default)."""

    if TYPE_CHECKING:
        @overload
        def __init__(self: BigAutoField[int], *args: Any, null: Literal[False] = ..., **kwargs: Any) -> None: ...
        @overload
        def __init__(self: BigAutoField[int | None], *args: Any, null: Literal[True], **kwargs: Any) -> None: ...
        def __init__(self, *args: Any, **kwargs: Any) -> None: ...

    data_type_key = "BigAutoField"

    def get_internal_type(self):
        """BigAutoField."""
        return "BigAutoField"


class SmallAutoField(AutoFieldMixin, SmallIntegerField[_IT]):
    """An auto-incrementing 16-bit primary key."""

    if TYPE_CHECKING:
        @overload
        def __init__(self: SmallAutoField[int], *args: Any, null: Literal[False] = ..., **kwargs: Any) -> None: ...
        @overload
        def __init__(self: SmallAutoField[int | None], *args: Any, null: Literal[True], **kwargs: Any) -> None: ...
        def __init__(self, *args: Any, **kwargs: Any) -> None: ...

    data_type_key = "SmallAutoField"

    def get_internal_type(self):
        """SmallAutoField."""
        return "SmallAutoField"


class FloatField(Field[_FT]):
    """A double-precision float."""

    if TYPE_CHECKING:
        @overload
        def __init__(self: FloatField[float], *args: Any, null: Literal[False] = ..., **kwargs: Any) -> None: ...
        @overload
        def __init__(self: FloatField[float | None], *args: Any, null: Literal[True], **kwargs: Any) -> None: ...
        def __init__(self, *args: Any, **kwargs: Any) -> None: ...

    data_type_key = "FloatField"

    empty_strings_allowed = False
    default_error_messages = {"invalid": "“%(value)s” value must be a float."}
    description = "Floating point number"

    def get_prep_value(self, value):
        """float(value)."""
        value = super().get_prep_value(value)
        if value is None:
            return None
        try:
            return float(value)
        except (TypeError, ValueError) as e:
            raise e.__class__("Field '%s' expected a number but got %r." % (self.name, value)) from e

    def to_python(self, value):
        """float or ValidationError."""
        if value is None:
            return value
        try:
            return float(value)
        except (TypeError, ValueError):
            raise exceptions.ValidationError(self.error_messages["invalid"], code="invalid",
                                             params={"value": value}) from None


class DecimalField(Field[_DT]):
    """A fixed-precision decimal."""

    if TYPE_CHECKING:
        @overload
        def __init__(self: DecimalField[decimal.Decimal], *args: Any, null: Literal[False] = ..., **kwargs: Any) -> None: ...
        @overload
        def __init__(self: DecimalField[decimal.Decimal | None], *args: Any, null: Literal[True], **kwargs: Any) -> None: ...

    data_type_key = "DecimalField"

    empty_strings_allowed = False
    default_error_messages = {"invalid": "“%(value)s” value must be a decimal number."}
    description = "Decimal number"

    def __init__(self, verbose_name=None, name=None, max_digits=None, decimal_places=None, **kwargs):
        self.max_digits, self.decimal_places = max_digits, decimal_places
        super().__init__(verbose_name, name, **kwargs)

    @property
    def context(self):
        """The decimal context used for quantizing."""
        return decimal.Context(prec=self.max_digits)

    @property
    def validators(self):
        """Digit-count validation."""
        return [*super().validators, validators.DecimalValidator(self.max_digits, self.decimal_places)]

    def to_python(self, value):
        """Decimal or ValidationError."""
        if value is None:
            return value
        try:
            if isinstance(value, float):
                decimal_value = self.context.create_decimal_from_float(value)
            else:
                decimal_value = decimal.Decimal(value)
        except (decimal.InvalidOperation, TypeError, ValueError):
            raise exceptions.ValidationError(self.error_messages["invalid"], code="invalid",
                                             params={"value": value}) from None
        if not decimal_value.is_finite():
            raise exceptions.ValidationError(self.error_messages["invalid"], code="invalid",
                                             params={"value": value})
        return decimal_value

    def get_prep_value(self, value):
        """to_python."""
        return self.to_python(super().get_prep_value(value))

    def get_db_prep_value(self, value, connection, prepared=False):
        """Backend adaptation (text on SQLite)."""
        if not prepared:
            value = self.get_prep_value(value)
        if hasattr(value, "resolve_expression"):
            return value
        return connection.ops.adapt_decimalfield_value(value, self.max_digits, self.decimal_places)


class BooleanField(Field[_BT]):
    """True / False (NULL with null=True)."""

    if TYPE_CHECKING:
        @overload
        def __init__(self: BooleanField[bool], *args: Any, null: Literal[False] = ..., **kwargs: Any) -> None: ...
        @overload
        def __init__(self: BooleanField[bool | None], *args: Any, null: Literal[True], **kwargs: Any) -> None: ...

    data_type_key = "BooleanField"

    empty_strings_allowed = False
    default_error_messages = {
        "invalid": "“%(value)s” value must be either True or False.",
        "invalid_nullable": "“%(value)s” value must be either True, False, or None.",
    }
    description = "Boolean (Either True or False)"

    def __init__(self, *args, **kwargs):
        if "default" in kwargs and "blank" not in kwargs:
            kwargs["blank"] = True
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        """bool from bools, 0/1 and their strings."""
        if self.null and value in self.empty_values:
            return None
        if value in (True, False):
            return bool(value)
        if value in ("t", "True", "1"):
            return True
        if value in ("f", "False", "0"):
            return False
        raise exceptions.ValidationError(
            self.error_messages["invalid_nullable" if self.null else "invalid"], code="invalid",
            params={"value": value})

    def get_prep_value(self, value):
        """to_python unless None."""
        value = super().get_prep_value(value)
        if value is None:
            return None
        return self.to_python(value)

