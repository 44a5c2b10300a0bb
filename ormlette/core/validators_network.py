"""Network validators: domain names, URLs, email addresses and IP addresses."""
import ipaddress
import re
from urllib.parse import urlsplit

from ormlette.core.exceptions import ValidationError
from ormlette.core.validators_base import Deconstructible, invalid_value_error
from ormlette.core.validators_text import RegexValidator
from ormlette.utils.translation import gettext_lazy as _


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


class DomainNameValidator(RegexValidator):
    """Require a valid domain name (IDN allowed unless accept_idna=False)."""

    __module__ = "ormlette.core.validators"  # its public path (deconstruct, pickling)

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
            raise invalid_value_error(self, value)
        if not self.accept_idna and not value.isascii():
            raise invalid_value_error(self, value)
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

    __module__ = "ormlette.core.validators"  # its public path (deconstruct, pickling)

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
            raise invalid_value_error(self, value)
        if self.unsafe_chars.intersection(value):
            raise invalid_value_error(self, value)
        if value.split("://")[0].lower() not in self.schemes:
            raise invalid_value_error(self, value)
        try:
            parts = urlsplit(value)
        except ValueError:
            raise invalid_value_error(self, value) from None
        super().__call__(value)
        self._check_host(value, parts)

    def _check_host(self, value, parts):
        bracketed = re.search(r"^\[(.+)\](?::[0-9]{1,5})?$", parts.netloc)
        if bracketed and not is_valid_ipv6_address(bracketed[1]):
            raise invalid_value_error(self, value)
        # RFC 1034 3.1: a full host name is at most 253 characters.
        if parts.hostname is None or len(parts.hostname) > 253:
            raise invalid_value_error(self, value)


class EmailValidator(Deconstructible):
    """Require an email address (user part, then domain, IP literal or allowlisted host)."""

    __module__ = "ormlette.core.validators"  # its public path (deconstruct, pickling)

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
            raise invalid_value_error(self, value)
        user_part, domain_part = value.rsplit("@", 1)
        if not self.user_regex.match(user_part):
            raise invalid_value_error(self, value)
        if domain_part in self.domain_allowlist:
            return
        if not self.validate_domain_part(domain_part):
            raise invalid_value_error(self, value)

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
