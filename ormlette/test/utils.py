"""Query capture and query budgets (``CaptureQueriesContext``, ``assert_num_queries``)."""
from contextlib import contextmanager

from ormlette.db import DEFAULT_DB_ALIAS, connections


class CaptureQueriesContext:
    """Record every statement run on a connection inside the block."""

    def __init__(self, connection=None):
        self.connection = connection if connection is not None else connections[DEFAULT_DB_ALIAS]

    def __iter__(self):
        return iter(self.captured_queries)

    def __getitem__(self, index):
        return self.captured_queries[index]

    def __len__(self):
        return len(self.captured_queries)

    @property
    def captured_queries(self):
        """[{"sql": ..., "time": ...}] recorded in the block."""
        return self.connection.queries[self.initial_queries:self.final_queries]

    def __enter__(self):
        self.force_debug_cursor = self.connection.force_debug_cursor
        self.connection.force_debug_cursor = True
        self.connection.ensure_connection()
        self.initial_queries = len(self.connection.queries_log)
        self.final_queries = None
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        self.connection.force_debug_cursor = self.force_debug_cursor
        if exc_type is not None:
            return
        self.final_queries = len(self.connection.queries_log)


class _AssertNumQueriesContext(CaptureQueriesContext):
    def __init__(self, num, connection, message=None, test_case=None):
        self.num = num
        self.message = message
        self.test_case = test_case
        super().__init__(connection)

    def __enter__(self):
        from ormlette import nplusone

        self._nplusone = nplusone.collect()
        self._detector = self._nplusone.__enter__()
        return super().__enter__()

    def __exit__(self, exc_type, exc_value, traceback):
        self._nplusone.__exit__(None, None, None)
        super().__exit__(exc_type, exc_value, traceback)
        if exc_type is not None:
            return
        executed = len(self)
        lines = "\n".join("%d. %s" % (i, q["sql"]) for i, q in enumerate(self.captured_queries, start=1))
        # Django's message, word for word; the N+1 groups and an extra message may follow it, never change it.
        text = "%d queries executed, %d expected\nCaptured queries were:\n%s%s%s" % (
            executed, self.num, lines, ("\n" + self.message) if self.message else "",
            explain_failure(self.captured_queries, self._detector))
        if self.test_case is not None:
            self.test_case.assertEqual(executed, self.num, text)
        elif executed != self.num:
            raise AssertionError("%d != %d : %s" % (executed, self.num, text))


def explain_failure(captured, detector):
    """The N+1 groups and their fixes, appended to a query-count failure (Django's message stays as it is)."""
    from ormlette.nplusone import explain_queries

    return explain_queries(captured, detector.groups())


def assert_num_queries(num, func=None, *args, using=DEFAULT_DB_ALIAS, **kwargs):
    """Assert that exactly ``num`` queries run (context manager, or call ``func``)."""
    context = _AssertNumQueriesContext(num, connections[using])
    if func is None:
        return context
    with context:
        func(*args, **kwargs)


assertNumQueries = assert_num_queries


@contextmanager
def assert_max_queries(num, using=DEFAULT_DB_ALIAS):
    """Assert that at most ``num`` queries run."""
    from ormlette import nplusone

    with nplusone.collect() as detector, CaptureQueriesContext(connections[using]) as context:
        yield context
    if len(context) > num:
        lines = "\n".join("%d. %s" % (i, q["sql"]) for i, q in enumerate(context.captured_queries, start=1))
        raise AssertionError("%d queries executed, at most %d expected\n%s%s" % (
            len(context), num, lines, explain_failure(context.captured_queries, detector)))


from ormlette.test.overrides import (  # noqa: E402  (django.test.utils' names, re-exported)
    TestContextDecorator, ignore_warnings, isolate_apps, modify_settings, override_settings,
)
from ormlette.test.signals import setting_changed  # noqa: E402, F401
from ormlette.test.databases import setup_databases, teardown_databases  # noqa: E402, F401


@contextmanager
def register_lookup(field, *lookups, lookup_name=None):
    """Register lookups (or transforms) on a field class or instance for the block, as Django's."""
    if lookup_name is not None and len(lookups) != 1:
        raise ValueError("lookup_name can only be used with a single lookup.")
    try:
        for lookup in lookups:
            field.register_lookup(lookup, lookup_name)
        yield
    finally:
        for lookup in lookups:
            field._unregister_lookup(lookup, lookup_name)
