"""Character and text fields."""
import sqlalchemy as sa
from sqlalchemy.dialects import mysql as sa_mysql

from ormlette.core import validators
from ormlette.db.models.fields.base import Field


class StringFieldMixin:
    """Shared by CharField and TextField: collation, length validation, values as str."""

    def __init__(self, *args, db_collation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.db_collation = db_collation
        if self.max_length is not None:
            self._validators.append(validators.MaxLengthValidator(self.max_length))

    def to_python(self, value):
        """str(value) unless None."""
        if isinstance(value, str) or value is None:
            return value
        return str(value)

    def get_prep_value(self, value):
        """to_python."""
        return self.to_python(super().get_prep_value(value))


class CharField(StringFieldMixin, Field):
    """A string with a maximum length."""

    description = "String (up to %(max_length)s)"

    def sa_type(self, connection):
        """VARCHAR(max_length) (TEXT-like VARCHAR without a length on PostgreSQL)."""
        return sa.String(self.max_length, collation=self.db_collation)


class TextField(StringFieldMixin, Field):
    """Unbounded text."""

    description = "Text"

    def sa_type(self, connection):
        """TEXT (LONGTEXT on MariaDB)."""
        return sa.Text(collation=self.db_collation).with_variant(sa_mysql.LONGTEXT(collation=self.db_collation), "mysql")


class EmailField(CharField):
    """A CharField checked with EmailValidator."""

    default_validators = [validators.validate_email]
    description = "Email address"

    def deconstruct_kwargs(self, kwargs):
        """max_length always written, as Django (its default may change)."""
        kwargs["max_length"] = self.max_length
        return kwargs

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 254)
        super().__init__(*args, **kwargs)


class SlugField(CharField):
    """A CharField for slugs (indexed by default)."""

    description = "Slug (up to %(max_length)s)"

    def __init__(self, *args, max_length=50, db_index=True, allow_unicode=False, **kwargs):
        self.allow_unicode = allow_unicode
        if self.allow_unicode:
            self.default_validators = [validators.validate_unicode_slug]
        else:
            self.default_validators = [validators.validate_slug]
        super().__init__(*args, max_length=max_length, db_index=db_index, **kwargs)


class URLField(CharField):
    """A CharField checked with URLValidator."""

    default_validators = [validators.URLValidator()]
    description = "URL"

    def __init__(self, verbose_name=None, name=None, **kwargs):
        kwargs.setdefault("max_length", 200)
        super().__init__(verbose_name, name, **kwargs)


class CommaSeparatedIntegerField(CharField):
    """Legacy field kept for imports."""

    default_validators = [validators.validate_comma_separated_integer_list]
