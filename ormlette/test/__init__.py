"""Testing helpers (mirrors ``django.test``'s database half)."""
from ormlette.test.guard import DatabaseOperationForbidden
from ormlette.test.overrides import modify_settings, override_settings
from ormlette.test.skips import skipIfDBFeature, skipUnlessAnyDBFeature, skipUnlessDBFeature
from ormlette.test.testcases import SimpleTestCase, TestCase, TransactionTestCase

__all__ = [
    "SimpleTestCase", "TransactionTestCase", "TestCase", "skipIfDBFeature", "skipUnlessDBFeature",
    "skipUnlessAnyDBFeature", "override_settings", "modify_settings", "DatabaseOperationForbidden",
]
