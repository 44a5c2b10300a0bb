"""UUID, JSON, binary and IP address fields."""
from __future__ import annotations

import json
import uuid
from typing import TYPE_CHECKING, Any, Literal, overload

from typing_extensions import TypeVar

from ormlette.core import exceptions, validators
from ormlette.db.models.fields.base import Field

_UT = TypeVar("_UT", default=uuid.UUID)
_JT = TypeVar("_JT", default=Any)
_BinT = TypeVar("_BinT", default=bytes | memoryview)
_IPT = TypeVar("_IPT", default=str)


class UUIDField(Field[_UT]):
    """A UUID (native on PostgreSQL, 32 hex chars elsewhere)."""

    if TYPE_CHECKING:
        @overload
        def __init__(self: UUIDField[uuid.UUID], *args: Any, null: Literal[False] = ..., **kwargs: Any) -> None: ...
        @overload
        def __init__(self: UUIDField[uuid.UUID | None], *args: Any, null: Literal[True], **kwargs: Any) -> None: ...

    data_type_key = "UUIDField"

    default_error_messages = {"invalid": "“%(value)s” is not a valid UUID."}
    description = "Universally unique identifier"
    empty_strings_allowed = False

    def __init__(self, verbose_name=None, **kwargs):
        kwargs["max_length"] = 32
        super().__init__(verbose_name, **kwargs)

    def to_python(self, value):
        """UUID from UUID, int or text."""
        if value is not None and not isinstance(value, uuid.UUID):
            try:
                return uuid.UUID(int=value) if isinstance(value, int) else uuid.UUID(value)
            except (AttributeError, ValueError, TypeError):
                raise exceptions.ValidationError(self.error_messages["invalid"], code="invalid",
                                                 params={"value": value}) from None
        return value

    def get_prep_value(self, value):
        """to_python."""
        return self.to_python(super().get_prep_value(value))

    def get_db_prep_value(self, value, connection, prepared=False):
        """Native UUID or hex."""
        if value is None or hasattr(value, "resolve_expression"):
            return value
        if not isinstance(value, uuid.UUID):
            value = self.to_python(value)
        return connection.ops.adapt_uuid_value(value)


class JSONField(Field[_JT]):
    """A JSON document (jsonb on PostgreSQL)."""

    if TYPE_CHECKING:
        @overload
        def __init__(self: JSONField[Any], *args: Any, null: Literal[False] = ..., **kwargs: Any) -> None: ...
        @overload
        def __init__(self: JSONField[Any | None], *args: Any, null: Literal[True], **kwargs: Any) -> None: ...

    data_type_key = "JSONField"

    empty_strings_allowed = False
    description = "A JSON object"
    default_error_messages = {"invalid": "Value must be valid JSON."}

    def __init__(self, verbose_name=None, name=None, encoder=None, decoder=None, **kwargs):
        if encoder and not callable(encoder):
            raise ValueError("The encoder parameter must be a callable object.")
        if decoder and not callable(decoder):
            raise ValueError("The decoder parameter must be a callable object.")
        self.encoder, self.decoder = encoder, decoder
        super().__init__(verbose_name, name, **kwargs)

    def from_db_value(self, value, expression, connection):
        """Decode the stored text (an invalid document is returned as text, as Django)."""
        if value is None:
            return value
        try:
            return json.loads(value, cls=self.decoder)
        except (json.JSONDecodeError, TypeError):
            return value

    # Value(None, JSONField()) saved as this field's value is the JSON document null (read by Value).
    none_is_json_null = True

    def get_db_prep_value(self, value, connection, prepared=False):
        """Encode the document; None is JSON null here (saving None stores SQL NULL, see get_db_prep_save)."""
        if not prepared:
            value = self.get_prep_value(value)
        if hasattr(value, "resolve_expression"):
            return value
        return connection.ops.adapt_json_value(value, self.encoder)

    def get_db_prep_save(self, value, connection):
        """None is SQL NULL; Value(None, JSONField()) is JSON null; other values are encoded."""
        if value is None:
            return None
        if is_json_null_value(value):
            value = None
        elif hasattr(value, "resolve_expression"):
            return value
        return self.get_db_prep_value(value, connection)

    def get_transform(self, name):
        """A registered transform, else a key transform (``field__key``)."""
        transform = super().get_transform(name)
        if transform:
            return transform
        from ormlette.db.models.fields.json import KeyTransformFactory

        return KeyTransformFactory(name)

    def validate(self, value, model_instance):
        """The value must be serializable."""
        super().validate(value, model_instance)
        try:
            json.dumps(value, cls=self.encoder)
        except TypeError:
            raise exceptions.ValidationError(self.error_messages["invalid"], code="invalid",
                                             params={"value": value}) from None


def is_json_null_value(value):
    """Whether ``value`` is ``Value(None, JSONField())``."""
    return hasattr(value, "resolve_expression") and getattr(value, "value", False) is None and isinstance(
        getattr(value, "_output_field_or_none", None), JSONField)


class BinaryField(Field[_BinT]):
    """Raw bytes."""

    if TYPE_CHECKING:
        @overload
        def __init__(self: BinaryField[bytes | memoryview], *args: Any, null: Literal[False] = ..., **kwargs: Any) -> None: ...
        @overload
        def __init__(self: BinaryField[bytes | memoryview | None], *args: Any, null: Literal[True], **kwargs: Any) -> None: ...

    data_type_key = "BinaryField"

    description = "Raw binary data"
    empty_values = [None, b""]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            self._validators.append(validators.MaxLengthValidator(self.max_length))

    def get_default(self):
        """b'' rather than ''."""
        if self.has_default() and not callable(self.default):
            return self.default
        default = super().get_default()
        return b"" if default == "" else default

    def from_db_value(self, value, expression, connection):
        """bytes (drivers may return memoryview)."""
        if isinstance(value, memoryview):
            return bytes(value)
        return value

    def to_python(self, value):
        """bytes from text (base64 in Django's serializers) or bytes."""
        if isinstance(value, str):
            import base64

            return memoryview(base64.b64decode(value.encode("ascii")))
        return value

    def get_db_prep_value(self, value, connection, prepared=False):
        """bytes."""
        value = super().get_db_prep_value(value, connection, prepared)
        if isinstance(value, (bytearray, memoryview)):
            return bytes(value)
        return value


class GenericIPAddressField(Field[_IPT]):
    """An IPv4 or IPv6 address."""

    if TYPE_CHECKING:
        @overload
        def __init__(self: GenericIPAddressField[str], *args: Any, null: Literal[False] = ..., **kwargs: Any) -> None: ...
        @overload
        def __init__(self: GenericIPAddressField[str | None], *args: Any, null: Literal[True], **kwargs: Any) -> None: ...

    data_type_key = "GenericIPAddressField"

    empty_strings_allowed = False
    description = "IP address"
    default_error_messages = {}

    def __init__(self, verbose_name=None, name=None, protocol="both", unpack_ipv4=False, *args, **kwargs):
        self.unpack_ipv4 = unpack_ipv4
        self.protocol = protocol
        self.default_validators = list(validators.ip_address_validators(protocol, unpack_ipv4))
        kwargs["max_length"] = 39
        super().__init__(verbose_name, name, *args, **kwargs)

    def to_python(self, value):
        """Normalized text (IPv6 compressed)."""
        if value is None:
            return None
        if not isinstance(value, str):
            value = str(value)
        value = value.strip()
        if ":" in value:
            import ipaddress

            try:
                ip = ipaddress.IPv6Address(value)
            except ValueError:
                raise exceptions.ValidationError("Enter a valid IPv4 or IPv6 address.", code="invalid",
                                                 params={"protocol": "IPv4 or IPv6", "value": value}) from None
            if ip.ipv4_mapped:
                return str(ip.ipv4_mapped) if self.unpack_ipv4 else "::ffff:%s" % ip.ipv4_mapped
            return str(ip)
        return value

    def get_prep_value(self, value):
        """Normalized text or None."""
        value = super().get_prep_value(value)
        if value is None:
            return None
        if value and ":" in value:
            try:
                return self.to_python(value)
            except exceptions.ValidationError:
                pass
        return str(value)

    def get_db_prep_value(self, value, connection, prepared=False):
        """Empty strings are stored as NULL."""
        if not prepared:
            value = self.get_prep_value(value)
        return connection.ops.adapt_ipaddress_value(value)
