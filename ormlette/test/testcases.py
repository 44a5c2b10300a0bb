"""SimpleTestCase, TransactionTestCase and TestCase: Django's test isolation on ormlette's connections."""
import asyncio
import inspect
import logging
import sys
import unittest
from contextlib import contextmanager
from copy import deepcopy

from ormlette.core.exceptions import ImproperlyConfigured
from ormlette.db import DEFAULT_DB_ALIAS, connections, transaction
from ormlette.test import guard
from ormlette.test.assertions import AssertionsMixin
from ormlette.test.overrides import modify_settings, override_settings

logger = logging.getLogger("ormlette.test")


def run_coroutine(coroutine):
    """Run an async test method to completion on a fresh event loop (Django's async_to_sync role)."""
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(coroutine)
    finally:
        try:
            loop.run_until_complete(loop.shutdown_asyncgens())
        finally:
            loop.close()


class SimpleTestCase(AssertionsMixin, unittest.TestCase):
    """A test case that refuses database access (unless ``databases`` names the aliases it may use)."""

    databases = set()
    _overridden_settings = {}
    _modified_settings = []
    _disallowed_message = ("Database queries to %(alias)r are not allowed in SimpleTestCase subclasses. Either "
                           "subclass TestCase or TransactionTestCase to ensure proper test isolation or add "
                           "%(alias)r to %(test)s.databases to silence this failure.")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if cls._overridden_settings:
            cls._enter_class_context(override_settings(**cls._overridden_settings))
        if cls._modified_settings:
            cls._enter_class_context(modify_settings(cls._modified_settings))
        rule = guard.push_rule(cls._validate_databases(), cls._refusal)
        cls.addClassCleanup(guard.pop_rule, rule)

    @classmethod
    def _enter_class_context(cls, context):
        context.enable()
        cls.addClassCleanup(context.disable)

    @classmethod
    def _refusal(cls, alias):
        return cls._disallowed_message % {"alias": alias, "test": "%s.%s" % (cls.__module__, cls.__qualname__)}

    @classmethod
    def _validate_databases(cls):
        """The aliases in ``databases`` ("__all__" for every configured one), checked against DATABASES."""
        if cls.databases == "__all__":
            return frozenset(connections)
        for alias in cls.databases:
            if alias not in connections:
                raise ImproperlyConfigured("%s.%s.databases refers to %r which is not defined in settings.DATABASES."
                                           % (cls.__module__, cls.__qualname__, alias))
        return frozenset(cls.databases)

    def __call__(self, result=None):
        """Run the test between _pre_setup and _post_teardown (as Django's SimpleTestCase)."""
        self._setup_and_call(result)

    def debug(self):
        """Run the test without collecting errors in a TestResult."""
        self._setup_and_call(None, debug=True)

    def _setup_and_call(self, result, debug=False):
        test_method = getattr(self, self._testMethodName)
        skipped = getattr(self.__class__, "__unittest_skip__", False) or getattr(test_method, "__unittest_skip__", False)
        if not skipped:
            try:
                self._pre_setup()
            except Exception:
                if debug:
                    raise
                result.addError(self, sys.exc_info())
                return
        if debug:
            super().debug()
        else:
            super().__call__(result)
        if not skipped:
            try:
                self._post_teardown()
            except Exception:
                if debug:
                    raise
                result.addError(self, sys.exc_info())

    def _pre_setup(self):
        """Hook run before setUp."""

    def _post_teardown(self):
        """Hook run after tearDown."""

    def _callTestMethod(self, method):
        # ``async def test_...`` runs on a fresh loop, inside the same isolation as a sync test.
        if inspect.iscoroutinefunction(method):
            run_coroutine(method())
        else:
            super()._callTestMethod(method)

    def settings(self, **kwargs):
        """A context manager overriding settings for a block."""
        return override_settings(**kwargs)

    def modify_settings(self, **kwargs):
        """A context manager appending to / prepending to / removing from list settings."""
        return modify_settings(**kwargs)


def _flushable_tables(connection, available_apps=None):
    """The tables of every registered concrete model (auto m2m included) present in the database."""
    from ormlette.db.models.registry import all_models

    tables = set()
    for model in all_models():
        opts = model._meta
        if opts.abstract or opts.proxy or not opts.managed:
            continue
        if available_apps is not None and opts.app_label not in available_apps:
            continue
        tables.add(opts.db_table)
        for field in opts.local_many_to_many:
            through = field.remote_field.through
            if not isinstance(through, str) and through._meta.auto_created:
                tables.add(through._meta.db_table)
    return tables & connection.creation.table_names()


class TransactionTestCase(SimpleTestCase):
    """Tests that may commit: every table is emptied after each test (``reset_sequences`` restarts keys)."""

    databases = {DEFAULT_DB_ALIAS}
    reset_sequences = False
    available_apps = None
    fixtures = None
    serialized_rollback = False
    _disallowed_message = ("Database queries to %(alias)r are not allowed in this test. Add %(alias)r to "
                           "%(test)s.databases to ensure proper test isolation and silence this failure.")

    @classmethod
    def _databases_names(cls):
        names = cls._validate_databases()
        return sorted(names, key=lambda alias: (alias != DEFAULT_DB_ALIAS, alias))

    def _pre_setup(self):
        super()._pre_setup()
        self._fixture_setup()

    def _fixture_setup(self):
        if self.fixtures:
            raise NotImplementedError(
                "%s.fixtures: loading fixtures needs loaddata, which ormlette does not provide yet."
                % type(self).__qualname__)
        for alias in self._databases_names():
            connection = connections[alias]
            if self.reset_sequences:
                connection.creation.flush(_flushable_tables(connection, self.available_apps), reset_sequences=True)
            if self.serialized_rollback:
                raise NotImplementedError("%s.serialized_rollback: restoring the database's initial contents "
                                          "is not supported yet." % type(self).__qualname__)

    def _post_teardown(self):
        try:
            self._fixture_teardown()
            super()._post_teardown()
        finally:
            if self._should_reload_connections():
                for connection in connections.all(initialized_only=True):
                    connection.close()

    def _should_reload_connections(self):
        return True

    def _fixture_teardown(self):
        for alias in self._databases_names():
            connection = connections[alias]
            connection.creation.flush(_flushable_tables(connection, self.available_apps))


def connections_support_transactions(aliases=None):
    """Whether every connection in ``aliases`` (all when None) supports transactions."""
    aliases = connections if aliases is None else aliases
    return all(connections[alias].features.supports_transactions for alias in aliases)


class TestData:
    """Class data made in setUpTestData, deep-copied the first time each test reads it (Django 3.2+)."""

    memo_attr = "_ormlette_testdata_memo"

    def __init__(self, name, data):
        self.name = name
        self.data = data

    def get_memo(self, testcase):
        """The deepcopy memo shared by the attributes of one test (so shared references stay shared)."""
        try:
            return getattr(testcase, self.memo_attr)
        except AttributeError:
            memo = {}
            setattr(testcase, self.memo_attr, memo)
            return memo

    def __get__(self, instance, owner):
        if instance is None:
            return self.data
        data = deepcopy(self.data, self.get_memo(instance))
        setattr(instance, self.name, data)
        return data

    def __repr__(self):
        return "<TestData: name=%r, data=%r>" % (self.name, self.data)


def _mark_from_testcase(atomic):
    atomic._from_testcase = True  # durable=True blocks may nest inside a test's own atomic blocks
    return atomic


class TestCase(TransactionTestCase):
    """Each test runs in a savepoint inside a class-wide transaction; both are rolled back."""

    @classmethod
    def _enter_atomics(cls):
        atomics = {}
        for alias in cls._databases_names():
            atomic = _mark_from_testcase(transaction.atomic(using=alias))
            atomic.__enter__()
            atomics[alias] = atomic
            # Async twins inside the test run on this connection and see (and roll back) its rows.
            connections.share_with_async(alias, connections[alias])
        return atomics

    @classmethod
    def _rollback_atomics(cls, atomics):
        for alias, atomic in reversed(list(atomics.items())):
            try:
                transaction.set_rollback(True, using=alias)
                atomic.__exit__(None, None, None)
            finally:
                connections.share_with_async(alias, None)

    @classmethod
    def _databases_support_transactions(cls):
        return connections_support_transactions(cls._databases_names())

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not cls._databases_support_transactions():
            return
        cls.cls_atomics = cls._enter_atomics()
        try:
            if cls.fixtures:
                raise NotImplementedError(
                    "%s.fixtures: loading fixtures needs loaddata, which ormlette does not provide yet."
                    % cls.__qualname__)
            before = cls.__dict__.copy()
            cls.setUpTestData()
        except BaseException:
            cls._rollback_atomics(cls.cls_atomics)
            raise
        for name, value in cls.__dict__.copy().items():
            if value is not before.get(name):
                setattr(cls, name, TestData(name, value))

    @classmethod
    def tearDownClass(cls):
        if cls._databases_support_transactions():
            cls._rollback_atomics(cls.cls_atomics)
            for connection in connections.all(initialized_only=True):
                connection.close()
        super().tearDownClass()

    @classmethod
    def setUpTestData(cls):
        """Load data shared by every test of the class (rolled back after the class)."""

    def _should_reload_connections(self):
        return not self._databases_support_transactions()

    def _fixture_setup(self):
        if not self._databases_support_transactions():
            # No transactions: behave as a TransactionTestCase (setUpTestData runs per test).
            self.setUpTestData()
            return super()._fixture_setup()
        if self.reset_sequences:
            raise TypeError("reset_sequences cannot be used on TestCase instances")
        self.atomics = self._enter_atomics()

    def _fixture_teardown(self):
        if not self._databases_support_transactions():
            return super()._fixture_teardown()
        self._rollback_atomics(self.atomics)

    @classmethod
    @contextmanager
    def captureOnCommitCallbacks(cls, *, using=DEFAULT_DB_ALIAS, execute=False):
        """Collect the on_commit callbacks registered in the block (and run them with ``execute=True``)."""
        callbacks = []
        start_count = len(connections[using].run_on_commit)
        try:
            yield callbacks
        finally:
            while True:
                hooks = connections[using].run_on_commit
                callback_count = len(hooks)
                for _, callback, robust in hooks[start_count:]:
                    callbacks.append(callback)
                    if execute:
                        _run_callback(callback, robust)
                if callback_count == len(connections[using].run_on_commit):
                    break
                start_count = callback_count


def _run_callback(callback, robust):
    if not robust:
        callback()
        return
    try:
        callback()
    except Exception as exc:  # noqa: BLE001 - robust callbacks log and carry on, as on a real commit
        logger.error("Error calling %s in on_commit() (%s).", getattr(callback, "__qualname__", callback), exc,
                     exc_info=True)
