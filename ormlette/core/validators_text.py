"""Text validators: RegexValidator and the validators built on a regex (integer, slug, integer lists), and
ProhibitNullCharactersValidator."""
import re

from ormlette.core.validators_base import Deconstructible, invalid_value_error
from ormlette.utils.translation import gettext_lazy as _


class RegexValidator(Deconstructible):
    """Require the value (as str) to contain a match of regex (or not, if inverse)."""

    __module__ = "ormlette.core.validators"  # its public path (deconstruct, pickling)

    regex = ""
    message = _("Enter a valid value.")
    code = "invalid"
    inverse_match = False
    flags = 0

    def __init__(self, regex=None, message=None, code=None, inverse_match=None, flags=None):
        if regex is not None:
            self.regex = regex
        if message is not None:
            self.message = message
        if code is not None:
            self.code = code
        if inverse_match is not None:
            self.inverse_match = inverse_match
        if flags is not None:
            self.flags = flags
        if self.flags and not isinstance(self.regex, str):
            raise TypeError("If the flags are set, regex must be a regular expression string.")
        self.regex = re.compile(self.regex, self.flags)

    def __call__(self, value):
        found = self.regex.search(str(value)) is not None
        if found == bool(self.inverse_match):
            raise invalid_value_error(self, value)

    def __eq__(self, other):
        return (
            isinstance(other, RegexValidator)
            and self.regex.pattern == other.regex.pattern
            and self.regex.flags == other.regex.flags
            and self.message == other.message
            and self.code == other.code
            and self.inverse_match == other.inverse_match
        )


integer_validator = RegexValidator(
    re.compile(r"^-?\d+\Z"), message=_("Enter a valid integer."), code="invalid"
)


def validate_integer(value):
    """Require an optionally negative run of digits."""
    return integer_validator(value)


slug_re = re.compile(r"^[-a-zA-Z0-9_]+\Z")
validate_slug = RegexValidator(
    slug_re,
    _("Enter a valid “slug” consisting of letters, numbers, underscores or hyphens."),
    "invalid",
)

slug_unicode_re = re.compile(r"^[-\w]+\Z")
validate_unicode_slug = RegexValidator(
    slug_unicode_re,
    _(
        "Enter a valid “slug” consisting of Unicode letters, numbers, underscores, or "
        "hyphens."
    ),
    "invalid",
)


def int_list_validator(sep=",", message=None, code="invalid", allow_negative=False):
    """A RegexValidator for integers separated by sep."""
    number = r"(-)?\d+" if allow_negative else r"\d+"
    pattern = "^%s(?:%s%s)*\\Z" % (number, re.escape(sep), number)
    return RegexValidator(re.compile(pattern), message=message, code=code)


validate_comma_separated_integer_list = int_list_validator(
    message=_("Enter only digits separated by commas."),
)


class ProhibitNullCharactersValidator(Deconstructible):
    """Reject values whose str() contains a NUL character."""

    __module__ = "ormlette.core.validators"  # its public path (deconstruct, pickling)

    message = _("Null characters are not allowed.")
    code = "null_characters_not_allowed"

    def __init__(self, message=None, code=None):
        if message is not None:
            self.message = message
        if code is not None:
            self.code = code

    def __call__(self, value):
        if "\x00" in str(value):
            raise invalid_value_error(self, value)

    def __eq__(self, other):
        return (
            isinstance(other, self.__class__)
            and self.message == other.message
            and self.code == other.code
        )
