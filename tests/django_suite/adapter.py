"""The ``django.test`` Django's tests import, over ormlette.

Every name ormlette.test (or ormlette.test.utils) defines is taken from there. The names it does
not define yet come from this module: a temporary stand-in for the TestCase family of the testing
issue (#14), kept inside the runner and shrinking as ormlette.test grows. Nothing here is used
by ormlette itself.
"""
import copy
import functools
import importlib
import inspect
import time
import types
import unittest
import warnings
from contextlib import contextmanager

from ormlette.db import DEFAULT_DB_ALIAS, connections, transaction
from ormlette.db.models import registry

EXPORTS = {
    "django.test": [
        "SimpleTestCase", "TransactionTestCase", "TestCase", "skipUnlessDBFeature", "skipIfDBFeature",
        "skipUnlessAnyDBFeature", "override_settings", "modify_settings", "ignore_warnings",
    ],
    "django.test.testcases": [
        "SimpleTestCase", "TransactionTestCase", "TestCase", "skipUnlessDBFeature", "skipIfDBFeature",
        "skipUnlessAnyDBFeature", "SerializeMixin",
    ],
    "django.test.utils": [
        "CaptureQueriesContext", "override_settings", "modify_settings", "isolate_apps", "register_lookup",
        "ignore_warnings", "Approximate", "requires_tz_support",
    ],
}
ORMLETTE_SOURCES = {
    "django.test": ("ormlette.test",),
    "django.test.testcases": ("ormlette.test.testcases", "ormlette.test"),
    "django.test.utils": ("ormlette.test.utils", "ormlette.test"),
}


def test_module(fullname):
    """Build the module Django's tests see as ``fullname``: ormlette.test's names first, then ours."""
    module = types.ModuleType(fullname, "ormlette.test for Django's tests (%s)" % fullname)
    module.__path__ = []
    ours = globals()
    sources = []
    for source in ORMLETTE_SOURCES[fullname]:
        try:
            sources.append(importlib.import_module(source))
        except ImportError:
            pass
    for name in EXPORTS[fullname]:
        for source in sources:
            if hasattr(source, name):
                setattr(module, name, getattr(source, name))
                break
        else:
            setattr(module, name, ours[name])
    for source in sources:
        for name in getattr(source, "__all__", ()):
            if not hasattr(module, name):
                setattr(module, name, getattr(source, name))
    return module


def _aliases(databases):
    return sorted(connections) if databases == "__all__" else sorted(databases)


# --- settings ------------------------------------------------------------------

class override_settings:
    """Change settings for a block, a test method or a test class (restored afterwards)."""

    def __init__(self, **options):
        self.options = options
        self.saved = []

    def enable(self):
        from ormlette.conf import settings

        missing = object()
        self.saved.append({name: settings.__dict__.get(name, missing) for name in self.options})
        for name, value in self.options.items():
            setattr(settings, name, value)
        self._missing = missing

    def disable(self):
        from ormlette.conf import settings

        for name, value in self.saved.pop().items():
            if value is self._missing:
                delattr(settings, name)
            else:
                setattr(settings, name, value)

    def __enter__(self):
        self.enable()
        return self

    def __exit__(self, *exc_info):
        self.disable()

    def __call__(self, target):
        if isinstance(target, type):
            return self._decorate_class(target)

        @functools.wraps(target)
        def inner(*args, **kwargs):
            with self:
                return target(*args, **kwargs)
        return inner

    def _decorate_class(self, cls):
        original_setup, original_teardown = cls.setUpClass.__func__, cls.tearDownClass.__func__
        decorator = self

        def setUpClass(klass):
            decorator.enable()
            try:
                original_setup(klass)
            except BaseException:
                decorator.disable()
                raise

        def tearDownClass(klass):
            try:
                original_teardown(klass)
            finally:
                decorator.disable()
        cls.setUpClass, cls.tearDownClass = classmethod(setUpClass), classmethod(tearDownClass)
        return cls


class modify_settings(override_settings):
    """Append/prepend/remove items of list settings."""

    def __init__(self, **operations):
        self.operations = operations
        self.saved = []

    def enable(self):
        from ormlette.conf import settings

        self.options = {}
        for name, operation in self.operations.items():
            value = list(getattr(settings, name, []))
            for action, items in operation.items():
                items = [items] if isinstance(items, str) else list(items)
                if action == "append":
                    value += [item for item in items if item not in value]
                elif action == "prepend":
                    value = [item for item in items if item not in value] + value
                elif action == "remove":
                    value = [item for item in value if item not in items]
            self.options[name] = value
        super().enable()


# --- database features -----------------------------------------------------------

def _feature_skip(test_func, condition, reason):
    if isinstance(test_func, type):
        databases = getattr(test_func, "databases", {DEFAULT_DB_ALIAS}) or {DEFAULT_DB_ALIAS}
        if condition(_aliases(databases)[0]):
            return unittest.skip(reason)(test_func)
        return test_func

    @functools.wraps(test_func)
    def inner(*args, **kwargs):
        databases = getattr(args[0], "databases", {DEFAULT_DB_ALIAS}) if args else {DEFAULT_DB_ALIAS}
        if condition(_aliases(databases or {DEFAULT_DB_ALIAS})[0]):
            raise unittest.SkipTest(reason)
        return test_func(*args, **kwargs)
    return inner


def _features(alias):
    return connections[alias].features


def skipUnlessDBFeature(*features):
    """Skip unless the database has every named feature."""
    return lambda f: _feature_skip(
        f, lambda alias: not all(getattr(_features(alias), name, False) for name in features),
        "Database doesn't support feature(s): %s" % ", ".join(features))


def skipIfDBFeature(*features):
    """Skip if the database has any of the named features."""
    return lambda f: _feature_skip(
        f, lambda alias: any(getattr(_features(alias), name, False) for name in features),
        "Database has feature(s) %s" % ", ".join(features))


def skipUnlessAnyDBFeature(*features):
    """Skip unless the database has at least one of the named features."""
    return lambda f: _feature_skip(
        f, lambda alias: not any(getattr(_features(alias), name, False) for name in features),
        "Database doesn't support any of the feature(s): %s" % ", ".join(features))


# --- test case classes -----------------------------------------------------------------

class SimpleTestCase(unittest.TestCase):
    """unittest.TestCase with Django's assertion helpers; no database isolation."""

    databases = set()

    def __init__(self, methodName="runTest"):
        super().__init__(methodName)
        method = getattr(self, methodName, None)
        if method is not None and inspect.iscoroutinefunction(method):
            from asgiref.sync import async_to_sync

            setattr(self, methodName, async_to_sync(method))  # as Django: async tests run to completion

    def settings(self, **options):
        """override_settings as a context manager."""
        return override_settings(**options)

    def modify_settings(self, **operations):
        """modify_settings as a context manager."""
        return modify_settings(**operations)

    @contextmanager
    def _assert_raises_or_warns(self, func, expected, message, args, kwargs):
        with func(expected) as context:
            yield context
        text = str(getattr(context, "exception", None) or getattr(context, "warning", ""))
        self.assertIn(message, text)

    def assertRaisesMessage(self, expected_exception, expected_message, *args, **kwargs):
        """assertRaises that also checks the message contains ``expected_message``."""
        context = self._assert_raises_or_warns(self.assertRaises, expected_exception, expected_message,
                                               args, kwargs)
        if not args:
            return context
        with context:
            args[0](*args[1:], **kwargs)

    def assertWarnsMessage(self, expected_warning, expected_message, *args, **kwargs):
        """assertWarns that also checks the message contains ``expected_message``."""
        context = self._assert_raises_or_warns(self.assertWarns, expected_warning, expected_message,
                                               args, kwargs)
        if not args:
            return context
        with context:
            args[0](*args[1:], **kwargs)


class TransactionTestCase(SimpleTestCase):
    """Tables emptied after each test."""

    databases = {DEFAULT_DB_ALIAS}
    reset_sequences = False
    available_apps = None
    serialized_rollback = False

    def _post_teardown(self):
        for alias in _aliases(self.databases):
            _flush(alias)

    def run(self, result=None):
        try:
            return super().run(result)
        finally:
            self._post_teardown()

    def assertNumQueries(self, num, func=None, *args, using=DEFAULT_DB_ALIAS, **kwargs):
        """Assert the block (or call) runs exactly ``num`` queries."""
        from ormlette.test.utils import assert_num_queries

        return assert_num_queries(num, func, *args, using=using, **kwargs)

    def assertQuerySetEqual(self, qs, values, transform=None, ordered=True, msg=None):
        """Compare a queryset (mapped by ``transform``) with a list of values."""
        items = qs if transform is None else map(transform, qs)
        values = list(values)
        if not ordered:
            from collections import Counter

            return self.assertEqual(Counter(items), Counter(values), msg=msg)
        if len(values) > 1 and hasattr(qs, "ordered") and not qs.ordered:
            raise ValueError("Trying to compare non-ordered queryset against more than one ordered value.")
        return self.assertEqual(list(items), values, msg=msg)


def _flush(alias):
    connection = connections[alias]
    tables = set(connection.introspection.table_names()) if hasattr(connection, "introspection") else None
    with connection.cursor() as cursor:
        for model in registry.all_models():
            opts = model._meta
            if opts.abstract or opts.proxy or not getattr(opts, "managed", True):
                continue
            if tables is not None and opts.db_table not in tables:
                continue
            try:
                cursor.execute("DELETE FROM %s" % connection.ops.quote_name(opts.db_table))
            except Exception:
                pass  # a table the app never created


class TestCase(TransactionTestCase):
    """Class-wide transaction for setUpTestData, a savepoint per test rolled back afterwards."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._class_atomics = []
        for alias in _aliases(cls.databases):
            atomic = transaction.atomic(using=alias)
            atomic.__enter__()
            cls._class_atomics.append(atomic)
        before = set(cls.__dict__)
        try:
            cls.setUpTestData()
        except BaseException:
            cls._rollback_atomics(cls._class_atomics)
            raise
        cls._test_data = {name: cls.__dict__[name] for name in set(cls.__dict__) - before}

    @classmethod
    def tearDownClass(cls):
        cls._rollback_atomics(cls._class_atomics)
        super().tearDownClass()

    @classmethod
    def _rollback_atomics(cls, atomics):
        for atomic in reversed(atomics):
            if not connections[atomic.using].in_atomic_block:
                continue  # the test ended the transaction itself (closed the connection, ...)
            transaction.set_rollback(True, using=atomic.using)
            atomic.__exit__(None, None, None)

    @classmethod
    def setUpTestData(cls):
        """Create the class's test data (once, inside the class-wide transaction)."""

    def _post_teardown(self):
        pass

    def run(self, result=None):
        atomics = []
        for alias in _aliases(self.databases):
            atomic = transaction.atomic(using=alias)
            atomic.__enter__()
            atomics.append(atomic)
        memo = {}
        for name, value in getattr(type(self), "_test_data", {}).items():
            try:
                self.__dict__[name] = copy.deepcopy(value, memo)
            except Exception:
                self.__dict__[name] = value
        try:
            return unittest.TestCase.run(self, result)
        finally:
            self._rollback_atomics(atomics)

    @classmethod
    @contextmanager
    def captureOnCommitCallbacks(cls, *, using=DEFAULT_DB_ALIAS, execute=False):
        """Collect the on_commit callbacks registered in the block (and run them if ``execute``)."""
        callbacks = []
        connection = connections[using]
        start = len(connection.run_on_commit)
        try:
            yield callbacks
        finally:
            while True:
                added = connection.run_on_commit[start:]
                if not added:
                    break
                start += len(added)
                for _, func, _ in added:
                    callbacks.append(func)
                    if execute:
                        func()
                if not execute:
                    break


class SerializeMixin:
    """Tests run one app per process here: nothing to serialize."""


# --- utilities ------------------------------------------------------------------------------

def _capture_queries_context():
    from ormlette.test.utils import CaptureQueriesContext

    return CaptureQueriesContext


CaptureQueriesContext = _capture_queries_context()


@contextmanager
def register_lookup(field, *lookups, lookup_name=None):
    """Register lookups on a field class (or instance) for the block."""
    try:
        for lookup in lookups:
            field.register_lookup(lookup, lookup_name)
        yield
    finally:
        for lookup in lookups:
            field._unregister_lookup(lookup, lookup_name)


class isolate_apps:
    """Models declared in the block (or test) are forgotten afterwards."""

    def __init__(self, *installed_apps, attr_name=None, kwarg_name=None):
        self.attr_name = attr_name
        self.kwarg_name = kwarg_name

    def __enter__(self):
        self.saved = dict(registry._models)
        return registry.apps

    def __exit__(self, *exc_info):
        registry._models.clear()
        registry._models.update(self.saved)

    def __call__(self, target):
        decorator = self
        if isinstance(target, type):
            original_setup, original_teardown = target.setUp, target.tearDown

            def setUp(test):
                apps = decorator.__enter__()
                if decorator.attr_name:
                    setattr(test, decorator.attr_name, apps)
                original_setup(test)

            def tearDown(test):
                try:
                    original_teardown(test)
                finally:
                    decorator.__exit__(None, None, None)
            target.setUp, target.tearDown = setUp, tearDown
            return target

        @functools.wraps(target)
        def inner(*args, **kwargs):
            with decorator as apps:
                if decorator.kwarg_name:
                    kwargs[decorator.kwarg_name] = apps
                return target(*args, **kwargs)
        return inner


class ignore_warnings:
    """Silence the warnings matching the filter arguments in a block, function or class."""

    def __init__(self, **filter_kwargs):
        self.filter_kwargs = filter_kwargs

    def __enter__(self):
        self.catcher = warnings.catch_warnings()
        self.catcher.__enter__()
        warnings.filterwarnings("ignore", **self.filter_kwargs)

    def __exit__(self, *exc_info):
        self.catcher.__exit__(*exc_info)

    def __call__(self, target):
        if isinstance(target, type):
            original = target.setUp

            def setUp(test):
                self.__enter__()
                test.addCleanup(self.__exit__, None, None, None)
                original(test)
            target.setUp = setUp
            return target

        @functools.wraps(target)
        def inner(*args, **kwargs):
            with self:
                return target(*args, **kwargs)
        return inner


class Approximate:
    """Equal to numbers within ``places`` decimal places of ``val``."""

    def __init__(self, val, places=7):
        self.val = val
        self.places = places

    def __repr__(self):
        return repr(self.val)

    def __eq__(self, other):
        return self.val == other or round(abs(self.val - other), self.places) == 0


requires_tz_support = unittest.skipUnless(
    hasattr(time, "tzset"), "This test relies on the ability to run a program in an arbitrary time zone.")
