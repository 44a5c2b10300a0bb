"""The ``django.test`` Django's tests import, over ormlette.

Every name ormlette.test (or its submodules) defines is taken from there: the TestCase family,
the feature skips, override_settings, CaptureQueriesContext, isolate_apps, ... The few names
Django's ORM tests import that ormlette.test does not define come from this module; each is a
test helper, not database machinery, and goes away as soon as ormlette.test has it.
"""
import importlib
import time
import types
import unittest
from contextlib import contextmanager

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
    "django.test": ("ormlette.test", "ormlette.test.utils"),
    "django.test.testcases": ("ormlette.test.testcases", "ormlette.test"),
    "django.test.utils": ("ormlette.test.utils", "ormlette.test"),
}


def test_module(fullname):
    """Build the module Django's tests see as ``fullname``: ormlette.test's names first, then ours."""
    module = types.ModuleType(fullname, "ormlette.test for Django's tests (%s)" % fullname)
    module.__path__ = []
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
            setattr(module, name, globals()[name])
    for source in sources:
        for name in getattr(source, "__all__", ()):
            if not hasattr(module, name):
                setattr(module, name, getattr(source, name))
    return module


class SerializeMixin:
    """Tests run one app per process here: nothing to serialize."""


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
