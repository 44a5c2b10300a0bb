"""Limit validators: value bounds and steps (BaseValidator and its subclasses), lengths, decimal digits."""
import math

from ormlette.core.exceptions import ValidationError
from ormlette.core.validators_base import Deconstructible
from ormlette.utils.translation import gettext_lazy as _
from ormlette.utils.translation import ngettext_lazy


class BaseValidator(Deconstructible):
    """Compare clean(value) with limit_value (which may be a callable)."""

    __module__ = "ormlette.core.validators"  # its public path (deconstruct, pickling)

    message = _("Ensure this value is %(limit_value)s (it is %(show_value)s).")
    code = "limit_value"

    def __init__(self, limit_value, message=None):
        self.limit_value = limit_value
        if message:
            self.message = message

    def _limit(self):
        return self.limit_value() if callable(self.limit_value) else self.limit_value

    def __call__(self, value):
        cleaned = self.clean(value)
        limit_value = self._limit()
        if self.compare(cleaned, limit_value):
            params = {"limit_value": limit_value, "show_value": cleaned, "value": value}
            raise ValidationError(self.message, code=self.code, params=params)

    def __eq__(self, other):
        if not isinstance(other, self.__class__):
            return NotImplemented
        return (
            self.limit_value == other.limit_value
            and self.message == other.message
            and self.code == other.code
        )

    def compare(self, a, b):
        """True when the cleaned value a fails against limit b."""
        return a is not b

    def clean(self, x):
        """The part of the value that is compared."""
        return x


class MaxValueValidator(BaseValidator):
    """Require value <= limit_value."""

    __module__ = "ormlette.core.validators"  # its public path (deconstruct, pickling)

    message = _("Ensure this value is less than or equal to %(limit_value)s.")
    code = "max_value"

    def compare(self, a, b):
        """True when a exceeds b."""
        return a > b


class MinValueValidator(BaseValidator):
    """Require value >= limit_value."""

    __module__ = "ormlette.core.validators"  # its public path (deconstruct, pickling)

    message = _("Ensure this value is greater than or equal to %(limit_value)s.")
    code = "min_value"

    def compare(self, a, b):
        """True when a is below b."""
        return a < b


class StepValueValidator(BaseValidator):
    """Require value to be offset plus a multiple of limit_value."""

    __module__ = "ormlette.core.validators"  # its public path (deconstruct, pickling)

    message = _("Ensure this value is a multiple of step size %(limit_value)s.")
    code = "step_size"

    def __init__(self, limit_value, message=None, offset=None):
        super().__init__(limit_value, message)
        if offset is not None:
            self.message = _(
                "Ensure this value is a multiple of step size %(limit_value)s, "
                "starting from %(offset)s, e.g. %(offset)s, %(valid_value1)s, "
                "%(valid_value2)s, and so on."
            )
        self.offset = offset

    def __call__(self, value):
        if self.offset is None:
            return super().__call__(value)
        cleaned = self.clean(value)
        limit_value = self._limit()
        if self.compare(cleaned, limit_value):
            offset = cleaned.__class__(self.offset)
            params = {
                "limit_value": limit_value,
                "offset": offset,
                "valid_value1": offset + limit_value,
                "valid_value2": offset + 2 * limit_value,
            }
            raise ValidationError(self.message, code=self.code, params=params)

    def compare(self, a, b):
        """True when a - offset is not (close to) a multiple of b."""
        offset = 0 if self.offset is None else self.offset
        return not math.isclose(math.remainder(a - offset, b), 0, abs_tol=1e-9)


class MinLengthValidator(BaseValidator):
    """Require len(value) >= limit_value."""

    __module__ = "ormlette.core.validators"  # its public path (deconstruct, pickling)

    message = ngettext_lazy(
        "Ensure this value has at least %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at least %(limit_value)d characters (it has %(show_value)d).",
        "limit_value",
    )
    code = "min_length"

    def compare(self, a, b):
        """True when a is below b."""
        return a < b

    def clean(self, x):
        """The length of x."""
        return len(x)


class MaxLengthValidator(BaseValidator):
    """Require len(value) <= limit_value."""

    __module__ = "ormlette.core.validators"  # its public path (deconstruct, pickling)

    message = ngettext_lazy(
        "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
        "limit_value",
    )
    code = "max_length"

    def compare(self, a, b):
        """True when a exceeds b."""
        return a > b

    def clean(self, x):
        """The length of x."""
        return len(x)


def _digit_counts(digits, exponent):
    """(total digits, decimal places) of a finite Decimal's tuple parts."""
    if exponent >= 0:
        # A positive exponent stands for that many trailing zeros (except for 0).
        total = len(digits) + (exponent if digits != (0,) else 0)
        return total, 0
    # More decimal places than digits means leading zeros after the point.
    places = abs(exponent)
    return max(len(digits), places), places


class DecimalValidator(Deconstructible):
    """Require a Decimal within max_digits and decimal_places."""

    __module__ = "ormlette.core.validators"  # its public path (deconstruct, pickling)

    messages = {
        "invalid": _("Enter a number."),
        "max_digits": ngettext_lazy(
            "Ensure that there are no more than %(max)s digit in total.",
            "Ensure that there are no more than %(max)s digits in total.",
            "max",
        ),
        "max_decimal_places": ngettext_lazy(
            "Ensure that there are no more than %(max)s decimal place.",
            "Ensure that there are no more than %(max)s decimal places.",
            "max",
        ),
        "max_whole_digits": ngettext_lazy(
            "Ensure that there are no more than %(max)s digit before the decimal point.",
            "Ensure that there are no more than %(max)s digits before the decimal point.",
            "max",
        ),
    }

    def __init__(self, max_digits, decimal_places):
        self.max_digits = max_digits
        self.decimal_places = decimal_places

    def _fail(self, code, limit, value):
        return ValidationError(
            self.messages[code], code=code, params={"max": limit, "value": value}
        )

    def __call__(self, value):
        digits, exponent = value.as_tuple()[1:]
        if exponent in {"F", "n", "N"}:
            raise ValidationError(
                self.messages["invalid"], code="invalid", params={"value": value}
            )
        total, places = _digit_counts(digits, exponent)
        if self.max_digits is not None and total > self.max_digits:
            raise self._fail("max_digits", self.max_digits, value)
        if self.decimal_places is not None and places > self.decimal_places:
            raise self._fail("max_decimal_places", self.decimal_places, value)
        if self.max_digits is None or self.decimal_places is None:
            return
        whole_limit = self.max_digits - self.decimal_places
        if total - places > whole_limit:
            raise self._fail("max_whole_digits", whole_limit, value)

    def __eq__(self, other):
        return (
            isinstance(other, self.__class__)
            and self.max_digits == other.max_digits
            and self.decimal_places == other.decimal_places
        )
