"""The N+1 detector: lazy loads grouped by (call site, model, relation), reported with the line and the fix.

``with ormlette.nplusone.detect(action="warn"):`` (or ``"raise"``, ``"log"``), or ``settings.NPLUSONE =
"warn"`` (``ORMLETTE_NPLUSONE=warn`` in the environment) for the whole process. A group of ``threshold``
(default 2) or more lazy loads from one line of user code is reported at that line (the warning's
filename and lineno) with the fix in code: ``.select_related("customer")``, ``.prefetch_related("items")``,
``.annotate(items_count=Count("items"))``, ``.only(..., "email")``. Relations loaded by
``select_related``/``prefetch_related`` and never read are reported too.

The relation code calls ``fetch_modes.listener`` / ``fetch_modes.evaluated`` only while a detector runs;
otherwise both are None and the detector costs one module-attribute test on a lazy load.
"""
import contextvars
import logging
import os
import sys
import threading
import warnings
from contextlib import contextmanager

from ormlette.db.models import fetch_modes as _fm

__all__ = ["detect", "collect", "NPlusOneWarning", "NPlusOneError", "Group", "Unused", "explain_queries",
           "enable_process_detector", "disable_process_detector"]

logger = logging.getLogger("ormlette.nplusone")
_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep
_ACTIONS = ("warn", "raise", "log", None)
_active = contextvars.ContextVar("ormlette_nplusone", default=None)
_lock = threading.Lock()
_running = 0  # detectors entered (context managers and the process one): the hooks are set while > 0
_process = None


class NPlusOneWarning(UserWarning):
    """A group of lazy loads (or an unused select_related/prefetch_related)."""


class NPlusOneError(AssertionError):
    """Raised by ``detect(action="raise")``: the groups found."""

    def __init__(self, message, groups=(), unused=()):
        super().__init__(message)
        self.groups = list(groups)
        self.unused = list(unused)


class Group:
    """Lazy loads of one relation of one model from one line of user code."""

    def __init__(self, filename, lineno, model, relation, kind, query_name=None):
        self.filename, self.lineno = filename, lineno
        self.model, self.relation, self.kind = model, relation, kind
        self.query_name = query_name or relation
        self.count = 0

    @property
    def fix(self):
        """The fix, in code."""
        model = self.model.__name__
        if self.kind in ("forward", "reverse_one"):
            return '%s.objects.select_related("%s")' % (model, self.relation)
        if self.kind == "deferred":
            return '%s.objects.only(..., "%s")  (or drop "%s" from .defer(...))' % (model, self.relation, self.relation)
        if self.kind in ("count", "exists"):
            return '%s.objects.annotate(%s_count=Count("%s"))' % (model, self.query_name, self.query_name)
        if self.kind == "aggregate":
            return ('%s.objects.annotate(%s_count=Count("%s"))  (or Sum/Avg/Max of "%s__<field>")'
                    % (model, self.query_name, self.query_name, self.query_name))
        return '%s.objects.prefetch_related("%s")' % (model, self.relation)

    @property
    def what(self):
        """What ran, in words."""
        where = "%s.%s" % (self.model.__name__, self.relation)
        if self.kind == "deferred":
            return "lazy loads of the deferred field %s" % where
        if self.kind == "many":
            return "queries through the related manager %s" % where
        if self.kind in ("count", "exists", "aggregate"):
            return "%s() queries on %s" % (self.kind, where)
        return "lazy loads of %s" % where

    def message(self):
        """The report line: where, how many, the fix."""
        return "N+1 queries at %s:%d: %d %s (one query per object). Fix: %s" % (
            shown_path(self.filename), self.lineno, self.count, self.what, self.fix)

    def __repr__(self):
        return "<Group %s:%d %s.%s x%d>" % (self.filename, self.lineno, self.model.__name__, self.relation, self.count)


class Unused:
    """A select_related/prefetch_related whose objects were loaded and never read."""

    def __init__(self, filename, lineno, model, method, name, objects):
        self.filename, self.lineno = filename, lineno
        self.model, self.method, self.name, self.objects = model, method, name, objects

    def message(self):
        """The report line."""
        return "Unused %s(%r) on %s at %s:%d: loaded for %d objects and never read. Fix: drop it" % (
            self.method, self.name, self.model.__name__, shown_path(self.filename), self.lineno, self.objects)


class _TouchedCache(dict):
    """An instance cache that records which keys the relation code reads (while a detector runs)."""

    __slots__ = ("touched",)

    def __getitem__(self, key):
        self.touched.add(key)
        return dict.__getitem__(self, key)

    def get(self, key, default=None):
        """dict.get, recording the read."""
        if key in self:
            self.touched.add(key)
        return dict.get(self, key, default)

    def __reduce__(self):
        return dict, (dict(self),)


class Detector:
    """Collects lazy loads and eager loads for one ``detect()`` block (or the whole process)."""

    def __init__(self, action="warn", threshold=2, unused=True, once=False):
        if action not in _ACTIONS:
            raise ValueError("action must be 'warn', 'raise', 'log' or None, not %r." % (action,))
        if not isinstance(threshold, int) or threshold < 1:
            raise ValueError("threshold must be a positive integer, not %r." % (threshold,))
        self.action, self.threshold, self.track_unused, self.once = action, threshold, unused, once
        self.loads = {}
        self.eager = []
        self._seen = set()
        self._reported = set()

    # -- recording ------------------------------------------------------------------------------------
    def lazy_load(self, kind, instance, name, query_name=None):
        """One lazy load (or related-manager query) of ``name`` on ``instance``."""
        frame, inner = _user_frame(sys._getframe(2))
        if kind == "many":
            kind = _manager_operation(inner)
        filename, lineno = (frame.f_code.co_filename, frame.f_lineno) if frame is not None else ("?", 0)
        key = (filename, lineno, type(instance), name, kind)
        group = self.loads.get(key)
        if group is None:
            group = self.loads[key] = Group(filename, lineno, type(instance), name, kind, query_name)
        group.count += 1
        if self.once and group.count == self.threshold and key not in self._reported:
            self._reported.add(key)
            self._act([group], [])

    def evaluated(self, queryset):
        """A queryset filled its result cache: watch the relations it loaded eagerly."""
        results = queryset._result_cache
        if not self.track_unused or not results or id(results) in self._seen:
            return
        query = queryset.query
        selected = list(query.select_related) if isinstance(query.select_related, dict) else []
        prefetched = [getattr(lookup, "prefetch_to", lookup) for lookup in queryset._prefetch_related_lookups]
        prefetched = [lookup.split("__")[0] for lookup in prefetched if isinstance(lookup, str)]
        if not (selected or prefetched) or not hasattr(results[0], "_state"):
            return
        self._seen.add(id(results))
        touched = set()
        for obj in results:
            _watch(obj, touched)
        frame, _ = _user_frame(sys._getframe(2))
        where = (frame.f_code.co_filename, frame.f_lineno) if frame is not None else ("?", 0)
        self.eager.append((where, type(results[0]), len(results), selected, prefetched, touched))

    # -- reporting ------------------------------------------------------------------------------------
    def groups(self):
        """The groups at or over the threshold, most loads first."""
        return sorted((g for g in self.loads.values() if g.count >= self.threshold), key=lambda g: -g.count)

    def unused(self):
        """The eager loads nobody read."""
        found = []
        for (filename, lineno), model, objects, selected, prefetched, touched in self.eager:
            for method, names in (("select_related", selected), ("prefetch_related", prefetched)):
                for name in names:
                    if name not in touched:
                        found.append(Unused(filename, lineno, model, method, name, objects))
        return found

    def finish(self):
        """Report what the block found (the context manager's exit)."""
        self._act(self.groups(), self.unused())

    def _act(self, groups, unused):
        if not (groups or unused) or self.action is None:
            return
        items = list(groups) + list(unused)
        if self.action == "raise":
            raise NPlusOneError("\n".join(item.message() for item in items), groups, unused)
        for item in items:
            if self.action == "warn":
                warnings.warn_explicit(item.message(), NPlusOneWarning, item.filename, item.lineno,
                                       module=_module_name(item.filename))
            else:
                logger.warning(item.message())


def _watch(obj, touched):
    """Swap ``obj``'s relation caches for recording ones sharing ``touched``."""
    state = obj._state
    cache = _TouchedCache(state.fields_cache)
    cache.touched = touched
    state.fields_cache = cache
    prefetched = obj.__dict__.get("_prefetched_objects_cache")
    if prefetched is not None:
        cache = _TouchedCache(prefetched)
        cache.touched = touched
        obj.__dict__["_prefetched_objects_cache"] = cache


def _user_frame(frame):
    """(first frame outside ormlette, the last ormlette frame before it)."""
    inner = None
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE_DIR):
        inner, frame = frame, frame.f_back
    return frame, inner


def _manager_operation(frame):
    """"count" or "exists" when a related manager's query is a count()/exists(), else "many"."""
    names = []
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE_DIR):
        names.append(frame.f_code.co_name)
        if frame.f_code.co_name == "manager_method":
            names.append(frame.f_locals.get("name"))
        frame = frame.f_back
    for name in names:
        if name in ("count", "acount"):
            return "count"
        if name in ("exists", "aexists"):
            return "exists"
        if name in ("aggregate", "aaggregate"):
            return "aggregate"
    return "many"


def shown_path(filename):
    """``filename`` relative to the working folder when it is inside it (as tracebacks are read)."""
    cwd = os.getcwd() + os.sep
    return filename[len(cwd):] if filename.startswith(cwd) else filename


def _module_name(filename):
    return os.path.splitext(os.path.basename(filename))[0]


# -- the hooks ---------------------------------------------------------------------------------------
def _current():
    return _active.get() or _process


def _on_lazy_load(kind, instance, name, query_name=None):
    detector = _current()
    if detector is not None:
        detector.lazy_load(kind, instance, name, query_name)


def _on_evaluated(queryset):
    detector = _current()
    if detector is not None:
        detector.evaluated(queryset)


def _start():
    global _running
    with _lock:
        _running += 1
        _fm.listener, _fm.evaluated = _on_lazy_load, _on_evaluated


def _stop():
    global _running
    with _lock:
        _running -= 1
        if not _running:
            _fm.listener = _fm.evaluated = None


@contextmanager
def detect(action="warn", threshold=2, unused=True):
    """Detect N+1 queries in the block; report them at its end (``warn``, ``raise`` or ``log``).

    Works for sync code and async code (tasks started in the block inherit it). Yields the Detector.
    """
    detector = Detector(action, threshold, unused)
    token = _active.set(detector)
    _start()
    failed = False
    try:
        yield detector
    except BaseException:
        failed = True
        raise
    finally:
        _active.reset(token)
        _stop()
        if not failed:
            detector.finish()


def collect(threshold=2, unused=False):
    """``detect()`` that only collects (no report): read ``.groups()`` after the block."""
    return detect(action=None, threshold=threshold, unused=unused)


def enable_process_detector(action="warn", threshold=2):
    """Turn the detector on for the whole process: each group is reported once, when it reaches the threshold."""
    global _process
    if _process is not None:
        disable_process_detector()
    _process = Detector(action, threshold, unused=False, once=True)
    _start()
    return _process


def disable_process_detector():
    """Turn the process-wide detector off."""
    global _process
    if _process is not None:
        _process = None
        _stop()


def configure_from_settings():
    """Start the process detector when ``settings.NPLUSONE`` or ``ORMLETTE_NPLUSONE`` names an action."""
    from ormlette.conf import settings

    action = os.environ.get("ORMLETTE_NPLUSONE") or getattr(settings, "NPLUSONE", None)
    if action and _process is None:
        enable_process_detector(action, int(os.environ.get("ORMLETTE_NPLUSONE_THRESHOLD", "2")))


def explain_queries(captured, groups=None):
    """Text to append to a query-count failure: the N+1 groups and their fixes, and repeated statements.

    ``captured`` is CaptureQueriesContext.captured_queries (dicts with "sql"); ``groups`` the detector's
    groups collected over the same block.
    """
    lines = []
    for group in groups or ():
        lines.append(group.message())
    repeated = {}
    for query in captured:
        shape = _shape(query["sql"])
        repeated[shape] = repeated.get(shape, 0) + 1
    for shape, count in sorted(repeated.items(), key=lambda item: -item[1]):
        if count >= 2 and not groups:
            lines.append("%d similar queries: %s" % (count, shape))
    if not lines:
        return ""
    return "\nN+1 analysis (ormlette.nplusone):\n" + "\n".join(lines)


def _shape(sql):
    """The statement with its literals replaced by ``?`` (similar queries share a shape)."""
    from ormlette.reporting.shapes import sql_shape

    return sql_shape(sql)
