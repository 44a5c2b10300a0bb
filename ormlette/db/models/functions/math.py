"""Math functions (Abs ... Tan); SQLite gets the missing ones as Python functions."""
import sqlalchemy as sa

from ormlette.db.models.expressions.base import Func, Value
from ormlette.db.models.fields import FloatField
from ormlette.db.models.functions.mixins import NumericOutputFieldMixin
from ormlette.db.models.lookups.base import Transform


class Abs(Transform):
    """Absolute value."""

    function = "ABS"
    lookup_name = "abs"


class ACos(NumericOutputFieldMixin, Transform):
    """Arccosine."""

    function = "ACOS"
    lookup_name = "acos"


class ASin(NumericOutputFieldMixin, Transform):
    """Arcsine."""

    function = "ASIN"
    lookup_name = "asin"


class ATan(NumericOutputFieldMixin, Transform):
    """Arctangent."""

    function = "ATAN"
    lookup_name = "atan"


class ATan2(NumericOutputFieldMixin, Func):
    """Arctangent of y / x."""

    function = "ATAN2"
    arity = 2


class Ceil(Transform):
    """Smallest integer >= the value."""

    function = "CEILING"
    lookup_name = "ceil"


class Cos(NumericOutputFieldMixin, Transform):
    """Cosine."""

    function = "COS"
    lookup_name = "cos"


class Cot(NumericOutputFieldMixin, Transform):
    """Cotangent."""

    function = "COT"
    lookup_name = "cot"


class Degrees(NumericOutputFieldMixin, Transform):
    """Radians to degrees."""

    function = "DEGREES"
    lookup_name = "degrees"


class Exp(NumericOutputFieldMixin, Transform):
    """e to the power of the value."""

    function = "EXP"
    lookup_name = "exp"


class Floor(Transform):
    """Largest integer <= the value."""

    function = "FLOOR"
    lookup_name = "floor"


class Ln(NumericOutputFieldMixin, Transform):
    """Natural logarithm."""

    function = "LN"
    lookup_name = "ln"


class Log(NumericOutputFieldMixin, Func):
    """Logarithm of the second argument in the base of the first."""

    function = "LOG"
    arity = 2


class Mod(NumericOutputFieldMixin, Func):
    """Remainder of the first argument divided by the second."""

    function = "MOD"
    arity = 2


class Pi(Func):
    """The constant pi."""

    function = "PI"
    arity = 0
    output_field = FloatField()


class Power(NumericOutputFieldMixin, Func):
    """First argument to the power of the second."""

    function = "POWER"
    arity = 2


class Radians(NumericOutputFieldMixin, Transform):
    """Degrees to radians."""

    function = "RADIANS"
    lookup_name = "radians"


class Random(Func):
    """A random float in [0, 1)."""

    function = "RANDOM"
    output_field = FloatField()

    def as_sa(self, c):
        return c.connection.ops.random_float_sa()

    def get_group_by_cols(self):
        return []


class Round(Transform):
    """Round to ``precision`` decimal places."""

    function = "ROUND"
    lookup_name = "round"
    arity = None

    def __init__(self, expression, precision=0, **extra):
        super().__init__(expression, precision, **extra)

    def _resolve_output_field(self):
        return self.get_source_expressions()[0].output_field

    def as_sa(self, c):
        precision = self.get_source_expressions()[1]
        if not c.connection.features.supports_negative_round_precision and isinstance(precision, Value) \
                and precision.value is not None and precision.value < 0:
            raise ValueError("%s does not support negative precision." % c.connection.display_name)
        return super().as_sa(c)

    def as_postgresql_sa(self, c):
        # PostgreSQL has no round(double precision, integer): round the value as numeric.
        source, precision = self.get_source_expressions()
        if isinstance(source.output_field, FloatField):
            args = [sa.cast(source.as_sa(c), sa.Numeric()), precision.as_sa(c)]
            return sa.func.ROUND(*args)
        return self.as_generic_sa(c)


class Sign(Transform):
    """-1, 0 or 1."""

    function = "SIGN"
    lookup_name = "sign"


class Sin(NumericOutputFieldMixin, Transform):
    """Sine."""

    function = "SIN"
    lookup_name = "sin"


class Sqrt(NumericOutputFieldMixin, Transform):
    """Square root."""

    function = "SQRT"
    lookup_name = "sqrt"


class Tan(NumericOutputFieldMixin, Transform):
    """Tangent."""

    function = "TAN"
    lookup_name = "tan"


