"""Array parameters typed to the column they are compared with (``col = ANY(%s)``).

psycopg types a list of ints by its largest value (``smallint[]``, ``integer[]``, ``bigint[]``).
PostgreSQL hashes a long ``= ANY(array)`` only when both sides have one type: ``bigint = ANY(integer[])``
is checked element by element for every row (5,000 ids: seconds instead of milliseconds). So a list
of ints compared with an integer column is cast to an array of that column's type, when every value
fits in it (a value out of the column's range cannot match, and the cast would fail). Other element
types (numeric, date, timestamptz, uuid, float) are typed by psycopg as the column's base type already,
and a list of strings is sent untyped, so the server takes the column's type.
"""
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as sa_postgresql

# Column type (as compiled) -> (array element type, smallest value, largest value).
_INTEGER_TYPES = {
    "SMALLINT": (sa.SmallInteger, -(2 ** 15), 2 ** 15 - 1),
    "INTEGER": (sa.Integer, -(2 ** 31), 2 ** 31 - 1),
    "BIGINT": (sa.BigInteger, -(2 ** 63), 2 ** 63 - 1),
}


def _column_integer_type(connection, field, memo):
    """The integer column type name of ``field`` (a key of _INTEGER_TYPES), or None; remembered per field."""
    try:
        return memo[field]
    except KeyError:
        pass
    try:
        name = field.db_type(connection).upper()
    except (AttributeError, NotImplementedError):
        name = None
    memo[field] = name = name if name in _INTEGER_TYPES else None
    return name


def array_element_type(connection, field, values, memo):
    """The column type name an IN list of driver ``values`` is cast to for ``field``, or None (no cast)."""
    if field is None or type(values[0]) is not int:
        return None
    name = _column_integer_type(connection, field, memo)
    if name is None:
        return None
    _, low, high = _INTEGER_TYPES[name]
    return name if low <= min(values) and max(values) <= high else None


def array_any_sa(lhs, parameter, element_type):
    """``lhs = ANY(parameter)``, the parameter cast to ``element_type[]`` when given."""
    if element_type is not None:
        parameter = sa.cast(parameter, sa_postgresql.ARRAY(_INTEGER_TYPES[element_type][0]()))
    return lhs == sa.any_(parameter)
