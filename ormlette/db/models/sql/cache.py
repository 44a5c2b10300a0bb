"""The shape-keyed statement cache: key -> SQL text, parameter order, row layout."""
import re
import threading

from ormlette.db.models.sql.context import render_raw  # noqa: F401 (registers the compiler hook)

MAX_ENTRIES = 4096
_OUR_PARAM = re.compile(r"^p(\d+)$")


class CompiledStatement:
    """SQL text for one query shape and how to order its parameters."""

    __slots__ = ("sql", "order", "constants", "direct", "layout", "paramstyle", "extra", "display")

    def __init__(self, sql, order, constants, paramstyle, value_count):
        self.sql = sql
        self.order = order
        self.constants = constants
        self.paramstyle = paramstyle
        self.direct = not constants and order == tuple(range(value_count))
        self.layout = None
        self.extra = None
        self.display = None

    def arrange(self, values):
        """Parameters in placeholder order for these values."""
        if self.direct:
            return values
        full = list(values) + self.constants if self.constants else values
        return [full[i] for i in self.order]

    def display_sql(self):
        """The SQL with ``%s`` placeholders (qmark dialects converted)."""
        if self.display is None:
            qmark = self.paramstyle == "qmark"
            self.display = self.sql.replace("%", "%%").replace("?", "%s") if qmark else self.sql
        return self.display


def compile_statement(stmt, connection, value_count):
    """Render a SQLAlchemy statement once for this connection's dialect."""
    compiled = stmt.compile(dialect=connection.sa_dialect)
    constants, order = [], []
    for name in compiled.positiontup or ():
        match = _OUR_PARAM.match(name)
        if match:
            order.append(int(match.group(1)))
        else:
            # SQLAlchemy-made parameters hold constants written in our code (e.g. CASE ... THEN 1).
            order.append(value_count + len(constants))
            constants.append(compiled.binds[name].effective_value)
    return CompiledStatement(str(compiled), tuple(order), constants, connection.sa_dialect.paramstyle, value_count)


class StatementCache:
    """A bounded dict shared by all threads of one database alias."""

    def __init__(self):
        self.entries = {}
        self.lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key):
        """The entry for a shape, or None."""
        entry = self.entries.get(key)
        if entry is None:
            self.misses += 1
        else:
            self.hits += 1
        return entry

    def put(self, key, entry):
        """Store an entry, dropping the oldest half when full."""
        with self.lock:
            if len(self.entries) >= MAX_ENTRIES:
                for old in list(self.entries)[: MAX_ENTRIES // 2]:
                    self.entries.pop(old, None)
            self.entries[key] = entry

    def __len__(self):
        return len(self.entries)

    def clear(self):
        """Forget every entry."""
        self.entries.clear()


_caches = {}


def statement_cache(connection):
    """The cache for this connection's alias and vendor."""
    key = (connection.alias, connection.vendor)
    cache = _caches.get(key)
    if cache is None:
        cache = _caches.setdefault(key, StatementCache())
    return cache
