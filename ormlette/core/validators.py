"""Field validators with Django's behaviour, messages and error codes."""
import ipaddress
import math
import re
from pathlib import Path
from urllib.parse import urlsplit

from ormlette.core.exceptions import ValidationError
from ormlette.utils.translation import gettext_lazy as _
from ormlette.utils.translation import ngettext_lazy

# These values, given to a field's validate(), trigger its required check.
EMPTY_VALUES = (None, "", [], (), {})

MAX_URL_LENGTH = 2048
MAX_IPV6_ADDRESS_LENGTH = 39

# Hostname building blocks; "\u00a1-\uffff" admits non-ASCII (IDN) letters.
_UNICODE = "\u00a1-\uffff"
_ALNUM = "[a-z" + _UNICODE + "0-9]"
_ALNUM_DASH = "[a-z" + _UNICODE + "0-9-]"
_HOST_LABEL = _ALNUM + "(?:" + _ALNUM_DASH + "{0,61}" + _ALNUM + ")?"
_SUBDOMAINS = r"(?:\.(?!-)" + _ALNUM_DASH + r"{1,63}(?<!-))*"
_TLD = r"\.(?!-)(?:[a-z" + _UNICODE + r"-]{2,63}|xn--[a-z0-9]{1,59})(?<!-)"
_ASCII_HOST_LABEL = "[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
_ASCII_SUBDOMAINS = r"(?:\.(?!-)[a-zA-Z0-9-]{1,63}(?<!-))*"
_ASCII_TLD = r"\.(?!-)[a-zA-Z0-9-]{2,63}(?<!-)\.?"

_IPV4_OCTET = "(?:0|25[0-5]|2[0-4][0-9]|1[0-9]?[0-9]?|[1-9][0-9]?)"
_IPV4 = _IPV4_OCTET + r"(?:\." + _IPV4_OCTET + "){3}"


class _Deconstructible:
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


def _invalid(validator, value):
    """The ValidationError a validator raises for value."""
    return ValidationError(validator.message, code=validator.code, params={"value": value})


class RegexValidator(_Deconstructible):
    """Require the value (as str) to contain a match of regex (or not, if inverse)."""

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
            raise _invalid(self, value)

    def __eq__(self, other):
        return (
            isinstance(other, RegexValidator)
            and self.regex.pattern == other.regex.pattern
            and self.regex.flags == other.regex.flags
            and self.message == other.message
            and self.code == other.code
            and self.inverse_match == other.inverse_match
        )


class DomainNameValidator(RegexValidator):
    """Require a valid domain name (IDN allowed unless accept_idna=False)."""

    message = _("Enter a valid domain name.")
    hostname_re = _HOST_LABEL
    domain_re = _SUBDOMAINS
    tld_no_fqdn_re = _TLD
    tld_re = _TLD + r"\.?"
    max_length = 255

    def __init__(self, **kwargs):
        self.accept_idna = kwargs.pop("accept_idna", True)
        if self.accept_idna:
            parts = (self.hostname_re, self.domain_re, self.tld_re)
        else:
            parts = (_ASCII_HOST_LABEL, _ASCII_SUBDOMAINS, _ASCII_TLD)
        self.regex = re.compile("^" + "".join(parts) + r"\Z", re.IGNORECASE)
        super().__init__(**kwargs)

    def __call__(self, value):
        if not isinstance(value, str) or len(value) > self.max_length:
            raise _invalid(self, value)
        if not self.accept_idna and not value.isascii():
            raise _invalid(self, value)
        super().__call__(value)


validate_domain_name = DomainNameValidator()


def is_valid_ipv6_address(value):
    """Whether value is an IPv6 address (an IPv6Address or a short enough string)."""
    if isinstance(value, ipaddress.IPv6Address):
        return True
    try:
        if len(value) > MAX_IPV6_ADDRESS_LENGTH:
            return False
        ipaddress.IPv6Address(value)
    except (TypeError, ValueError):
        return False
    return True


class URLValidator(RegexValidator):
    """Require a URL with an allowed scheme and a plausible host."""

    ipv4_re = _IPV4
    ipv6_re = r"\[[0-9a-f:.]+\]"  # loose here, checked properly after the regex
    hostname_re = _HOST_LABEL
    domain_re = _SUBDOMAINS
    tld_re = _TLD + r"\.?"
    host_re = "(" + hostname_re + domain_re + tld_re + "|localhost)"
    regex = re.compile(
        r"^(?:[a-z0-9.+-]*)://"
        r"(?:[^\s:@/]+(?::[^\s:@/]*)?@)?"
        "(?:" + ipv4_re + "|" + ipv6_re + "|" + host_re + ")"
        r"(?::[0-9]{1,5})?"
        r"(?:[/?#][^\s]*)?"
        r"\Z",
        re.IGNORECASE,
    )
    message = _("Enter a valid URL.")
    schemes = ["http", "https", "ftp", "ftps"]
    unsafe_chars = frozenset("\t\r\n")
    max_length = MAX_URL_LENGTH

    def __init__(self, schemes=None, **kwargs):
        super().__init__(**kwargs)
        if schemes is not None:
            self.schemes = schemes

    def __call__(self, value):
        if not isinstance(value, str) or len(value) > self.max_length:
            raise _invalid(self, value)
        if self.unsafe_chars.intersection(value):
            raise _invalid(self, value)
        if value.split("://")[0].lower() not in self.schemes:
            raise _invalid(self, value)
        try:
            parts = urlsplit(value)
        except ValueError:
            raise _invalid(self, value) from None
        super().__call__(value)
        self._check_host(value, parts)

    def _check_host(self, value, parts):
        bracketed = re.search(r"^\[(.+)\](?::[0-9]{1,5})?$", parts.netloc)
        if bracketed and not is_valid_ipv6_address(bracketed[1]):
            raise _invalid(self, value)
        # RFC 1034 3.1: a full host name is at most 253 characters.
        if parts.hostname is None or len(parts.hostname) > 253:
            raise _invalid(self, value)


integer_validator = RegexValidator(
    re.compile(r"^-?\d+\Z"), message=_("Enter a valid integer."), code="invalid"
)


def validate_integer(value):
    """Require an optionally negative run of digits."""
    return integer_validator(value)


class EmailValidator(_Deconstructible):
    """Require an email address (user part, then domain, IP literal or allowlisted host)."""

    message = _("Enter a valid email address.")
    code = "invalid"
    hostname_re = _HOST_LABEL
    domain_re = _SUBDOMAINS
    tld_no_fqdn_re = _TLD
    _atom = r"[-!#$%&'*+/=?^_`{}|~0-9A-Z]+"
    user_regex = re.compile(
        "(^" + _atom + r"(\." + _atom + r")*\Z"
        r'|^"([\001-\010\013\014\016-\037!#-\[\]-\177]|\\[\001-\011\013\014\016-\177])*"\Z)',
        re.IGNORECASE,
    )
    domain_regex = re.compile(
        "^" + _HOST_LABEL + _SUBDOMAINS + _TLD + r"\Z", re.IGNORECASE
    )
    literal_regex = re.compile(r"\[([A-F0-9:.]+)\]\Z", re.IGNORECASE)
    domain_allowlist = ["localhost"]

    def __init__(self, message=None, code=None, allowlist=None):
        if message is not None:
            self.message = message
        if code is not None:
            self.code = code
        if allowlist is not None:
            self.domain_allowlist = allowlist

    def __call__(self, value):
        # RFC 3696 section 3: an address is at most 320 characters.
        if not value or "@" not in value or len(value) > 320:
            raise _invalid(self, value)
        user_part, domain_part = value.rsplit("@", 1)
        if not self.user_regex.match(user_part):
            raise _invalid(self, value)
        if domain_part in self.domain_allowlist:
            return
        if not self.validate_domain_part(domain_part):
            raise _invalid(self, value)

    def validate_domain_part(self, domain_part):
        """Whether domain_part is a domain name or a bracketed IP literal."""
        if self.domain_regex.match(domain_part):
            return True
        literal = self.literal_regex.match(domain_part)
        if not literal:
            return False
        try:
            validate_ipv46_address(literal[1])
        except ValidationError:
            return False
        return True

    def __eq__(self, other):
        return (
            isinstance(other, EmailValidator)
            and set(self.domain_allowlist) == set(other.domain_allowlist)
            and self.message == other.message
            and self.code == other.code
        )


validate_email = EmailValidator()

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


def _ip_error(protocol, value):
    """The ValidationError for an invalid address of the given protocol."""
    return ValidationError(
        _("Enter a valid %(protocol)s address."),
        code="invalid",
        params={"protocol": protocol, "value": value},
    )


def validate_ipv4_address(value):
    """Require an IPv4 address."""
    try:
        ipaddress.IPv4Address(value)
    except ValueError:
        raise _ip_error(_("IPv4"), value) from None


def validate_ipv6_address(value):
    """Require an IPv6 address."""
    if not is_valid_ipv6_address(value):
        raise _ip_error(_("IPv6"), value)


def validate_ipv46_address(value):
    """Require an IPv4 or IPv6 address."""
    try:
        validate_ipv4_address(value)
    except ValidationError:
        try:
            validate_ipv6_address(value)
        except ValidationError:
            raise _ip_error(_("IPv4 or IPv6"), value) from None


ip_address_validator_map = {
    "both": [validate_ipv46_address],
    "ipv4": [validate_ipv4_address],
    "ipv6": [validate_ipv6_address],
}


def ip_address_validators(protocol, unpack_ipv4):
    """The validators a GenericIPAddressField uses for protocol."""
    if protocol != "both" and unpack_ipv4:
        raise ValueError("You can only use `unpack_ipv4` if `protocol` is set to 'both'")
    try:
        return ip_address_validator_map[protocol.lower()]
    except KeyError:
        raise ValueError(
            "The protocol '%s' is unknown. Supported: %s"
            % (protocol, list(ip_address_validator_map))
        ) from None


def int_list_validator(sep=",", message=None, code="invalid", allow_negative=False):
    """A RegexValidator for integers separated by sep."""
    number = r"(-)?\d+" if allow_negative else r"\d+"
    pattern = "^%s(?:%s%s)*\\Z" % (number, re.escape(sep), number)
    return RegexValidator(re.compile(pattern), message=message, code=code)


validate_comma_separated_integer_list = int_list_validator(
    message=_("Enter only digits separated by commas."),
)


class BaseValidator(_Deconstructible):
    """Compare clean(value) with limit_value (which may be a callable)."""

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

    message = _("Ensure this value is less than or equal to %(limit_value)s.")
    code = "max_value"

    def compare(self, a, b):
        """True when a exceeds b."""
        return a > b


class MinValueValidator(BaseValidator):
    """Require value >= limit_value."""

    message = _("Ensure this value is greater than or equal to %(limit_value)s.")
    code = "min_value"

    def compare(self, a, b):
        """True when a is below b."""
        return a < b


class StepValueValidator(BaseValidator):
    """Require value to be offset plus a multiple of limit_value."""

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


class DecimalValidator(_Deconstructible):
    """Require a Decimal within max_digits and decimal_places."""

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


class FileExtensionValidator(_Deconstructible):
    """Require a file whose name has one of allowed_extensions (case-insensitive)."""

    message = _(
        "File extension “%(extension)s” is not allowed. "
        "Allowed extensions are: %(allowed_extensions)s."
    )
    code = "invalid_extension"

    def __init__(self, allowed_extensions=None, message=None, code=None):
        if allowed_extensions is not None:
            allowed_extensions = [extension.lower() for extension in allowed_extensions]
        self.allowed_extensions = allowed_extensions
        if message is not None:
            self.message = message
        if code is not None:
            self.code = code

    def __call__(self, value):
        extension = Path(value.name).suffix[1:].lower()
        if self.allowed_extensions is None or extension in self.allowed_extensions:
            return
        params = {
            "extension": extension,
            "allowed_extensions": ", ".join(self.allowed_extensions),
            "value": value,
        }
        raise ValidationError(self.message, code=self.code, params=params)

    def __eq__(self, other):
        return (
            isinstance(other, self.__class__)
            and set(self.allowed_extensions or []) == set(other.allowed_extensions or [])
            and self.message == other.message
            and self.code == other.code
        )


def get_available_image_extensions():
    """Image file extensions Pillow can open (empty without Pillow)."""
    try:
        from PIL import Image
    except ImportError:
        return []
    Image.init()
    return [extension.lower()[1:] for extension in Image.EXTENSION]


def validate_image_file_extension(value):
    """Require a file extension Pillow knows."""
    return FileExtensionValidator(allowed_extensions=get_available_image_extensions())(value)


class ProhibitNullCharactersValidator(_Deconstructible):
    """Reject values whose str() contains a NUL character."""

    message = _("Null characters are not allowed.")
    code = "null_characters_not_allowed"

    def __init__(self, message=None, code=None):
        if message is not None:
            self.message = message
        if code is not None:
            self.code = code

    def __call__(self, value):
        if "\x00" in str(value):
            raise _invalid(self, value)

    def __eq__(self, other):
        return (
            isinstance(other, self.__class__)
            and self.message == other.message
            and self.code == other.code
        )
