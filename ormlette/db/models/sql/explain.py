"""QuerySet.explain(): validated format and options, then the backend's EXPLAIN prefix."""
import re

from ormlette.core.exceptions import EmptyResultSet
from ormlette.db.errors import NotSupportedError
from ormlette.db.models.sql.compiler import compile_query

OPTION_NAME = re.compile(r"\w+")


def check_options(format, options, connection):
    """Raise Django's errors for an unknown format or option; return the upper-cased format."""
    for name in options:
        if not isinstance(name, str) or not OPTION_NAME.fullmatch(name) or "--" in name:
            raise ValueError("Invalid option name: %r." % (name,))
    features = connection.features
    if not features.supports_explaining_query_execution:
        raise NotSupportedError("This backend does not support explaining query execution.")
    if format is not None:
        if not isinstance(format, str):
            raise ValueError("%r is not a recognized format." % (format,))
        normalized = format.upper()
        supported = features.supported_explain_formats
        if normalized not in supported:
            message = "%s is not a recognized format." % normalized
            if supported:
                message += " Allowed formats: %s" % ", ".join(sorted(supported))
            else:
                message += " %s does not support any formats." % connection.display_name
            raise ValueError(message)
        format = normalized
    allowed = features.supported_explain_options
    unknown = [name for name in options if name.upper() not in allowed]
    if unknown:
        raise ValueError("Unknown options: %s" % ", ".join(sorted(unknown)))
    return format


def explain(query, connection, format=None, options=None):
    """The plan of ``query`` as text (one line per plan row)."""
    options = dict(options or {})
    format = check_options(format, options, connection)
    prefix = connection.ops.explain_sql(format, **{name.lower(): value for name, value in options.items()})
    entry, params = compile_query(query, connection)
    if entry is None:
        raise EmptyResultSet
    cursor = connection.new_cursor()
    try:
        connection.execute_sql(cursor, "%s %s" % (prefix, entry.sql), params)
        rows = cursor.fetchall()
    finally:
        cursor.close()
    lines = []
    for row in rows:
        lines.append(row if isinstance(row, str) else " ".join(str(col) for col in row))
    return "\n".join(lines)
