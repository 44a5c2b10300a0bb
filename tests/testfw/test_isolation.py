"""TestCase / TransactionTestCase isolation on the suite's backend, sync and async."""
import pytest

from ormlette.db import connection, transaction
from ormlette.test import SimpleTestCase, TestCase, TransactionTestCase
from tests.backends import clean_tables, use_models
from tests.testfw.helpers import problems, run_suite
from tests.testfw.models import Author, Book

tables = use_models(Author, Book)
cleanup = clean_tables(Author, Book, autouse=True)
pytestmark = pytest.mark.usefixtures("tables")


def test_rows_of_one_test_are_absent_in_the_next():
    seen = []

    class Case(TestCase):
        @classmethod
        def setUpTestData(cls):
            cls.shared = Author.objects.create(name="shared")

        def test_a(self):
            Author.objects.create(name="a")
            seen.append(sorted(Author.objects.values_list("name", flat=True)))

        def test_b(self):
            Author.objects.create(name="b")
            seen.append(sorted(Author.objects.values_list("name", flat=True)))

    result = run_suite(Case)
    assert result.testsRun == 2 and not problems(result), problems(result)
    assert seen == [["a", "shared"], ["b", "shared"]]
    assert Author.objects.count() == 0  # the class-wide transaction is rolled back too
    assert not connection.in_atomic_block


def test_async_rows_roll_back_and_the_tests_rows_are_visible_to_async_code():
    seen = []

    class Case(TestCase):
        @classmethod
        def setUpTestData(cls):
            cls.shared = Author.objects.create(name="shared")

        def setUp(self):
            Author.objects.create(name="from setUp")

        async def test_a(self):
            await Author.objects.acreate(name="async a")
            seen.append(sorted([a.name async for a in Author.objects.all()]))
            seen.append(await Author.objects.filter(name="shared").aexists())

        async def test_b(self):
            book = await Book.objects.acreate(title="t", author=self.shared)
            seen.append(await Book.objects.filter(pk=book.pk, author__name="shared").acount())
            seen.append(await Author.objects.acount())

    result = run_suite(Case)
    assert result.testsRun == 2 and not problems(result), problems(result)
    assert seen == [["async a", "from setUp", "shared"], True, 1, 2]
    assert Author.objects.count() == 0 and Book.objects.count() == 0


def test_async_transaction_block_inside_a_test_rolls_back_with_it():
    class Case(TestCase):
        async def test_atomic(self):
            async with transaction.atomic():
                await Author.objects.acreate(name="inner")
            self.assertEqual(await Author.objects.acount(), 1)

    result = run_suite(Case)
    assert not problems(result), problems(result)
    assert Author.objects.count() == 0


def test_setuptestdata_objects_are_restored_for_each_test():
    names = []

    class Case(TestCase):
        @classmethod
        def setUpTestData(cls):
            cls.author = Author.objects.create(name="original")
            cls.authors = [cls.author]

        def test_a_mutates(self):
            names.append(self.author.name)
            self.author.name = "changed"
            self.author.save()
            self.assertIs(self.authors[0], self.author)  # one deepcopy memo per test keeps identities

        def test_b_sees_the_original(self):
            names.append(self.author.name)
            names.append(Author.objects.get(pk=self.author.pk).name)

    result = run_suite(Case)
    assert not problems(result), problems(result)
    assert names == ["original", "original", "original"]
    assert isinstance(Case.__dict__["author"].data, Author)


def test_transaction_test_case_empties_tables_and_resets_sequences():
    seen = []

    class Case(TransactionTestCase):
        reset_sequences = True

        def test_a(self):
            with transaction.atomic():
                seen.append(Author.objects.create(name="a").pk)
            seen.append(Author.objects.count())

        def test_b(self):
            seen.append(Author.objects.create(name="b").pk)
            seen.append(Author.objects.count())

    Author.objects.create(name="left over")
    result = run_suite(Case)
    assert not problems(result), problems(result)
    assert seen == [1, 1, 1, 1]
    assert Author.objects.count() == 0


def test_transaction_test_case_commits_are_real_and_on_commit_runs():
    ran = []

    class Case(TransactionTestCase):
        def test_commit(self):
            with transaction.atomic():
                Author.objects.create(name="a")
                transaction.on_commit(lambda: ran.append("committed"))
            self.assertEqual(ran, ["committed"])

    result = run_suite(Case)
    assert not problems(result), problems(result)
    assert ran == ["committed"] and Author.objects.count() == 0


def test_simple_test_case_refuses_queries():
    errors = []

    class Case(SimpleTestCase):
        def test_query(self):
            connection.close()
            try:
                Author.objects.count()
            except AssertionError as exc:
                errors.append(str(exc))

    result = run_suite(Case)
    assert not problems(result), problems(result)
    assert len(errors) == 1
    assert errors[0].startswith("Database queries to 'default' are not allowed in SimpleTestCase subclasses.")
    assert "add 'default' to tests.testfw.test_isolation." in errors[0]
    Author.objects.count()  # allowed again once the class is done


def test_simple_test_case_with_databases_may_query():
    counts = []

    class Case(SimpleTestCase):
        databases = {"default"}

        def test_query(self):
            counts.append(Author.objects.count())

    result = run_suite(Case)
    assert not problems(result), problems(result)
    assert counts == [0]


def test_testcase_refuses_an_undeclared_database_and_checks_its_names():
    class Case(TestCase):
        databases = {"default", "nope"}

        def test_nothing(self):
            pass

    result = run_suite(Case)
    assert "databases refers to 'nope' which is not defined in settings.DATABASES." in problems(result)


def test_durable_atomic_inside_a_test_is_allowed_and_nested_durable_is_not():
    outcome = []

    class Case(TestCase):
        def test_durable(self):
            with transaction.atomic(durable=True):
                Author.objects.create(name="d")
            with transaction.atomic():
                with self.assertRaises(RuntimeError):
                    with transaction.atomic(durable=True):
                        pass
            outcome.append(Author.objects.count())

    result = run_suite(Case)
    assert not problems(result), problems(result)
    assert outcome == [1] and Author.objects.count() == 0
