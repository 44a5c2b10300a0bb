"""assertNumQueries (Django's message), assertQuerySetEqual, captureOnCommitCallbacks, message assertions, skips."""
import unittest
import warnings

import pytest

from ormlette.db import connection, transaction
from ormlette.test import TestCase, skipIfDBFeature, skipUnlessAnyDBFeature, skipUnlessDBFeature
from ormlette.test.utils import CaptureQueriesContext
from tests.backends import clean_tables, use_models
from tests.testfw.helpers import problems, run_suite
from tests.testfw.models import Author, Tag

tables = use_models(Author, Tag)
cleanup = clean_tables(Author, Tag, autouse=True)
pytestmark = pytest.mark.usefixtures("tables")


def _django_num_queries_message(executed_sql, expected):
    """The message Django 5.2's own _AssertNumQueriesContext produces for the same captured statements."""
    from tests.django_ref import configure_django

    configure_django()
    from django.test.testcases import _AssertNumQueriesContext

    class FakeConnection:
        force_debug_cursor = False
        queries_log = []

        def ensure_connection(self):
            pass

        @property
        def queries(self):
            return [{"sql": sql, "time": "0.000"} for sql in self.queries_log]

    fake = FakeConnection()
    case = unittest.TestCase()
    with pytest.raises(AssertionError) as info:
        with _AssertNumQueriesContext(case, expected, fake):
            fake.queries_log.extend(executed_sql)
    return str(info.value)


def test_assert_num_queries_fails_with_djangos_message():
    messages = []

    class Case(TestCase):
        def test_count(self):
            with CaptureQueriesContext(connection) as ctx:
                list(Author.objects.all())
                Author.objects.count()
            self.sql = [q["sql"] for q in ctx.captured_queries]
            try:
                with self.assertNumQueries(3):
                    list(Author.objects.all())
                    Author.objects.count()
            except AssertionError as exc:
                messages.append((str(exc), self.sql))

        def test_callable_and_using(self):
            self.assertNumQueries(1, Author.objects.count, using="default")

    result = run_suite(Case)
    assert not problems(result), problems(result)
    (message, sql), = messages
    assert message.startswith("2 != 3 : 2 queries executed, 3 expected\nCaptured queries were:\n1. SELECT")
    assert message == _django_num_queries_message(sql, 3)


def test_assert_queryset_equal_ordered_unordered_and_transform():
    errors = []

    class Case(TestCase):
        def test_compare(self):
            Author.objects.create(name="b")
            Author.objects.create(name="a")
            Tag.objects.create(label="x")
            Tag.objects.create(label="y")
            self.assertQuerySetEqual(Author.objects.all(), ["a", "b"], transform=lambda a: a.name)
            self.assertQuerySetEqual(Author.objects.values_list("name", flat=True), ["b", "a"], ordered=False)
            self.assertQuerySetEqual(Tag.objects.values_list("label", flat=True), ["y", "x"], ordered=False)
            with self.assertRaisesMessage(ValueError, "Trying to compare non-ordered queryset against more than"):
                self.assertQuerySetEqual(Tag.objects.values_list("label", flat=True), ["x", "y"])
            try:
                self.assertQuerySetEqual(Author.objects.values_list("name", flat=True), ["b", "a"])
            except AssertionError as exc:
                errors.append(str(exc))

    result = run_suite(Case)
    assert not problems(result), problems(result)
    assert len(errors) == 1 and "['a', 'b'] != ['b', 'a']" in errors[0]


def test_capture_on_commit_callbacks():
    seen = []

    class Case(TestCase):
        def test_capture(self):
            with self.captureOnCommitCallbacks() as callbacks:
                transaction.on_commit(lambda: seen.append("not run"))
            seen.append(len(callbacks))
            with self.captureOnCommitCallbacks(execute=True) as callbacks:
                transaction.on_commit(lambda: (seen.append("first"), transaction.on_commit(lambda: seen.append("nested"))))
            seen.append(len(callbacks))

        def test_robust(self):
            with self.captureOnCommitCallbacks(execute=True) as callbacks:
                transaction.on_commit(lambda: 1 / 0, robust=True)
                transaction.on_commit(lambda: seen.append("after robust"))
            seen.append(len(callbacks))

    result = run_suite(Case)
    assert not problems(result), problems(result)
    assert seen == [1, "first", "nested", 2, "after robust", 2]


def test_raises_and_warns_message():
    class Case(TestCase):
        def test_messages(self):
            with self.assertRaisesMessage(ValueError, "bad thing"):
                raise ValueError("a bad thing happened")
            self.assertRaisesMessage(KeyError, "k", {}.__getitem__, "k")
            with self.assertWarnsMessage(UserWarning, "careful"):
                warnings.warn("be careful")
            with self.assertRaises(AssertionError):
                with self.assertRaisesMessage(ValueError, "other"):
                    raise ValueError("a bad thing happened")

    result = run_suite(Case)
    assert not problems(result), problems(result)
    assert result.testsRun == 1


def test_skips_on_methods_and_classes():
    ran = []

    class Case(TestCase):
        @skipUnlessDBFeature("supports_transactions")
        def test_runs(self):
            ran.append("runs")

        @skipUnlessDBFeature("supports_transactions", "no_such_feature")
        def test_skipped_unless(self):
            ran.append("wrong")

        @skipIfDBFeature("supports_transactions")
        def test_skipped_if(self):
            ran.append("wrong")

        @skipUnlessAnyDBFeature("no_such_feature", "supports_transactions")
        def test_any(self):
            ran.append("any")

        @skipUnlessDBFeature("no_such_feature")
        async def test_async_skipped(self):
            ran.append("wrong")

    @skipUnlessDBFeature("no_such_feature")
    class SkippedClass(TestCase):
        def test_never(self):
            ran.append("wrong")

    @skipIfDBFeature("no_such_feature")
    class RunClass(TestCase):
        def test_class_runs(self):
            ran.append("class runs")

    result = run_suite(Case, SkippedClass, RunClass)
    assert not problems(result), problems(result)
    assert sorted(ran) == ["any", "class runs", "runs"]
    reasons = sorted(reason for _, reason in result.skipped)
    assert "Database doesn't support feature(s): supports_transactions, no_such_feature" in reasons
    assert "Database has feature(s) supports_transactions" in reasons
    assert "Database doesn't support feature(s): no_such_feature" in reasons
    assert len(result.skipped) == 4


def test_skip_decorator_refuses_a_test_without_the_default_database():
    from ormlette.test import SimpleTestCase

    class Case(SimpleTestCase):
        @skipUnlessDBFeature("supports_transactions")
        def test_x(self):
            pass

    result = run_suite(Case)
    assert "skipUnlessDBFeature cannot be used on" in problems(result)
    assert "as it doesn't allow queries against the 'default' database." in problems(result)
