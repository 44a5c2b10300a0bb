"""Statement recording for the query report: an execute wrapper on each connection of the context."""
import os
import sys
import time

from ormlette.reporting.shapes import sql_shape


def shown_path(filename):
    """``filename`` relative to the working folder when inside it."""
    cwd = os.getcwd() + os.sep
    return filename[len(cwd):] if filename.startswith(cwd) else filename

_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep
STACK_DEPTH = 10


class Statement:
    """One executed statement: when, how long, rows, SQL and parameters, the user's stack."""

    __slots__ = ("index", "alias", "sql", "params", "many", "start", "duration", "rows", "stack", "error",
                 "explain")

    def __init__(self, index, alias, sql, params, many, start, stack):
        self.index, self.alias, self.sql, self.params, self.many = index, alias, sql, params, many
        self.start, self.stack = start, stack
        self.duration = 0.0
        self.rows = None
        self.error = None
        self.explain = None

    @property
    def shape(self):
        """The SQL with literals replaced (similar statements share it)."""
        return sql_shape(self.sql)

    @property
    def call_site(self):
        """The innermost user frame as ``file:line``."""
        if not self.stack:
            return "?"
        filename, lineno, _, _ = self.stack[-1]
        return "%s:%d" % (shown_path(filename), lineno)

    def as_dict(self):
        """JSON-ready data for the page."""
        return {"i": self.index, "db": self.alias, "sql": self.sql, "params": _show_params(self.params, self.many),
                "many": self.many, "start": round(self.start * 1000, 3), "ms": round(self.duration * 1000, 3),
                "rows": self.rows, "stack": [[shown_path(f), n, fn, src] for f, n, fn, src in self.stack], "site": self.call_site,
                "shape": self.shape, "error": self.error, "explain": self.explain}


def _show_params(params, many):
    if params is None:
        return None
    if many:
        return "%d parameter sets" % len(params) if hasattr(params, "__len__") else "many"
    try:
        return [p if isinstance(p, (int, float, str, bool)) or p is None else repr(p) for p in params]
    except TypeError:
        return repr(params)


def user_stack(frame, depth=STACK_DEPTH):
    """(file, line, function, source line) of the frames outside ormlette, outermost first."""
    import linecache

    frames = []
    while frame is not None and len(frames) < depth:
        code = frame.f_code
        if not code.co_filename.startswith(_PACKAGE_DIR):
            line = linecache.getline(code.co_filename, frame.f_lineno).strip()
            frames.append((code.co_filename, frame.f_lineno, code.co_name, line))
        frame = frame.f_back
    frames.reverse()
    return frames


class Recorder:
    """Records every statement run through the connections it is attached to."""

    def __init__(self):
        self.statements = []
        self.origin = time.perf_counter()
        self._attached = []

    def attach(self, connection):
        """Install the recording wrapper on ``connection``."""
        wrapper = self._wrapper_for(connection.alias)
        connection.execute_wrappers.append(wrapper)
        self._attached.append((connection, wrapper))

    def detach(self):
        """Remove the wrappers this recorder installed."""
        for connection, wrapper in self._attached:
            try:
                connection.execute_wrappers.remove(wrapper)
            except ValueError:
                pass
        self._attached = []

    def _wrapper_for(self, alias):
        def record(execute, sql, params, many, context):
            started = time.perf_counter()
            statement = Statement(len(self.statements) + 1, alias, sql, params, many, started - self.origin,
                                  user_stack(sys._getframe(1)))
            self.statements.append(statement)
            try:
                result = execute(sql, params, many, context)
            except Exception as exc:
                statement.error = "%s: %s" % (type(exc).__name__, exc)
                raise
            finally:
                statement.duration = time.perf_counter() - started
            rowcount = getattr(context.get("cursor"), "rowcount", -1)
            statement.rows = rowcount if isinstance(rowcount, int) and rowcount >= 0 else None
            return result

        return record
