"""``__year`` lookups (exact, gt, gte, lt, lte) compared as a range on the bare column, so indexes apply."""
from ormlette.db.models.lookups.base import Exact, GreaterThan, GreaterThanOrEqual, LessThan, LessThanOrEqual, Lookup


class YearLookup(Lookup):
    """``date__year <op> value`` as a range on the column, so indexes apply."""

    def year_lookup_bounds(self, connection, year):
        """(first, last) instant of the year, adapted for the backend."""
        from ormlette.db.models.functions.datetime import year_bounds

        return year_bounds(self.lhs.lhs.output_field, year, connection, iso=self.lhs.lookup_name == "iso_year")

    def _direct(self):
        return self.rhs_is_direct_value() and self.lhs.lookup_name == "year"

    def key(self, k):
        if not self._direct():
            return super().key(k)
        for bound in self._bound_params(k.connection):
            k.param(bound)
        return (type(self), "bounds", self.lhs.lhs.key(k))

    def _bound_params(self, connection):
        start, finish = self.year_lookup_bounds(connection, self.rhs)
        return self.bound_values(start, finish)

    def as_sa(self, c):
        if not self._direct():
            return super().as_sa(c)
        params = [c.param(v) for v in self._bound_params(c.connection)]
        return self.range_sa(self.lhs.lhs.as_sa(c), params)

    def bound_values(self, start, finish):
        """Which bounds the comparison needs."""
        raise NotImplementedError

    def range_sa(self, column, params):
        """The comparison on the bare column."""
        raise NotImplementedError

    def get_prep_lookup(self):
        if self.rhs_is_direct_value():
            # The transform's unnamed IntegerField converts (and words the error as Django does).
            return self.lhs.output_field.get_prep_value(self.rhs)
        return super().get_prep_lookup()

    def db_rhs(self, connection):
        return self.rhs


class YearExact(YearLookup, Exact):
    """``__year=2024``."""

    def bound_values(self, start, finish):
        return (start, finish)

    def range_sa(self, column, params):
        return column.between(params[0], params[1])


class YearGt(YearLookup, GreaterThan):
    """``__year__gt=2024``."""

    def bound_values(self, start, finish):
        return (finish,)

    def range_sa(self, column, params):
        return column > params[0]


class YearGte(YearLookup, GreaterThanOrEqual):
    """``__year__gte=2024``."""

    def bound_values(self, start, finish):
        return (start,)

    def range_sa(self, column, params):
        return column >= params[0]


class YearLt(YearLookup, LessThan):
    """``__year__lt=2024``."""

    def bound_values(self, start, finish):
        return (start,)

    def range_sa(self, column, params):
        return column < params[0]


class YearLte(YearLookup, LessThanOrEqual):
    """``__year__lte=2024``."""

    def bound_values(self, start, finish):
        return (finish,)

    def range_sa(self, column, params):
        return column <= params[0]
