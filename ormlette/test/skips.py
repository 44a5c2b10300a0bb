"""skipUnlessDBFeature, skipIfDBFeature, skipUnlessAnyDBFeature: skips decided when the test runs."""
import functools
import inspect
import unittest

from ormlette.db import DEFAULT_DB_ALIAS, connection


class CheckCondition:
    """A ``__unittest_skip__`` value that evaluates its conditions when unittest (or pytest) asks."""

    def __init__(self, *conditions):
        self.conditions = conditions

    def add_condition(self, condition, reason):
        """A new CheckCondition with one more (condition, reason)."""
        return self.__class__(*self.conditions, (condition, reason))

    def __get__(self, instance, cls=None):
        # Conditions of the parent classes are checked first.
        if any(getattr(base, "__unittest_skip__", False) for base in cls.__bases__):
            return True
        for condition, reason in self.conditions:
            if condition():
                cls.__unittest_skip_why__ = reason
                return True
        return False


def _refuse_default(name, test):
    return ValueError("%s cannot be used on %s as it doesn't allow queries against the '%s' database."
                      % (name, test, DEFAULT_DB_ALIAS))


def _deferred_skip(condition, reason, name):
    def decorator(test_item):
        if isinstance(test_item, type) and issubclass(test_item, unittest.TestCase):
            return _skip_class(test_item, condition, reason, name)
        return _skip_callable(test_item, condition, reason, name)

    return decorator


def _skip_class(cls, condition, reason, name):
    databases = getattr(cls, "databases", None)
    if not databases or (databases != "__all__" and DEFAULT_DB_ALIAS not in databases):
        def condition():  # raised when the class runs, so its module still imports
            raise _refuse_default(name, cls)
    skip = cls.__dict__.get("__unittest_skip__")
    if isinstance(skip, CheckCondition):
        cls.__unittest_skip__ = skip.add_condition(condition, reason)
    elif skip is not True:
        cls.__unittest_skip__ = CheckCondition((condition, reason))
    return cls


def _skip_callable(func, condition, reason, name):
    def check(args):
        if args and isinstance(args[0], unittest.TestCase):
            databases = getattr(args[0], "databases", {})
            if databases != "__all__" and DEFAULT_DB_ALIAS not in databases:
                raise _refuse_default(name, args[0])
        if condition():
            raise unittest.SkipTest(reason)

    if inspect.iscoroutinefunction(func):
        @functools.wraps(func)
        async def async_skip_wrapper(*args, **kwargs):
            check(args)
            return await func(*args, **kwargs)

        return async_skip_wrapper

    @functools.wraps(func)
    def skip_wrapper(*args, **kwargs):
        check(args)
        return func(*args, **kwargs)

    return skip_wrapper


def skipIfDBFeature(*features):
    """Skip a test if the default database has any of the named features."""
    return _deferred_skip(
        lambda: any(getattr(connection.features, feature, False) for feature in features),
        "Database has feature(s) %s" % ", ".join(features), "skipIfDBFeature")


def skipUnlessDBFeature(*features):
    """Skip a test unless the default database has all of the named features."""
    return _deferred_skip(
        lambda: not all(getattr(connection.features, feature, False) for feature in features),
        "Database doesn't support feature(s): %s" % ", ".join(features), "skipUnlessDBFeature")


def skipUnlessAnyDBFeature(*features):
    """Skip a test unless the default database has at least one of the named features."""
    return _deferred_skip(
        lambda: not any(getattr(connection.features, feature, False) for feature in features),
        "Database doesn't support any of the feature(s): %s" % ", ".join(features), "skipUnlessAnyDBFeature")
