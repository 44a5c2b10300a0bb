"""Text-matching lookups: LIKE patterns (contains, startswith, endswith and their i- forms) and regex."""
from ormlette.db.models.fields import UUIDField
from ormlette.db.models.lookups.base import BuiltinLookup


class PatternLookup(BuiltinLookup):
    """LIKE-based lookups with wildcards in user values escaped."""

    prepare_rhs = False
    prefix = suffix = "%"

    def get_prep_lookup(self):
        if self.rhs_is_direct_value() and self.rhs is not None and \
                hasattr(self.lhs, "output_field") and hasattr(self.lhs.output_field, "get_prep_value") and \
                not isinstance(self.rhs, str):
            return self.lhs.output_field.get_prep_value(self.rhs)
        return super().get_prep_lookup()

    def db_rhs(self, connection):
        value = self.rhs
        if value is None:
            return value
        if isinstance(self.lhs.output_field, UUIDField) and not isinstance(value, str):
            value = value.hex if hasattr(value, "hex") else value
        return "%s%s%s" % (self.prefix, connection.ops.pattern_escape(str(value)), self.suffix)

    def compare(self, lhs, rhs, c):
        if not self.rhs_is_direct_value():
            rhs = c.connection.ops.pattern_concat(rhs, self.prefix, self.suffix)
        return c.connection.ops.lookup_sql(self.lookup_name, lhs, rhs)


class Contains(PatternLookup):
    """Case-sensitive containment."""

    lookup_name = "contains"


class IContains(PatternLookup):
    """Case-insensitive containment."""

    lookup_name = "icontains"


class StartsWith(PatternLookup):
    """Prefix match."""

    lookup_name = "startswith"
    prefix = ""


class IStartsWith(StartsWith):
    """Case-insensitive prefix match."""

    lookup_name = "istartswith"


class EndsWith(PatternLookup):
    """Suffix match."""

    lookup_name = "endswith"
    suffix = ""


class IEndsWith(EndsWith):
    """Case-insensitive suffix match."""

    lookup_name = "iendswith"


class Regex(BuiltinLookup):
    """Regular expression match (case-sensitive)."""

    lookup_name = "regex"
    prepare_rhs = False

    def compare(self, lhs, rhs, c):
        return c.connection.ops.lookup_sql(self.lookup_name, lhs, rhs)


class IRegex(Regex):
    """Regular expression match (case-insensitive)."""

    lookup_name = "iregex"
