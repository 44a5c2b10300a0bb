"""What every validator class shares: remembered constructor arguments (deconstruct()) and its error."""
from ormlette.core.exceptions import ValidationError


class Deconstructible:
    """Remembers constructor arguments so deconstruct() can rebuild the object."""

    def __new__(cls, *args, **kwargs):
        obj = super().__new__(cls)
        obj._constructor_args = (args, kwargs)
        return obj

    def deconstruct(self):
        """Return (import path, args, kwargs) recreating this validator."""
        args, kwargs = self._constructor_args
        path = "%s.%s" % (type(self).__module__, type(self).__name__)
        return path, args, kwargs


def invalid_value_error(validator, value):
    """The ValidationError a validator raises for value."""
    return ValidationError(validator.message, code=validator.code, params={"value": value})
