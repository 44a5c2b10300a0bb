"""JSONField querying: key/index/path transforms and the JSON lookups (as django.db.models.fields.json).

Vendor SQL lives in each backend's ``json_ops`` module (``connection.ops.json_ops``); key names and
paths are always bound parameters, in the same order in both compile walks.
"""
import json

from ormlette.core.exceptions import EmptyResultSet
from ormlette.db.errors import NotSupportedError
from ormlette.db.models.lookups import base as lookups
from ormlette.db.models.fields import TextField
from ormlette.db.models.fields.misc import JSONField, is_json_null_value
from ormlette.db.models.lookups.base import FieldGetDbPrepValueMixin, Lookup, Transform, in_list_bucket
from ormlette.db.models.query_utils import LOOKUP_SEP

__all__ = ["JSONField", "KeyTransform", "KeyTextTransform", "KT", "KeyTransformFactory"]


def split_key_transforms(expression):
    """(the document expression, [keys]) of a chain of key transforms."""
    keys = []
    while isinstance(expression, KeyTransform):
        keys.insert(0, expression.key_name)
        expression = expression.lhs
    return expression, keys


def _key_path_key(k, expression):
    """Key walk of a key path: the document's key, then the path parameters."""
    base, keys = split_key_transforms(expression)
    json_ops = k.connection.ops.json_ops
    base_key = k.expression_key(base)
    for value in json_ops.key_transform_params(keys):
        k.param(value)
    return (base_key, len(keys), json_ops.key_transform_shape(keys))


def _key_path_sa(c, expression):
    """Compile walk of a key path: (document SQL, path binds, keys)."""
    base, keys = split_key_transforms(expression)
    base_sa = c.expression(base)
    binds = [c.param(value) for value in c.connection.ops.json_ops.key_transform_params(keys)]
    return base_sa, binds, keys


def _key_converter(decoder):
    def convert(value):
        # SQLite returns numbers (and MariaDB may return non-text) as SQL values: only text is decoded.
        if not isinstance(value, str):
            return value
        try:
            return json.loads(value, cls=decoder)
        except json.JSONDecodeError:
            return value

    return convert


# -- transforms ----------------------------------------------------------------------------------

class KeyTransform(Transform):
    """The value at a key or array index of a JSON document (``field__key``)."""

    text = False

    def __init__(self, key_name, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.key_name = str(key_name)

    def __repr__(self):
        return "%s(%r, %r)" % (self.__class__.__name__, self.key_name, self.lhs)

    def _identity_extra(self):
        return (self.key_name,)

    def key(self, k):
        return (type(self),) + _key_path_key(k, self)

    def as_sa(self, c):
        base_sa, binds, keys = _key_path_sa(c, self)
        return c.connection.ops.json_ops.key_transform_sa(base_sa, binds, keys, self.text)

    def get_db_converters(self, connection):
        """Decode JSON text; SQL scalars (SQLite) are returned as they are."""
        field = self._output_field_or_none
        if not isinstance(field, JSONField):
            return super().get_db_converters(connection)
        return [_key_converter(field.decoder)]


class KeyTextTransform(KeyTransform):
    """The value at a key as text (``->>`` on PostgreSQL, JSON_UNQUOTE on MariaDB)."""

    text = True
    output_field = TextField()

    @classmethod
    def from_lookup(cls, lookup):
        """``KT("field__key__0")``: text transforms for each key after the field."""
        transform, *keys = lookup.split(LOOKUP_SEP)
        if not keys:
            raise ValueError("Lookup must contain key or index transforms.")
        for key in keys:
            transform = cls(key, transform)
        return transform


KT = KeyTextTransform.from_lookup


class KeyTransformFactory:
    """What JSONField.get_transform returns for an unregistered name: a KeyTransform of that key."""

    def __init__(self, key_name):
        self.key_name = key_name

    def __call__(self, *args, **kwargs):
        return KeyTransform(self.key_name, *args, **kwargs)


# -- lookups on the whole document ----------------------------------------------------------------

class JSONLookupMixin:
    """A comparison or pattern lookup with a JSON left side: the backend may unquote it (MariaDB)."""

    def lhs_sa(self, c):
        return c.connection.ops.json_ops.lookup_lhs_sa(super().lhs_sa(c))


class JSONExact(JSONLookupMixin, lookups.Exact):
    """``field=value``: equal documents; None (or Value(None, JSONField())) is JSON null."""

    can_use_none_as_rhs = True

    def get_prep_lookup(self):
        if is_json_null_value(self.rhs):
            self.rhs = None
        return super().get_prep_lookup()

    def rhs_sa(self, c):
        rhs = super().rhs_sa(c)
        if self.rhs_is_direct_value():
            return c.connection.ops.json_ops.exact_rhs_sa(rhs)
        return rhs


class CaseInsensitiveMixin:
    """Both operands through ops.json_ops.case_insensitive_sa (LOWER() on MariaDB's binary JSON strings)."""

    def compare(self, lhs, rhs, c):
        json_ops = c.connection.ops.json_ops
        return super().compare(json_ops.case_insensitive_sa(lhs), json_ops.case_insensitive_sa(rhs), c)


class JSONIContains(CaseInsensitiveMixin, JSONLookupMixin, lookups.IContains):
    """Case-insensitive substring of the document's text."""


class DataContains(FieldGetDbPrepValueMixin, Lookup):
    """``field__contains={...}``: the document contains the given one (top level)."""

    lookup_name = "contains"

    def key(self, k):
        if not k.connection.features.supports_json_field_contains:
            raise NotSupportedError("%s lookup is not supported on this database backend." % self.lookup_name)
        return super().key(k)

    def compare(self, lhs, rhs, c):
        return c.connection.ops.json_ops.contains_sa(lhs, rhs)


class ContainedBy(DataContains):
    """``field__contained_by={...}``: the document is contained in the given one."""

    lookup_name = "contained_by"

    def compare(self, lhs, rhs, c):
        return c.connection.ops.json_ops.contained_by_sa(lhs, rhs)


class HasKeyLookup(Lookup):
    """Key presence; several keys are combined with ``connector``."""

    prepare_rhs = False
    connector = None

    def keys(self):
        """The keys looked for."""
        return [self.rhs]

    def _plan(self, connection):
        json_ops = connection.ops.json_ops
        if json_ops.has_key_on_base:
            base, lhs_keys = split_key_transforms(self.lhs)
        else:
            base, lhs_keys = self.lhs, []
        return base, json_ops.has_key_params(lhs_keys, self.keys(), self.connector)

    def key(self, k):
        base, params = self._plan(k.connection)
        base_key = k.expression_key(base)
        for value in params:
            k.param(value)
        return (type(self), base_key, len(params))

    def as_sa(self, c):
        base, params = self._plan(c.connection)
        lhs = c.expression(base)
        binds = [c.param(value) for value in params]
        return c.connection.ops.json_ops.has_key_sa(lhs, binds, self.connector)


class HasKey(HasKeyLookup):
    """``field__has_key="k"``."""

    lookup_name = "has_key"


class HasKeys(HasKeyLookup):
    """``field__has_keys=[...]``: every key."""

    lookup_name = "has_keys"
    connector = "AND"

    def get_prep_lookup(self):
        return [str(item) for item in self.rhs]

    def keys(self):
        return self.rhs


class HasAnyKeys(HasKeys):
    """``field__has_any_keys=[...]``: at least one key."""

    lookup_name = "has_any_keys"
    connector = "OR"


for _lookup in (DataContains, ContainedBy, HasKey, HasKeys, HasAnyKeys, JSONExact, JSONIContains):
    JSONField.register_lookup(_lookup)


def _json_variant(lookup_class):
    """``lookup_class`` with JSONLookupMixin, for JSONField (and key transforms without their own)."""
    return type("JSON" + lookup_class.__name__, (JSONLookupMixin, lookup_class),
                {"__doc__": "%s on a JSON value." % lookup_class.__name__, "__module__": __name__})


for _lookup in (lookups.IExact, lookups.GreaterThan, lookups.GreaterThanOrEqual, lookups.LessThan,
                lookups.LessThanOrEqual, lookups.In, lookups.StartsWith, lookups.IStartsWith, lookups.EndsWith,
                lookups.IEndsWith, lookups.Range, lookups.Regex, lookups.IRegex):
    JSONField.register_lookup(_json_variant(_lookup))


# -- lookups after a key transform ----------------------------------------------------------------

class KeyTransformExact(JSONExact):
    """``field__key=value`` (None: the key holds JSON null)."""

    def rhs_key(self, k):
        if not self.rhs_is_direct_value():
            return super().rhs_key(k)
        value = self.db_rhs(k.connection)
        k.param(value)
        return ("json", k.connection.ops.json_ops.key_value_shape(value))

    def rhs_sa(self, c):
        if not self.rhs_is_direct_value():
            return c.expression(self.rhs)
        value = self.db_rhs(c.connection)
        return c.connection.ops.json_ops.key_exact_rhs_sa(c.param(value), value)


class KeyTransformIn(JSONLookupMixin, lookups.In):
    """``field__key__in=[...]``: each value encoded as JSON."""

    def _plain_values(self):
        return self.rhs_is_direct_value() and not any(hasattr(v, "resolve_expression") for v in self.rhs)

    def _padded_values(self, connection):
        if not self.rhs:
            raise EmptyResultSet
        values = self._db_values(connection)
        return values + [values[-1]] * (in_list_bucket(len(values)) - len(values))

    def rhs_key(self, k):
        if not self._plain_values():
            return super().rhs_key(k)
        values = self._padded_values(k.connection)
        for value in values:
            k.param(value)
        return ("json-in", tuple(k.connection.ops.json_ops.key_value_shape(v) for v in values))

    def rhs_sa(self, c):
        if not self._plain_values():
            return super().rhs_sa(c)
        json_ops = c.connection.ops.json_ops
        return [json_ops.key_in_rhs_sa(c.param(v), v) for v in self._padded_values(c.connection)]


class KeyTransformIsNull(lookups.IsNull):
    """``field__key__isnull``: whether the key is missing (a JSON null value is present)."""

    def key(self, k):
        return (type(self), bool(self.rhs)) + _key_path_key(k, self.lhs)

    def as_sa(self, c):
        base_sa, binds, keys = _key_path_sa(c, self.lhs)
        return c.connection.ops.json_ops.key_isnull_sa(base_sa, binds, keys, bool(self.rhs))


class KeyTransformTextLookupMixin:
    """Compare the key's text (``->>`` / JSON_UNQUOTE) rather than its JSON."""

    def __init__(self, key_transform, *args, **kwargs):
        if not isinstance(key_transform, KeyTransform):
            raise TypeError("Transform should be an instance of KeyTransform in order to use this lookup.")
        text = KeyTextTransform(key_transform.key_name, *key_transform.get_source_expressions(),
                                **key_transform.extra)
        super().__init__(text, *args, **kwargs)


class KeyTransformIExact(CaseInsensitiveMixin, KeyTransformTextLookupMixin, lookups.IExact):
    """Case-insensitive equality of the key's text."""


class KeyTransformIContains(CaseInsensitiveMixin, KeyTransformTextLookupMixin, lookups.IContains):
    """Case-insensitive substring of the key's text."""


class KeyTransformStartsWith(KeyTransformTextLookupMixin, lookups.StartsWith):
    """Prefix of the key's text."""


class KeyTransformIStartsWith(CaseInsensitiveMixin, KeyTransformTextLookupMixin, lookups.IStartsWith):
    """Case-insensitive prefix of the key's text."""


class KeyTransformEndsWith(KeyTransformTextLookupMixin, lookups.EndsWith):
    """Suffix of the key's text."""


class KeyTransformIEndsWith(CaseInsensitiveMixin, KeyTransformTextLookupMixin, lookups.IEndsWith):
    """Case-insensitive suffix of the key's text."""


class KeyTransformRegex(KeyTransformTextLookupMixin, lookups.Regex):
    """Regular expression on the key's text."""


class KeyTransformIRegex(CaseInsensitiveMixin, KeyTransformTextLookupMixin, lookups.IRegex):
    """Case-insensitive regular expression on the key's text."""


class KeyTransformNumericLookupMixin:
    """Without a native JSON type the key's SQL value is compared with the plain (decoded) value."""

    def db_rhs(self, connection):
        value = super().db_rhs(connection)
        if not connection.features.has_native_json_field:
            value = json.loads(value)
        return value


class KeyTransformLt(KeyTransformNumericLookupMixin, JSONLookupMixin, lookups.LessThan):
    """``field__key__lt``."""


class KeyTransformLte(KeyTransformNumericLookupMixin, JSONLookupMixin, lookups.LessThanOrEqual):
    """``field__key__lte``."""


class KeyTransformGt(KeyTransformNumericLookupMixin, JSONLookupMixin, lookups.GreaterThan):
    """``field__key__gt``."""


class KeyTransformGte(KeyTransformNumericLookupMixin, JSONLookupMixin, lookups.GreaterThanOrEqual):
    """``field__key__gte``."""


for _lookup in (KeyTransformIn, KeyTransformExact, KeyTransformIExact, KeyTransformIsNull, KeyTransformIContains,
                KeyTransformStartsWith, KeyTransformIStartsWith, KeyTransformEndsWith, KeyTransformIEndsWith,
                KeyTransformRegex, KeyTransformIRegex, KeyTransformLt, KeyTransformLte, KeyTransformGt,
                KeyTransformGte):
    KeyTransform.register_lookup(_lookup)
