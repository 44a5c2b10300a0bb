"""Django's extra TestCase assertions: messages of exceptions and warnings, querysets, query counts."""
from collections import Counter
from contextlib import contextmanager

from ormlette.db import DEFAULT_DB_ALIAS, connections


class AssertionsMixin:
    """assertRaisesMessage, assertWarnsMessage, assertQuerySetEqual, assertNumQueries."""

    def _assert_foo_message(self, func, cm_attr, expected_exception, expected_message, *args, **kwargs):
        callable_obj = None
        if args:
            callable_obj, *args = args
        cm = self._assert_foo_message_cm(func, cm_attr, expected_exception, expected_message)
        if callable_obj is None:
            return cm
        with cm:
            callable_obj(*args, **kwargs)

    @contextmanager
    def _assert_foo_message_cm(self, func, cm_attr, expected_exception, expected_message):
        with func(expected_exception) as cm:
            yield cm
        self.assertIn(expected_message, str(getattr(cm, cm_attr)))

    def assertRaisesMessage(self, expected_exception, expected_message, *args, **kwargs):
        """Like assertRaises, and ``expected_message`` is found in the exception's message."""
        return self._assert_foo_message(self.assertRaises, "exception", expected_exception, expected_message,
                                        *args, **kwargs)

    def assertWarnsMessage(self, expected_warning, expected_message, *args, **kwargs):
        """Like assertWarns, and ``expected_message`` is found in the warning's message."""
        return self._assert_foo_message(self.assertWarns, "warning", expected_warning, expected_message,
                                        *args, **kwargs)

    def assertQuerySetEqual(self, qs, values, transform=None, ordered=True, msg=None):
        """The queryset's items (through ``transform``) equal ``values``, in order unless ``ordered=False``."""
        values = list(values)
        items = qs if transform is None else map(transform, qs)
        if not ordered:
            return self.assertDictEqual(Counter(items), Counter(values), msg=msg)
        if len(values) > 1 and hasattr(qs, "ordered") and not qs.ordered:
            raise ValueError("Trying to compare non-ordered queryset against more than one ordered value.")
        return self.assertEqual(list(items), values, msg=msg)

    def assertNumQueries(self, num, func=None, *args, using=DEFAULT_DB_ALIAS, **kwargs):
        """Exactly ``num`` queries run on ``using`` (as a context manager, or while calling ``func``)."""
        from ormlette.test.utils import _AssertNumQueriesContext

        context = _AssertNumQueriesContext(num, connections[using], test_case=self)
        if func is None:
            return context
        with context:
            func(*args, **kwargs)
