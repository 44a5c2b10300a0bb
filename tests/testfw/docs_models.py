"""The models of Django's testing documentation examples (Animal, Foo, Person, Message)."""
from ormlette.db import models


class Animal(models.Model):
    """Django docs: 'Writing and running tests'."""

    name = models.CharField(max_length=20)
    sound = models.CharField(max_length=20)

    class Meta:
        app_label = "testfw_docs"

    def speak(self):
        return 'The %s says "%s"' % (self.name, self.sound)


class Foo(models.Model):
    """Django docs: setUpTestData."""

    bar = models.CharField(max_length=20)

    class Meta:
        app_label = "testfw_docs"


class Person(models.Model):
    """Django docs: assertNumQueries, assertQuerySetEqual."""

    name = models.CharField(max_length=20)

    class Meta:
        app_label = "testfw_docs"
        ordering = ["name"]


class Message(models.Model):
    """A contact-form message whose notification is sent on commit (the captureOnCommitCallbacks example)."""

    text = models.TextField()

    class Meta:
        app_label = "testfw_docs"
