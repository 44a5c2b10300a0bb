"""Field validators with Django's behaviour, messages and error codes.

The validators live in modules by kind (``validators_text``, ``validators_network``, ``validators_limits``,
``validators_files``; the shared base in ``validators_base``); this module is their public path, as
``django.core.validators``: classes report it as their ``__module__`` (``deconstruct()``, pickling).
"""
from ormlette.core.exceptions import ValidationError
from ormlette.core.validators_files import (
    FileExtensionValidator, get_available_image_extensions, validate_image_file_extension,
)
from ormlette.core.validators_limits import (
    BaseValidator, DecimalValidator, MaxLengthValidator, MaxValueValidator, MinLengthValidator,
    MinValueValidator, StepValueValidator,
)
from ormlette.core.validators_network import (
    MAX_IPV6_ADDRESS_LENGTH, MAX_URL_LENGTH, DomainNameValidator, EmailValidator, URLValidator,
    ip_address_validator_map, ip_address_validators, is_valid_ipv6_address, validate_domain_name,
    validate_email, validate_ipv4_address, validate_ipv6_address, validate_ipv46_address,
)
from ormlette.core.validators_text import (
    ProhibitNullCharactersValidator, RegexValidator, int_list_validator, integer_validator, slug_re,
    slug_unicode_re, validate_comma_separated_integer_list, validate_integer, validate_slug,
    validate_unicode_slug,
)

# These values, given to a field's validate(), trigger its required check.
EMPTY_VALUES = (None, "", [], (), {})

__all__ = [
    "EMPTY_VALUES", "MAX_IPV6_ADDRESS_LENGTH", "MAX_URL_LENGTH", "BaseValidator", "DecimalValidator",
    "DomainNameValidator", "EmailValidator", "FileExtensionValidator", "MaxLengthValidator", "MaxValueValidator",
    "MinLengthValidator", "MinValueValidator", "ProhibitNullCharactersValidator", "RegexValidator",
    "StepValueValidator", "URLValidator", "ValidationError", "get_available_image_extensions", "int_list_validator",
    "integer_validator", "ip_address_validator_map", "ip_address_validators", "is_valid_ipv6_address", "slug_re",
    "slug_unicode_re", "validate_comma_separated_integer_list", "validate_domain_name", "validate_email",
    "validate_image_file_extension", "validate_integer", "validate_ipv4_address", "validate_ipv46_address",
    "validate_ipv6_address", "validate_slug", "validate_unicode_slug",
]
