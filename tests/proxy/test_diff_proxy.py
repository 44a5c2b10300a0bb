"""Proxy models against Django 5.2: the proxy's class on reads, its managers and ordering, relations
through it, writes and deletes through it, its options; and Django's errors for bad proxies."""
import pytest

from ormlette.core.exceptions import FieldError
from ormlette.db import models
from tests.differential.harness import Differential, case, parametrize

SOURCE = '''
from django.db import models


class Person(models.Model):
    name = models.CharField(max_length=50)
    age = models.IntegerField(default=0)

    class Meta:
        ordering = ["name"]


class Pet(models.Model):
    name = models.CharField(max_length=50)
    owner = models.ForeignKey("Person", models.CASCADE, related_name="pets")


class MyPerson(Person):
    class Meta:
        proxy = True

    def greeting(self):
        return "hello " + self.name


class Adults(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(age__gte=18)


class AdultPerson(MyPerson):
    objects = Adults()

    class Meta:
        proxy = True
        ordering = ["-age"]


class Walk(models.Model):
    walker = models.ForeignKey("MyPerson", models.CASCADE, related_name="walks")
    km = models.IntegerField()
'''


def load(ns):
    ann = ns.Person.objects.create(name="Ann", age=30)
    bob = ns.MyPerson.objects.create(name="Bob", age=12)
    cid = ns.AdultPerson.objects.create(name="Cid", age=45)
    ns.Pet.objects.create(name="Rex", owner=ann)
    ns.Pet.objects.create(name="Tom", owner=bob)
    ns.Walk.objects.create(walker=cid, km=3)
    ns.Walk.objects.create(walker=ann, km=5)


diff = Differential(SOURCE, label="diffproxy", data=load)
env = diff.fixture()


def _save_through_proxy(ns):
    person = ns.MyPerson.objects.get(name="Bob")
    person.age = 13
    person.save()
    return ns.Person.objects.values_list("name", "age")


def _delete_through_proxy(ns):
    deleted = ns.AdultPerson.objects.filter(name="Cid").delete()
    return deleted[0], ns.Walk.objects.count(), ns.Person.objects.count()


CASES = [
    case("proxy_reads_are_proxies", lambda ns: ns.MyPerson.objects.all()),
    case("concrete_reads_stay_concrete", lambda ns: ns.Person.objects.all()),
    case("proxy_methods", lambda ns: [p.greeting() for p in ns.MyPerson.objects.all()]),
    case("inherited_ordering", lambda ns: ns.MyPerson.objects.values_list("name", flat=True)),
    case("own_manager_and_ordering", lambda ns: ns.AdultPerson.objects.all()),
    case("proxy_get", lambda ns: ns.AdultPerson.objects.get(name="Ann")),
    case("proxy_manager_excludes", lambda ns: ns.AdultPerson.objects.filter(name="Bob").exists()),
    case("reverse_fk_from_proxy", lambda ns: ns.MyPerson.objects.filter(pets__name="Tom")),
    case("reverse_manager_on_proxy", lambda ns: ns.MyPerson.objects.get(name="Ann").pets.all()),
    case("fk_to_proxy_returns_proxy", lambda ns: [w.walker for w in ns.Walk.objects.order_by("km")]),
    case("fk_to_proxy_filter", lambda ns: ns.Walk.objects.filter(walker__name="Cid").values_list("km", flat=True)),
    case("select_related_proxy", lambda ns: [type(w.walker).__name__
                                             for w in ns.Walk.objects.select_related("walker").order_by("km")]),
    case("reverse_from_concrete_to_proxy_fk", lambda ns: ns.Person.objects.filter(walks__km=5)),
    case("count_and_aggregate", lambda ns: (ns.MyPerson.objects.count(),
                                            ns.AdultPerson.objects.aggregate(ns.models.Sum("age")))),
    case("save_through_proxy", _save_through_proxy, mutates=True),
    case("delete_through_proxy_cascades", _delete_through_proxy, mutates=True),
    case("does_not_exist_is_the_concrete_models",
         lambda ns: issubclass(ns.MyPerson.DoesNotExist, ns.Person.DoesNotExist)),
    case("get_missing", lambda ns: ns.AdultPerson.objects.get(name="Bob")),
    case("isinstance", lambda ns: (isinstance(ns.MyPerson.objects.get(name="Ann"), ns.Person),
                                   ns.MyPerson.objects.get(name="Ann") == ns.Person.objects.get(name="Ann"))),
    case("options", lambda ns: (
        ns.MyPerson._meta.proxy, ns.MyPerson._meta.concrete_model.__name__,
        ns.AdultPerson._meta.proxy_for_model.__name__, ns.AdultPerson._meta.concrete_model.__name__,
        ns.MyPerson._meta.db_table == ns.Person._meta.db_table, ns.MyPerson._meta.pk.name,
        [f.name for f in ns.AdultPerson._meta.fields], ns.Person._meta.proxy)),
]


@parametrize(CASES)
def test_proxy_models(env, case):
    env.check(case)


class _Base(models.Model):
    name = models.CharField(max_length=10)

    class Meta:
        app_label = "proxyerrors"


def test_proxy_with_fields_is_refused():
    with pytest.raises(FieldError, match="^Proxy model 'WithField' contains model fields.$"):
        class WithField(_Base):
            extra = models.IntegerField()

            class Meta:
                proxy = True
                app_label = "proxyerrors"


def test_proxy_needs_a_concrete_base():
    class AbstractBase(models.Model):
        class Meta:
            abstract = True
            app_label = "proxyerrors"

    with pytest.raises(TypeError, match="^Proxy model 'NoBase' has no non-abstract model base class.$"):
        class NoBase(AbstractBase):
            class Meta:
                proxy = True
                app_label = "proxyerrors"


def test_proxy_of_two_concrete_models_is_refused():
    class Other(models.Model):
        class Meta:
            app_label = "proxyerrors"

    with pytest.raises(TypeError, match="^Proxy model 'Both' has more than one non-abstract model base class.$"):
        class Both(_Base, Other):
            class Meta:
                proxy = True
                app_label = "proxyerrors"
