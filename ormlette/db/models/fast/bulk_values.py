"""Objects -> INSERT parameter rows for bulk_create(), by a generated per-(model, fields, connection) function.

The generic path asks every field of every object for ``pre_save`` and ``get_db_prep_save``. For the
common field classes those calls are the identity on values of one exact type (an ``int`` for an
integer field, a ``str`` for a text field, ...), so the generated function fetches all attributes in
one ``attrgetter`` call, checks the types, and converts only what needs it (decimals). Any other
value (None, expressions, ``DatabaseDefault``, strings in integer fields, ...) takes the generic
per-field path for that object, so results are the same value for value.
"""
import decimal
import inspect
from operator import attrgetter, itemgetter

from ormlette.db.backends.base.operations import BaseDatabaseOperations
from ormlette.db.models.expressions.base import DatabaseDefault
from ormlette.db.models.fields.base import Field
from ormlette.db.models.fields.numeric import DecimalField
from ormlette.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from ormlette.db.models.fast.unchanged import PLAIN_SAVE_TYPES, save_unchanged_types
from ormlette.db.models.query_utils import DeferredAttribute
from ormlette.utils.codegen import compile_function

# {(model, field attnames, connection): function}; models and connections live for the process.
_FUNCTIONS = {}


def row_values_function(model, fields, connection, query):
    """The function ``objs -> (rows, plain)`` for these fields on this connection (cached).

    ``rows`` holds one tuple of driver-ready values per object; ``plain`` is False when some value
    is an expression (resolved against ``query``), which the INSERT must then render.
    """
    key = (model, tuple(f.attname for f in fields), connection)
    function = _FUNCTIONS.get(key)
    if function is None:
        function = _FUNCTIONS[key] = _generate(model, fields, connection)
    return lambda objs: function(objs, query)


def generic_row(fields, values, connection, query):
    """One object's row from its ``pre_save`` values, field by field (the reference semantics)."""
    row = []
    for field, value in zip(fields, values):
        if isinstance(value, DatabaseDefault):
            value = field.db_default
        if hasattr(value, "resolve_expression"):
            row.append(value.resolve_expression(query, allow_joins=False, for_save=True))
        else:
            row.append(field.get_db_prep_save(value, connection))
    return tuple(row)


def is_plain(row):
    """Whether no value of ``row`` is an expression."""
    return not any(hasattr(value, "resolve_expression") for value in row)


def passthrough_type(field):
    """The exact type whose values ``field.get_db_prep_save`` returns unchanged on any backend, or None."""
    types = save_unchanged_types(field, PLAIN_SAVE_TYPES)
    return next(iter(types)) if len(types) == 1 else None


def _is_plain_decimal(field):
    cls = type(field)
    return (cls.get_db_prep_save is Field.get_db_prep_save and cls.get_db_prep_value is DecimalField.get_db_prep_value
            and cls.get_prep_value is DecimalField.get_prep_value and cls.to_python is DecimalField.to_python)


def _generate(model, fields, connection):
    """Source for one batch loop with every field's check and conversion inlined."""
    namespace = {"model": model, "generic_row": generic_row, "is_plain": is_plain, "fields": fields,
                 "connection": connection, "InvalidOperation": decimal.InvalidOperation}
    names = ["v%d" % i for i in range(len(fields))]
    fetch, checks, cells = _fetch_source(fields, names, namespace), [], []
    for index, field in enumerate(fields):
        check, cell = _field_source(field, names[index], index, connection, namespace)
        checks.extend(check)
        cells.append(cell)
    values = "(%s,)" % ", ".join(names) if names else "()"
    source = "\n".join([
        "def rows_of(objs, query):",
        "    out = []",
        "    append = out.append",
        "    plain = True",
        "    for obj in objs:",
        "        %s" % fetch,
        "        try:",
        "            if %s:" % (" and ".join(checks) or "True"),
        "                append((%s,))" % ", ".join(cells) if cells else "                append(())",
        "                continue",
        "        except InvalidOperation:",
        "            pass",
        "        row = generic_row(fields, %s, connection, query)" % values,
        "        plain = plain and is_plain(row)",
        "        append(row)",
        "    return out, plain",
    ])
    return compile_function(source, namespace, "rows_of")


def _fetch_source(fields, names, namespace):
    """``v0, v1 = ...`` from the instance dict (or attributes), plus ``pre_save`` calls where overridden."""
    plain = [(name, f) for name, f in zip(names, fields) if type(f).pre_save is Field.pre_save]
    lines = []
    if plain:
        attnames = [f.attname for _, f in plain]
        targets = ", ".join(name for name, _ in plain)  # one name: the getters return the bare value
        namespace["get"] = attrgetter(*attnames)
        if all(_reads_instance_dict(namespace["model"], attname) for attname in attnames):
            namespace["from_dict"] = itemgetter(*attnames)
            # A missing key is a deferred field: the attribute loads it.
            lines.append("try:\n            %s = from_dict(obj.__dict__)\n        except KeyError:\n"
                         "            %s = get(obj)" % (targets, targets))
        else:
            lines.append("%s = get(obj)" % targets)
    for index, (name, field) in enumerate(zip(names, fields)):
        if type(field).pre_save is not Field.pre_save:
            namespace["pre_save%d" % index] = field.pre_save
            lines.append("%s = pre_save%d(obj, True)" % (name, index))
    return "\n        ".join(lines) or "pass"


def _reads_instance_dict(model, attname):
    """Whether reading ``attname`` on an instance returns its ``__dict__`` entry when there is one."""
    attribute = inspect.getattr_static(model, attname, None)
    return attribute is None or type(attribute) in (DeferredAttribute, ForeignKeyDeferredAttribute)


def _field_source(field, name, index, connection, namespace):
    """(checks that keep this value on the fast path, the expression for its driver value)."""
    plain_type = passthrough_type(field)
    if plain_type is not None:
        namespace["T%d" % index] = plain_type
        check = "%s.__class__ is T%d" % (name, index)
        return ["(%s is None or %s)" % (name, check) if field.null else check], name
    if _is_plain_decimal(field):
        return _decimal_source(field, name, index, connection, namespace)
    namespace["prep%d" % index] = field.get_db_prep_save
    return ["not hasattr(%s, 'resolve_expression')" % name], "prep%d(%s, connection)" % (index, name)


def _decimal_source(field, name, index, connection, namespace):
    """DecimalField's save preparation for finite Decimals: the backend's adapter (the database rounds to the
    column's places, as with Django)."""
    namespace["Decimal%d" % index] = decimal.Decimal
    check = ["%s.__class__ is Decimal%d" % (name, index), "%s.is_finite()" % name]
    value = name
    if type(connection.ops).adapt_decimalfield_value is not BaseDatabaseOperations.adapt_decimalfield_value:
        namespace["adapt%d" % index] = connection.ops.adapt_decimalfield_value
        value = "adapt%d(%s, %r, %r)" % (index, value, field.max_digits, field.decimal_places)
    return check, value
