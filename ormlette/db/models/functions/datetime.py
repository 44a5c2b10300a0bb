"""Date/time functions: Extract*, Trunc*, Now, and the date transforms of DateField/DateTimeField."""
import datetime


from ormlette.conf import settings
from ormlette.db.models.expressions.base import Func
from ormlette.db.models.fields import DateField, DateTimeField, DurationField, IntegerField, TimeField
from ormlette.db.models.lookups.base import (
    Transform, YearExact, YearGt, YearGte, YearLt, YearLte,
)
from ormlette.utils import timezone

EXTRACT_KINDS = frozenset({"year", "iso_year", "quarter", "month", "week", "day", "week_day", "iso_week_day",
                           "hour", "minute", "second"})
TRUNC_KINDS = frozenset({"year", "quarter", "month", "week", "day", "hour", "minute", "second"})


class TimezoneMixin:
    """Pick the time zone name used to interpret UTC datetimes."""

    tzinfo = None

    def get_tzname(self):
        """The zone name, or None when USE_TZ is off."""
        if not settings.USE_TZ:
            return None
        if self.tzinfo is None:
            return timezone.get_current_timezone_name()
        return _tz_name(self.tzinfo)


def _tz_name(tzinfo):
    name = getattr(tzinfo, "key", None) or getattr(tzinfo, "zone", None)
    if name:
        return name
    if tzinfo is datetime.timezone.utc:
        return "UTC"
    offset = tzinfo.utcoffset(None)
    if offset is not None:
        total = int(offset.total_seconds())
        sign = "+" if total >= 0 else "-"
        return "%s%02d:%02d" % (sign, abs(total) // 3600, abs(total) % 3600 // 60)
    return str(tzinfo)


class Extract(TimezoneMixin, Transform):
    """Extract a component (``lookup_name``) of a date, datetime or time."""

    lookup_name = None
    output_field = IntegerField()

    def __init__(self, expression, lookup_name=None, tzinfo=None, **extra):
        if self.lookup_name is None:
            self.lookup_name = lookup_name
        if self.lookup_name is None:
            raise ValueError("lookup_name must be provided")
        if self.lookup_name not in EXTRACT_KINDS:
            raise ValueError("Invalid lookup_name: %r" % (self.lookup_name,))
        self.tzinfo = tzinfo
        super().__init__(expression, **extra)

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        copy = super().resolve_expression(query, allow_joins, reuse, summarize, for_save)
        field = getattr(copy.lhs, "output_field", None)
        if field is None:
            return copy
        if not isinstance(field, (DateField, DateTimeField, TimeField, DurationField)):
            raise ValueError("Extract input expression must be DateField, DateTimeField, TimeField, or DurationField.")
        if type(field) is DateField and copy.lookup_name in ("hour", "minute", "second"):
            raise ValueError("Cannot extract time component '%s' from DateField '%s'."
                             % (copy.lookup_name, getattr(field, "name", field)))
        if isinstance(field, DurationField) and copy.lookup_name in (
                "year", "iso_year", "month", "week", "week_day", "iso_week_day", "quarter"):
            raise ValueError("Cannot extract component '%s' from DurationField '%s'."
                             % (copy.lookup_name, getattr(field, "name", field)))
        return copy

    def _key_extra(self):
        return (self.lookup_name, self.get_tzname() if isinstance(self.lhs.output_field, DateTimeField) else None)

    def as_sa(self, c):
        lhs = self.lhs.as_sa(c)
        ops = c.connection.ops
        field = self.lhs.output_field
        if isinstance(field, DateTimeField):
            return ops.datetime_extract_sql(self.lookup_name, lhs, self.get_tzname())
        if isinstance(field, DateField):
            return ops.date_extract_sql(self.lookup_name, lhs)
        if isinstance(field, TimeField):
            return ops.time_extract_sql(self.lookup_name, lhs)
        if isinstance(field, DurationField):
            return ops.duration_extract_sql(self.lookup_name, lhs)
        return ops.date_extract_sql(self.lookup_name, lhs)


class ExtractYear(Extract):
    """Year."""

    lookup_name = "year"


class ExtractIsoYear(Extract):
    """ISO-8601 week-numbering year."""

    lookup_name = "iso_year"


class ExtractMonth(Extract):
    """Month."""

    lookup_name = "month"


class ExtractDay(Extract):
    """Day of month."""

    lookup_name = "day"


class ExtractWeek(Extract):
    """ISO week number."""

    lookup_name = "week"


class ExtractWeekDay(Extract):
    """Day of week, 1 = Sunday ... 7 = Saturday."""

    lookup_name = "week_day"


class ExtractIsoWeekDay(Extract):
    """ISO day of week, 1 = Monday ... 7 = Sunday."""

    lookup_name = "iso_week_day"


class ExtractQuarter(Extract):
    """Quarter of the year."""

    lookup_name = "quarter"


class ExtractHour(Extract):
    """Hour."""

    lookup_name = "hour"


class ExtractMinute(Extract):
    """Minute."""

    lookup_name = "minute"


class ExtractSecond(Extract):
    """Second."""

    lookup_name = "second"


for _extract in (ExtractYear, ExtractMonth, ExtractDay, ExtractWeekDay, ExtractIsoWeekDay, ExtractWeek,
                 ExtractIsoYear, ExtractQuarter):
    DateField.register_lookup(_extract)
for _extract in (ExtractHour, ExtractMinute, ExtractSecond):
    TimeField.register_lookup(_extract)
    DateTimeField.register_lookup(_extract)
for _lookup in (YearExact, YearGt, YearGte, YearLt, YearLte):
    ExtractYear.register_lookup(_lookup)
    ExtractIsoYear.register_lookup(_lookup)


class Now(Func):
    """The current timestamp (transaction start on PostgreSQL)."""

    template = "CURRENT_TIMESTAMP"
    output_field = DateTimeField()

    def as_sa(self, c):
        return c.connection.ops.now_sql()


class TruncBase(TimezoneMixin, Transform):
    """Truncate to ``kind``."""

    kind = None
    tzinfo = None

    def __init__(self, expression, output_field=None, tzinfo=None, **extra):
        self.tzinfo = tzinfo
        super().__init__(expression, output_field=output_field, **extra)

    def _key_extra(self):
        return (self.kind, self.get_tzname(), self.output_key())

    def as_sa(self, c):
        lhs = self.lhs.as_sa(c)
        ops = c.connection.ops
        field = self.lhs.output_field
        if isinstance(field, DateTimeField):
            return ops.datetime_trunc_sql(self.kind, lhs, self.get_tzname())
        if isinstance(field, DateField):
            return ops.date_trunc_sql(self.kind, lhs)
        if isinstance(field, TimeField):
            return ops.time_trunc_sql(self.kind, lhs)
        raise ValueError("Trunc only valid on DateField, TimeField, or DateTimeField.")

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        copy = super().resolve_expression(query, allow_joins, reuse, summarize, for_save)
        field = copy.lhs.output_field
        if not isinstance(field, (DateField, TimeField)):
            raise TypeError("%r isn't a DateField, TimeField, or DateTimeField." % field.name)
        output = copy.output_field
        if not isinstance(output, (DateField, DateTimeField, TimeField)):
            raise ValueError("output_field must be either DateField, TimeField, or DateTimeField")
        has_explicit = "output_field" in copy.__dict__
        if type(field) is DateField and (isinstance(output, DateTimeField) or copy.kind in
                                         ("hour", "minute", "second", "time")):
            raise ValueError("Cannot truncate DateField '%s' to %s." % (
                field.name, "DateTimeField" if not has_explicit or isinstance(output, DateTimeField) else
                output.__class__.__name__))
        if isinstance(field, TimeField) and (isinstance(output, DateTimeField) or copy.kind in
                                             ("year", "quarter", "month", "week", "day", "date")):
            raise ValueError("Cannot truncate TimeField '%s' to %s." % (
                field.name, "DateTimeField" if not has_explicit or isinstance(output, DateTimeField) else
                output.__class__.__name__))
        return copy

    def get_db_converters(self, connection):
        convert = self.convert_value
        if isinstance(self.output_field, DateTimeField):
            def convert(value, _convert=self.convert_value, _features=connection.features):
                # Without zone tables the server returns NULL for every converted value (Django's check).
                if value is None and settings.USE_TZ and not _features.has_zoneinfo_database:
                    raise ValueError("Database returned an invalid datetime value. Are time zone definitions "
                                     "for your database installed?")
                return _convert(value)
        return super().get_db_converters(connection) + [convert]

    def convert_value(self, value):
        """Make truncated datetimes aware in the truncation's zone."""
        output = self.output_field
        if isinstance(output, DateTimeField):
            if settings.USE_TZ and value is not None:
                if isinstance(value, str):
                    from ormlette.utils.dateparse import parse_datetime

                    value = parse_datetime(value)
                value = value.replace(tzinfo=None)
                tz = self.tzinfo or timezone.get_current_timezone()
                value = timezone.make_aware(value, tz)
        elif isinstance(value, datetime.datetime):
            if output is None or isinstance(output, DateField) and not isinstance(output, DateTimeField):
                value = value.date()
            elif isinstance(output, TimeField):
                value = value.time()
        return value


class Trunc(TruncBase):
    """``Trunc(expression, kind)``."""

    def __init__(self, expression, kind, output_field=None, tzinfo=None, **extra):
        if kind not in TRUNC_KINDS:
            raise ValueError("Invalid kind: %r" % (kind,))
        self.kind = kind
        super().__init__(expression, output_field=output_field, tzinfo=tzinfo, **extra)


class TruncYear(TruncBase):
    """Truncate to the year."""

    kind = "year"


class TruncQuarter(TruncBase):
    """Truncate to the quarter."""

    kind = "quarter"


class TruncMonth(TruncBase):
    """Truncate to the month."""

    kind = "month"


class TruncWeek(TruncBase):
    """Truncate to Monday of the week."""

    kind = "week"


class TruncDay(TruncBase):
    """Truncate to the day."""

    kind = "day"


class TruncDate(TruncBase):
    """The date part of a datetime (in the current zone)."""

    kind = "date"
    lookup_name = "date"
    output_field = DateField()

    def as_sa(self, c):
        return c.connection.ops.datetime_cast_date_sql(self.lhs.as_sa(c), self.get_tzname())


class TruncTime(TruncBase):
    """The time part of a datetime (in the current zone)."""

    kind = "time"
    lookup_name = "time"
    output_field = TimeField()

    def as_sa(self, c):
        return c.connection.ops.datetime_cast_time_sql(self.lhs.as_sa(c), self.get_tzname())


class TruncHour(TruncBase):
    """Truncate to the hour."""

    kind = "hour"


class TruncMinute(TruncBase):
    """Truncate to the minute."""

    kind = "minute"


class TruncSecond(TruncBase):
    """Truncate to the second."""

    kind = "second"


DateTimeField.register_lookup(TruncDate)
DateTimeField.register_lookup(TruncTime)


def year_bounds(field, year, connection, iso=False):
    """First and last instant of ``year`` for comparisons on ``field``'s column."""
    if iso:
        first = datetime.date.fromisocalendar(year, 1, 1)
        last = datetime.date.fromisocalendar(year + 1, 1, 1) - datetime.timedelta(days=1)
    else:
        first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if isinstance(field, DateTimeField):
        start = datetime.datetime.combine(first, datetime.time.min)
        finish = datetime.datetime.combine(last, datetime.time.max)
        if settings.USE_TZ:
            tz = timezone.get_current_timezone()
            start, finish = timezone.make_aware(start, tz), timezone.make_aware(finish, tz)
        return connection.ops.adapt_datetimefield_value(start), connection.ops.adapt_datetimefield_value(finish)
    return connection.ops.adapt_datefield_value(first), connection.ops.adapt_datefield_value(last)


