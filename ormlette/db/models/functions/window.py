"""Window functions (used inside ``Window(...)``)."""
from ormlette.db.models.expressions.base import Func
from ormlette.db.models.fields import FloatField, IntegerField


class _WindowFunc(Func):
    window_compatible = True


class CumeDist(_WindowFunc):
    """Cumulative distribution."""

    function = "CUME_DIST"
    output_field = FloatField()


class DenseRank(_WindowFunc):
    """Rank without gaps."""

    function = "DENSE_RANK"
    output_field = IntegerField()


class FirstValue(_WindowFunc):
    """First value of the frame."""

    arity = 1
    function = "FIRST_VALUE"


class LagLeadFunction(_WindowFunc):
    """Value ``offset`` rows before/after (LAG/LEAD)."""

    def __init__(self, expression, offset=1, default=None, **extra):
        if expression is None:
            raise ValueError("%s requires a non-null source expression." % self.__class__.__name__)
        if offset is None or offset <= 0:
            raise ValueError("%s requires a positive integer for the offset." % self.__class__.__name__)
        args = (expression, offset)
        if default is not None:
            args += (default,)
        super().__init__(*args, **extra)

    def _resolve_output_field(self):
        sources = self.get_source_expressions()
        return sources[0].output_field


class Lag(LagLeadFunction):
    """Value from a previous row."""

    function = "LAG"


class Lead(LagLeadFunction):
    """Value from a following row."""

    function = "LEAD"


class LastValue(_WindowFunc):
    """Last value of the frame."""

    arity = 1
    function = "LAST_VALUE"


class NthValue(_WindowFunc):
    """Value of the nth row of the frame."""

    function = "NTH_VALUE"

    def __init__(self, expression, nth=1, **extra):
        if expression is None:
            raise ValueError("%s requires a non-null source expression." % self.__class__.__name__)
        if nth is None or nth <= 0:
            raise ValueError("%s requires a positive integer as for nth." % self.__class__.__name__)
        super().__init__(expression, nth, **extra)

    def _resolve_output_field(self):
        return self.get_source_expressions()[0].output_field


class Ntile(_WindowFunc):
    """Bucket number (1..num_buckets)."""

    function = "NTILE"
    output_field = IntegerField()

    def __init__(self, num_buckets=1, **extra):
        if num_buckets <= 0:
            raise ValueError("num_buckets must be greater than 0.")
        super().__init__(num_buckets, **extra)


class PercentRank(_WindowFunc):
    """Relative rank."""

    function = "PERCENT_RANK"
    output_field = FloatField()


class Rank(_WindowFunc):
    """Rank with gaps."""

    function = "RANK"
    output_field = IntegerField()


class RowNumber(_WindowFunc):
    """Row number within the partition."""

    function = "ROW_NUMBER"
    output_field = IntegerField()
