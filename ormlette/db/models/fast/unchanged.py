"""Which values a field's stock preparation returns unchanged, so hot paths may skip the calls.

Saving, bulk inserts and recorded lookups call ``get_prep_value`` / ``get_db_prep_save`` for every
value. For the stock field classes those calls return a value of certain exact types as it is (a
``str`` for a text field, an ``int`` for an integer field). A field qualifies only when every
implementation its calls can reach (``super()`` chains and ``to_python`` included) is a stock one,
so subclasses that change values always keep their calls.
"""
from ormlette.db.models.fields.base import Field
from ormlette.db.models.fields.numeric import AutoFieldMixin, BooleanField, FloatField, IntegerField
from ormlette.db.models.fields.related import ForeignKey
from ormlette.db.models.fields.text import StringFieldMixin

ANY_VALUE = None  # Field.get_prep_value only converts lazy strings: every other value stays as it is
# The exact value types write paths check before skipping a field's save preparation.
PLAIN_SAVE_TYPES = (int, str, float, bool)

# Stock get_prep_value -> (exact types it returns unchanged, the to_python it relies on or None).
_STOCK_PREP = {
    Field.get_prep_value: (ANY_VALUE, None),
    IntegerField.get_prep_value: (frozenset({int}), None),
    FloatField.get_prep_value: (frozenset({float}), None),
    StringFieldMixin.get_prep_value: (frozenset({str}), StringFieldMixin.to_python),
    BooleanField.get_prep_value: (frozenset({bool}), BooleanField.to_python),
}
_STOCK_DB_PREP = (Field.get_db_prep_value, AutoFieldMixin.get_db_prep_value)
_NO_TYPES = frozenset()
_MAX_FK_HOPS = 8


def prep_unchanged_types(field):
    """The exact types ``field.get_prep_value`` returns unchanged (ANY_VALUE: all but lazy strings)."""
    field = _through_foreign_keys(field, "get_prep_value", ForeignKey.get_prep_value)
    if field is None:
        return _NO_TYPES
    cls = type(field)
    if not all(klass.__dict__.get("get_prep_value", Field.get_prep_value) in _STOCK_PREP for klass in cls.__mro__):
        return _NO_TYPES
    types, to_python = _STOCK_PREP[cls.get_prep_value]
    if to_python is not None and cls.to_python is not to_python:
        return _NO_TYPES
    return types


def save_unchanged_types(field, candidates):
    """Which of ``candidates`` (exact types) ``field.get_db_prep_save`` returns unchanged on every backend."""
    field = _through_foreign_keys(field, "get_db_prep_save", ForeignKey.get_db_prep_save)
    if field is None:
        return _NO_TYPES
    cls = type(field)
    if cls.get_db_prep_save is not Field.get_db_prep_save or cls.get_db_prep_value not in _STOCK_DB_PREP:
        return _NO_TYPES
    types = prep_unchanged_types(field)
    return frozenset(candidates) if types is ANY_VALUE else types & frozenset(candidates)


def _through_foreign_keys(field, method_name, fk_method):
    # A stock foreign key prepares values as the field it points at (on our backends "" stays "").
    for _ in range(_MAX_FK_HOPS):
        if field is None or getattr(type(field), method_name, None) is not fk_method:
            return field
        field = field.target_field
    return None
