"""Character and text fields."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, overload

from typing_extensions import TypeVar

from ormlette.core import validators
from ormlette.db.models.fields.base import Field

_ST = TypeVar("_ST", default=str)


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


class CharField(StringFieldMixin, Field[_ST]):
    """A string with a maximum length."""

    if TYPE_CHECKING:
        @overload
        def __init__(self: CharField[str], *args: Any, null: Literal[False] = ..., **kwargs: Any) -> None: ...
        @overload
        def __init__(self: CharField[str | None], *args: Any, null: Literal[True], **kwargs: Any) -> None: ...
        def __init__(self, *args: Any, **kwargs: Any) -> None: ...

    data_type_key = "CharField"

    description = "String (up to %(max_length)s)"


class TextField(StringFieldMixin, Field[_ST]):
    """Unbounded text."""

    if TYPE_CHECKING:
        @overload
        def __init__(self: TextField[str], *args: Any, null: Literal[False] = ..., **kwargs: Any) -> None: ...
        @overload
        def __init__(self: TextField[str | None], *args: Any, null: Literal[True], **kwargs: Any) -> None: ...
        def __init__(self, *args: Any, **kwargs: Any) -> None: ...

    data_type_key = "TextField"

    description = "Text"


class EmailField(CharField[_ST]):
    """A CharField checked with EmailValidator."""

    if TYPE_CHECKING:
        @overload
        def __init__(self: EmailField[str], *args: Any, null: Literal[False] = ..., **kwargs: Any) -> None: ...
        @overload
        def __init__(self: EmailField[str | None], *args: Any, null: Literal[True], **kwargs: Any) -> None: ...

    default_validators = [validators.validate_email]
    description = "Email address"

    def deconstruct_kwargs(self, kwargs):
        """max_length always written, as Django (its default may change)."""
        kwargs["max_length"] = self.max_length
        return kwargs

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 254)
        super().__init__(*args, **kwargs)


class SlugField(CharField[_ST]):
    """A CharField for slugs (indexed by default)."""

    if TYPE_CHECKING:
        @overload
        def __init__(self: SlugField[str], *args: Any, null: Literal[False] = ..., **kwargs: Any) -> None: ...
        @overload
        def __init__(self: SlugField[str | None], *args: Any, null: Literal[True], **kwargs: Any) -> None: ...

    description = "Slug (up to %(max_length)s)"

    def __init__(self, *args, max_length=50, db_index=True, allow_unicode=False, **kwargs):
        self.allow_unicode = allow_unicode
        if self.allow_unicode:
            self.default_validators = [validators.validate_unicode_slug]
        else:
            self.default_validators = [validators.validate_slug]
        super().__init__(*args, max_length=max_length, db_index=db_index, **kwargs)


class URLField(CharField[_ST]):
    """A CharField checked with URLValidator."""

    if TYPE_CHECKING:
        @overload
        def __init__(self: URLField[str], *args: Any, null: Literal[False] = ..., **kwargs: Any) -> None: ...
        @overload
        def __init__(self: URLField[str | None], *args: Any, null: Literal[True], **kwargs: Any) -> None: ...

    default_validators = [validators.URLValidator()]
    description = "URL"

    def __init__(self, verbose_name=None, name=None, **kwargs):
        kwargs.setdefault("max_length", 200)
        super().__init__(verbose_name, name, **kwargs)


class CommaSeparatedIntegerField(CharField[_ST]):
    """Legacy field kept for imports."""

    if TYPE_CHECKING:
        @overload
        def __init__(self: CommaSeparatedIntegerField[str], *args: Any, null: Literal[False] = ..., **kwargs: Any) -> None: ...
        @overload
        def __init__(self: CommaSeparatedIntegerField[str | None], *args: Any, null: Literal[True], **kwargs: Any) -> None: ...
        def __init__(self, *args: Any, **kwargs: Any) -> None: ...

    default_validators = [validators.validate_comma_separated_integer_list]
