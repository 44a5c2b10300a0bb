"""Date, datetime, time and duration fields."""
from __future__ import annotations

import datetime
import warnings
from typing import TYPE_CHECKING, Any, Literal, overload

from typing_extensions import TypeVar

from ormlette.conf import settings
from ormlette.core import exceptions
from ormlette.db.models.fields.base import Field
from ormlette.utils import timezone
from ormlette.utils.dateparse import parse_date, parse_datetime, parse_duration, parse_time
from ormlette.utils.duration import duration_string

_DateT = TypeVar("_DateT", default=datetime.date)
_DateTimeT = TypeVar("_DateTimeT", default=datetime.datetime)
_TimeT = TypeVar("_TimeT", default=datetime.time)
_DurT = TypeVar("_DurT", default=datetime.timedelta)


class DateTimeCheckMixin:
    """auto_now / auto_now_add handling."""

    def __init__(self, verbose_name=None, name=None, auto_now=False, auto_now_add=False, **kwargs):
        self.auto_now, self.auto_now_add = auto_now, auto_now_add
        if auto_now or auto_now_add:
            kwargs["editable"] = False
            kwargs["blank"] = True
        super().__init__(verbose_name, name, **kwargs)


class DateField(DateTimeCheckMixin, Field[_DateT]):
    """A date."""

    if TYPE_CHECKING:
        @overload
        def __init__(self: DateField[datetime.date], *args: Any, null: Literal[False] = ..., **kwargs: Any) -> None: ...
        @overload
        def __init__(self: DateField[datetime.date | None], *args: Any, null: Literal[True], **kwargs: Any) -> None: ...
        def __init__(self, *args: Any, **kwargs: Any) -> None: ...

    data_type_key = "DateField"

    empty_strings_allowed = False
    default_error_messages = {
        "invalid": "“%(value)s” value has an invalid date format. It must be in YYYY-MM-DD format.",
        "invalid_date": "“%(value)s” value has the correct format (YYYY-MM-DD) but it is an invalid date.",
    }
    description = "Date (without time)"

    def to_python(self, value):
        """date from date, datetime (in the current zone) or ISO text."""
        if value is None:
            return value
        if isinstance(value, datetime.datetime):
            if timezone.is_aware(value):
                if settings.USE_TZ:
                    value = timezone.make_naive(value, timezone.get_default_timezone())
            return value.date()
        if isinstance(value, datetime.date):
            return value
        try:
            parsed = parse_date(value)
            if parsed is not None:
                return parsed
        except ValueError:
            raise exceptions.ValidationError(self.error_messages["invalid_date"], code="invalid_date",
                                             params={"value": value}) from None
        raise exceptions.ValidationError(self.error_messages["invalid"], code="invalid", params={"value": value})

    def pre_save(self, model_instance, add):
        """Set today's date for auto_now / auto_now_add."""
        if self.auto_now or (self.auto_now_add and add):
            value = datetime.date.today()
            setattr(model_instance, self.attname, value)
            return value
        return super().pre_save(model_instance, add)

    def get_prep_value(self, value):
        """to_python."""
        return self.to_python(super().get_prep_value(value))

    def get_db_prep_value(self, value, connection, prepared=False):
        """Backend adaptation."""
        if not prepared:
            value = self.get_prep_value(value)
        return connection.ops.adapt_datefield_value(value)

    def contribute_to_class(self, cls, name, **kwargs):
        """Add get_next_by_FOO / get_previous_by_FOO."""
        super().contribute_to_class(cls, name, **kwargs)
        if not self.null:
            setattr(cls, "get_next_by_%s" % self.name,
                    lambda obj, field=self, **kw: obj._get_next_or_previous_by_FIELD(field, True, **kw))
            setattr(cls, "get_previous_by_%s" % self.name,
                    lambda obj, field=self, **kw: obj._get_next_or_previous_by_FIELD(field, False, **kw))


class DateTimeField(DateField[_DateTimeT]):
    """A date and time (aware, stored in UTC, when USE_TZ)."""

    if TYPE_CHECKING:
        @overload
        def __init__(self: DateTimeField[datetime.datetime], *args: Any, null: Literal[False] = ..., **kwargs: Any) -> None: ...
        @overload
        def __init__(self: DateTimeField[datetime.datetime | None], *args: Any, null: Literal[True], **kwargs: Any) -> None: ...
        def __init__(self, *args: Any, **kwargs: Any) -> None: ...

    data_type_key = "DateTimeField"

    default_error_messages = {
        "invalid": "“%(value)s” value has an invalid format. It must be in YYYY-MM-DD HH:MM[:ss[.uuuuuu]][TZ] format.",
        "invalid_date": "“%(value)s” value has the correct format (YYYY-MM-DD) but it is an invalid date.",
        "invalid_datetime": "“%(value)s” value has the correct format (YYYY-MM-DD HH:MM[:ss[.uuuuuu]][TZ]) but it is an invalid date/time.",
    }
    description = "Date (with time)"

    def to_python(self, value):
        """datetime from datetime, date or ISO text; naive values made aware with a warning."""
        if value is None:
            return value
        if isinstance(value, datetime.datetime):
            return value
        if isinstance(value, datetime.date):
            value = datetime.datetime(value.year, value.month, value.day)
            if settings.USE_TZ:
                value = timezone.make_aware(value, timezone.get_default_timezone())
            return value
        try:
            parsed = parse_datetime(value)
            if parsed is not None:
                return parsed
        except ValueError:
            raise exceptions.ValidationError(self.error_messages["invalid_datetime"], code="invalid_datetime",
                                             params={"value": value}) from None
        try:
            parsed = parse_date(value)
            if parsed is not None:
                return datetime.datetime(parsed.year, parsed.month, parsed.day)
        except ValueError:
            raise exceptions.ValidationError(self.error_messages["invalid_date"], code="invalid_date",
                                             params={"value": value}) from None
        raise exceptions.ValidationError(self.error_messages["invalid"], code="invalid", params={"value": value})

    def pre_save(self, model_instance, add):
        """Set now() for auto_now / auto_now_add."""
        if self.auto_now or (self.auto_now_add and add):
            value = timezone.now()
            setattr(model_instance, self.attname, value)
            return value
        return Field.pre_save(self, model_instance, add)

    def get_prep_value(self, value):
        """Make naive datetimes aware (with Django's RuntimeWarning) when USE_TZ."""
        value = self.to_python(Field.get_prep_value(self, value))
        if value is not None and settings.USE_TZ and timezone.is_naive(value):
            name = "%s.%s" % (self.model.__name__, self.name) if self.model else self.name
            warnings.warn("DateTimeField %s received a naive datetime (%s) while time zone support is active."
                          % (name, value), RuntimeWarning)
            value = timezone.make_aware(value, timezone.get_default_timezone())
        return value

    def get_db_prep_value(self, value, connection, prepared=False):
        """Backend adaptation."""
        if not prepared:
            value = self.get_prep_value(value)
        return connection.ops.adapt_datetimefield_value(value)


class TimeField(DateTimeCheckMixin, Field[_TimeT]):
    """A time of day."""

    if TYPE_CHECKING:
        @overload
        def __init__(self: TimeField[datetime.time], *args: Any, null: Literal[False] = ..., **kwargs: Any) -> None: ...
        @overload
        def __init__(self: TimeField[datetime.time | None], *args: Any, null: Literal[True], **kwargs: Any) -> None: ...
        def __init__(self, *args: Any, **kwargs: Any) -> None: ...

    data_type_key = "TimeField"

    empty_strings_allowed = False
    default_error_messages = {
        "invalid": "“%(value)s” value has an invalid format. It must be in HH:MM[:ss[.uuuuuu]] format.",
        "invalid_time": "“%(value)s” value has the correct format (HH:MM[:ss[.uuuuuu]]) but it is an invalid time.",
    }
    description = "Time"

    def to_python(self, value):
        """time from time, datetime or text."""
        if value is None:
            return None
        if isinstance(value, datetime.time):
            return value
        if isinstance(value, datetime.datetime):
            return value.time()
        try:
            parsed = parse_time(value)
            if parsed is not None:
                return parsed
        except ValueError:
            raise exceptions.ValidationError(self.error_messages["invalid_time"], code="invalid_time",
                                             params={"value": value}) from None
        raise exceptions.ValidationError(self.error_messages["invalid"], code="invalid", params={"value": value})

    def pre_save(self, model_instance, add):
        """Set the current time for auto_now / auto_now_add."""
        if self.auto_now or (self.auto_now_add and add):
            value = datetime.datetime.now().time()
            setattr(model_instance, self.attname, value)
            return value
        return super().pre_save(model_instance, add)

    def get_prep_value(self, value):
        """to_python."""
        return self.to_python(super().get_prep_value(value))

    def get_db_prep_value(self, value, connection, prepared=False):
        """Backend adaptation."""
        if not prepared:
            value = self.get_prep_value(value)
        return connection.ops.adapt_timefield_value(value)


class DurationField(Field[_DurT]):
    """A timedelta (interval on PostgreSQL, microseconds elsewhere)."""

    if TYPE_CHECKING:
        @overload
        def __init__(self: DurationField[datetime.timedelta], *args: Any, null: Literal[False] = ..., **kwargs: Any) -> None: ...
        @overload
        def __init__(self: DurationField[datetime.timedelta | None], *args: Any, null: Literal[True], **kwargs: Any) -> None: ...
        def __init__(self, *args: Any, **kwargs: Any) -> None: ...

    data_type_key = "DurationField"

    empty_strings_allowed = False
    default_error_messages = {
        "invalid": "“%(value)s” value has an invalid format. It must be in [DD] [[HH:]MM:]ss[.uuuuuu] format."
    }
    description = "Duration"

    def to_python(self, value):
        """timedelta from timedelta or text."""
        if value is None:
            return value
        if isinstance(value, datetime.timedelta):
            return value
        try:
            parsed = parse_duration(value)
        except ValueError:
            parsed = None
        if parsed is not None:
            return parsed
        raise exceptions.ValidationError(self.error_messages["invalid"], code="invalid", params={"value": value})

    def get_db_prep_value(self, value, connection, prepared=False):
        """Native or microseconds."""
        if not prepared:
            value = self.get_prep_value(value)
        if value is None or hasattr(value, "resolve_expression"):
            return value
        return connection.ops.adapt_duration_value(value)

    def get_db_converters(self, connection):
        """Microseconds back to timedelta where not native."""
        converters = list(super().get_db_converters(connection))
        if not connection.features.has_native_duration_field:
            converters.append(_duration_from_microseconds)
        return converters

    def value_to_string(self, obj):
        """duration_string."""
        value = self.value_from_object(obj)
        return "" if value is None else duration_string(value)


def _duration_from_microseconds(value):
    if value is None or isinstance(value, datetime.timedelta):
        return value
    return datetime.timedelta(0, 0, int(value))
