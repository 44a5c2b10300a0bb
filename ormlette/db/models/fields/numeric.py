"""Integer, auto, float, decimal and boolean fields."""
import decimal

import sqlalchemy as sa
from sqlalchemy.dialects import mysql as sa_mysql

from ormlette.core import exceptions, validators
from ormlette.db.models.fields.base import Field


class IntegerField(Field):
    """A 32-bit integer."""

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

    def sa_type(self, connection):
        """INTEGER."""
        return sa.Integer()


class BigIntegerField(IntegerField):
    """A 64-bit integer."""

    description = "Big (8 byte) integer"
    integer_range = (-9223372036854775808, 9223372036854775807)

    def sa_type(self, connection):
        """BIGINT."""
        return sa.BigInteger()


class SmallIntegerField(IntegerField):
    """A 16-bit integer."""

    description = "Small integer"
    integer_range = (-32768, 32767)

    def sa_type(self, connection):
        """SMALLINT."""
        return sa.SmallInteger()


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


class PositiveIntegerField(PositiveIntegerRelDbTypeMixin, IntegerField):
    """A non-negative 32-bit integer."""

    description = "Positive integer"


class PositiveBigIntegerField(PositiveIntegerRelDbTypeMixin, BigIntegerField):
    """A non-negative 64-bit integer."""

    description = "Positive big integer"


class PositiveSmallIntegerField(PositiveIntegerRelDbTypeMixin, SmallIntegerField):
    """A non-negative 16-bit integer."""

    description = "Positive small integer"


class AutoFieldMixin:
    """Database-generated integer primary key."""

    db_returning = True

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


class AutoField(AutoFieldMixin, IntegerField):
    """An auto-incrementing 32-bit primary key."""

    def get_internal_type(self):
        """AutoField."""
        return "AutoField"

    def sa_type(self, connection):
        """INTEGER (SQLite's rowid alias needs exactly INTEGER)."""
        return sa.Integer()


class BigAutoField(AutoFieldMixin, BigIntegerField):
    """An auto-incrementing 64-bit primary key (the default)."""

    def get_internal_type(self):
        """BigAutoField."""
        return "BigAutoField"

    def sa_type(self, connection):
        """BIGINT, but INTEGER on SQLite where only INTEGER PRIMARY KEY auto-increments."""
        return sa.BigInteger().with_variant(sa.Integer(), "sqlite")

    def rel_sa_type(self, connection):
        """BIGINT: a foreign key column is a plain integer column (Django's rel_db_type)."""
        return sa.BigInteger()


class SmallAutoField(AutoFieldMixin, SmallIntegerField):
    """An auto-incrementing 16-bit primary key."""

    def get_internal_type(self):
        """SmallAutoField."""
        return "SmallAutoField"

    def sa_type(self, connection):
        """SMALLINT (INTEGER on SQLite)."""
        return sa.SmallInteger().with_variant(sa.Integer(), "sqlite")

    def rel_sa_type(self, connection):
        """SMALLINT (a foreign key column is a plain integer column)."""
        return sa.SmallInteger()


class FloatField(Field):
    """A double-precision float."""

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

    def sa_type(self, connection):
        """DOUBLE PRECISION."""
        return sa.Double().with_variant(sa.Float(), "sqlite")


class DecimalField(Field):
    """A fixed-precision decimal."""

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

    def sa_type(self, connection):
        """NUMERIC(max_digits, decimal_places); plain DECIMAL on SQLite, as Django."""
        return sa.Numeric(self.max_digits, self.decimal_places, asdecimal=True).with_variant(
            sa.DECIMAL(asdecimal=True), "sqlite")


class BooleanField(Field):
    """True / False (NULL with null=True)."""

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

    def sa_type(self, connection):
        """BOOLEAN (tinyint(1) on MariaDB)."""
        return sa.Boolean(create_constraint=False)


__all__ = ["sa_mysql"]
