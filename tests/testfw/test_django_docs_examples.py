"""Examples from Django 5.2's testing documentation, written for django.test, after the rename.

Sources (docs.djangoproject.com/en/5.2/topics/testing/): overview ("Writing tests": AnimalTestCase),
tools ("setUpTestData", "Overriding settings": LoginTestCase/MiddlewareTestCase, "captureOnCommitCallbacks":
ContactTests, "assertNumQueries", "assertQuerySetEqual", "Conditional test skips", "Testing asynchronous
code"). Only what needs Django's HTTP client became plain calls.
"""
import pytest

from ormlette.conf import settings
from ormlette.db import transaction
from ormlette.test import TestCase, override_settings, skipIfDBFeature, skipUnlessDBFeature
from tests.backends import use_models
from tests.testfw.docs_models import Animal, Foo, Message, Person

tables = use_models(Animal, Foo, Person, Message)
pytestmark = pytest.mark.usefixtures("tables")
outbox = []


class AnimalTestCase(TestCase):
    def setUp(self):
        Animal.objects.create(name="lion", sound="roar")
        Animal.objects.create(name="cat", sound="meow")

    def test_animals_can_speak(self):
        """Animals that can speak are correctly identified"""
        lion = Animal.objects.get(name="lion")
        cat = Animal.objects.get(name="cat")
        self.assertEqual(lion.speak(), 'The lion says "roar"')
        self.assertEqual(cat.speak(), 'The cat says "meow"')


class MyTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        # Set up data for the whole TestCase
        cls.foo = Foo.objects.create(bar="Test")

    def test1(self):
        # Some test using self.foo
        self.foo.bar = "Changed"
        self.foo.save()
        self.assertEqual(Foo.objects.get().bar, "Changed")

    def test2(self):
        # Some other test using self.foo
        self.assertEqual(self.foo.bar, "Test")
        self.assertEqual(Foo.objects.get().bar, "Test")

    @skipIfDBFeature("supports_transactions")
    def test_transaction_behavior(self):
        # ... conditional test code
        raise AssertionError("every backend here supports transactions")

    @skipUnlessDBFeature("supports_transactions")
    def test_transaction_supported(self):
        self.assertTrue(transaction.get_autocommit() is False)


def login_url():
    return settings.LOGIN_URL


@override_settings(LOGIN_URL="/accounts/login/")
class LoginTestCase(TestCase):
    def test_login(self):
        # First check for the default behavior
        self.assertEqual(login_url(), "/accounts/login/")
        # Then override the LOGIN_URL setting
        with self.settings(LOGIN_URL="/other/login/"):
            self.assertEqual(login_url(), "/other/login/")

    @override_settings(LOGIN_URL="/other/login/")
    def test_decorated(self):
        self.assertEqual(login_url(), "/other/login/")


@override_settings(MIDDLEWARE=["django.middleware.common.CommonMiddleware",
                               "django.middleware.csrf.CsrfViewMiddleware"])
class MiddlewareTestCase(TestCase):
    def test_cache_middleware(self):
        with self.modify_settings(
            MIDDLEWARE={
                "append": "django.middleware.cache.FetchFromCacheMiddleware",
                "prepend": "django.middleware.cache.UpdateCacheMiddleware",
                "remove": [
                    "django.middleware.csrf.CsrfViewMiddleware",
                ],
            }
        ):
            self.assertEqual(settings.MIDDLEWARE, [
                "django.middleware.cache.UpdateCacheMiddleware",
                "django.middleware.common.CommonMiddleware",
                "django.middleware.cache.FetchFromCacheMiddleware",
            ])


def contact(message):
    """The view of the docs' contact form: save the message, send the mail once committed."""
    with transaction.atomic():
        Message.objects.create(text=message)
        transaction.on_commit(lambda: outbox.append(message))
    return 200


class ContactTests(TestCase):
    def test_post(self):
        outbox.clear()
        with self.captureOnCommitCallbacks(execute=True) as callbacks:
            status_code = contact("I like your site")
        self.assertEqual(status_code, 200)
        self.assertEqual(len(callbacks), 1)
        self.assertEqual(len(outbox), 1)
        self.assertEqual(outbox[0], "I like your site")


class PersonTests(TestCase):
    def test_something(self):
        self.assertNumQueries(1, lambda: Person.objects.count())

        with self.assertNumQueries(2):
            Person.objects.create(name="Aaron")
            Person.objects.create(name="Daniel")

        self.assertQuerySetEqual(Person.objects.all(), ["Aaron", "Daniel"], transform=lambda p: p.name)
        self.assertQuerySetEqual(Person.objects.values_list("name", flat=True), {"Daniel", "Aaron"}, ordered=False)

    async def test_my_thing(self):
        await Person.objects.acreate(name="Async")
        self.assertEqual(await Person.objects.acount(), 1)
