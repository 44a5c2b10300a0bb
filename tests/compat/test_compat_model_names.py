"""The public names Django's ORM modules give, on ormlette, against Django 5.2's own."""
import pickle
import warnings

import pytest

from tests.compat.django_reference import configure_django

configure_django()

import django.db as dj_db  # noqa: E402
import django.db.models.sql.constants as dj_constants  # noqa: E402
import django.db.models.utils as dj_utils  # noqa: E402
from django.db.models.fields.mixins import FieldCacheMixin as DjFieldCacheMixin  # noqa: E402

import ormlette  # noqa: E402
import ormlette.db as orm_db  # noqa: E402
import ormlette.db.models.sql.constants as orm_constants  # noqa: E402
import ormlette.db.models.utils as orm_utils  # noqa: E402
from ormlette.core.exceptions import FieldError  # noqa: E402
from ormlette.db import models  # noqa: E402
from tests.backends import use_models  # noqa: E402


@pytest.mark.parametrize("name", ["GET_ITERATOR_CHUNK_SIZE", "MULTI", "SINGLE", "CURSOR", "NO_RESULTS",
                                  "ORDER_DIR", "INNER", "LOUTER"])
def test_sql_constants_match_django(name):
    assert getattr(orm_constants, name) == getattr(dj_constants, name)


def test_sql_constants_are_the_ones_ormlette_uses():
    from ormlette.db.models.query import iterables
    from ormlette.db.models.sql import compiler, datastructures

    assert iterables.GET_ITERATOR_CHUNK_SIZE is orm_constants.GET_ITERATOR_CHUNK_SIZE
    assert compiler.SINGLE is orm_constants.SINGLE
    assert datastructures.LOUTER is orm_constants.LOUTER


@pytest.mark.parametrize("reference", ["shop.Order", "shop.order", ("shop", "order")])
def test_make_model_tuple_matches_django(reference):
    assert orm_utils.make_model_tuple(reference) == dj_utils.make_model_tuple(reference)


def test_make_model_tuple_errors_as_django():
    for module in (orm_utils, dj_utils):
        with pytest.raises(ValueError, match="Invalid model reference 'noperiod'"):
            module.make_model_tuple("noperiod")


def test_resolve_callables_matches_django():
    mapping = {"a": 1, "b": lambda: 2, "c": str}
    assert list(orm_utils.resolve_callables(mapping)) == list(dj_utils.resolve_callables(mapping))


def test_create_namedtuple_class_rows_pickle():
    row = orm_utils.create_namedtuple_class("a", "b")(1, 2)
    assert (row.a, row.b) == (1, 2)
    assert pickle.loads(pickle.dumps(row)) == row
    assert orm_utils.create_namedtuple_class("a", "b") is type(row)


def test_alters_data_marks_overrides_as_django():
    def build(base_class):
        class Base:
            def save(self):
                pass
            save.alters_data = True

            def read(self):
                pass

        class Child(base_class, Base):
            def save(self):
                pass

            def read(self):
                pass
        return Child

    ours, theirs = build(orm_utils.AltersData), build(dj_utils.AltersData)
    assert getattr(ours.save, "alters_data", False) is getattr(theirs.save, "alters_data", False) is True
    assert not hasattr(ours.read, "alters_data") and not hasattr(theirs.read, "alters_data")


def test_field_cache_mixin_module_and_contract():
    from ormlette.db.models.fields.mixins import FieldCacheMixin
    from ormlette.db.models.fields.reverse_related import ForeignObjectRel

    assert issubclass(ForeignObjectRel, FieldCacheMixin)
    assert models.ForeignObjectRel is ForeignObjectRel
    for mixin in (FieldCacheMixin, DjFieldCacheMixin):
        with pytest.raises(NotImplementedError):
            mixin().get_cache_name() if mixin is FieldCacheMixin else mixin().cache_name


def test_other_module_names():
    from ormlette.db.models.query import prefetch, raw
    from ormlette.db.models.lookups import IntegerFieldExact
    from ormlette.db.models.query import RawQuerySet, get_prefetcher, prefetch_one_level
    from ormlette.db.models.sql.filters import JoinPromoter as OurJoinPromoter
    from ormlette.db.models.sql.query import JoinPromoter

    assert RawQuerySet is raw.RawQuerySet
    assert (get_prefetcher, prefetch_one_level) == (prefetch.get_prefetcher, prefetch.prefetch_one_level)
    assert JoinPromoter is OurJoinPromoter
    assert models.IntegerField().get_lookup("exact") is IntegerFieldExact


class Pickled(models.Model):
    name = models.CharField(max_length=20)

    class Meta:
        app_label = "compatnames"


tables = use_models(Pickled)  # Shelf and Book are only declared
pytestmark = pytest.mark.usefixtures("tables")


def test_version_pickle_key_names():
    assert orm_db.DJANGO_VERSION_PICKLE_KEY == orm_db.VERSION_PICKLE_KEY == "_ormlette_version"
    assert dj_db.DJANGO_VERSION_PICKLE_KEY == "_django_version"


def test_pickled_instances_and_querysets_carry_the_version():
    obj = Pickled.objects.create(name="a")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        clone = pickle.loads(pickle.dumps(obj))
        qs = pickle.loads(pickle.dumps(Pickled.objects.filter(name="a")))
    assert clone == obj and orm_db.VERSION_PICKLE_KEY not in clone.__dict__
    assert list(qs) == [obj] and orm_db.VERSION_PICKLE_KEY not in qs.__dict__


def test_unpickling_another_version_warns():
    obj = Pickled.objects.create(name="b")
    state = obj.__reduce__()[2]
    state[orm_db.VERSION_PICKLE_KEY] = "0.0.1"
    with pytest.warns(RuntimeWarning, match="^Pickled model instance's ormlette version 0.0.1 does not match "
                                            "the current version %s.$" % ormlette.__version__):
        Pickled().__setstate__(dict(state))
    del state[orm_db.VERSION_PICKLE_KEY]
    with pytest.warns(RuntimeWarning, match="^Pickled model instance's ormlette version is not specified.$"):
        Pickled().__setstate__(dict(state))


def test_unpickling_a_queryset_without_version_warns():
    state = Pickled.objects.all().__getstate__()
    del state[orm_db.VERSION_PICKLE_KEY]
    with pytest.warns(RuntimeWarning, match="^Pickled queryset instance's ormlette version is not specified.$"):
        Pickled.objects.all().__setstate__(state)


class Shelf(models.Model):
    label = models.CharField(max_length=20)

    class Meta:
        app_label = "compatnames"


class Book(models.Model):
    shelf = models.ForeignKey(Shelf, models.CASCADE, related_name="books")

    class Meta:
        app_label = "compatnames"


def test_get_field_names_from_opts():
    """Django's rule: every field's name, plus the attname of concrete ones (values written out)."""
    from ormlette.db.models.sql.query import get_field_names_from_opts

    assert get_field_names_from_opts(None) == set()
    assert get_field_names_from_opts(Book._meta) == {"id", "shelf", "shelf_id"}
    assert get_field_names_from_opts(Shelf._meta) == {"id", "label", "books"}


Q_CHECKS = [
    ("price__gt", 20, {"price": 30}), ("price__gt", 20, {"price": 10}), ("name__startswith", "a", {"name": "abc"}),
    ("name__iexact", "ABC", {"name": "abc"}), ("when__year", 2024, {"when": __import__("datetime").date(2024, 5, 1)}),
    ("price__in", [1, 2], {"price": 3}), ("price__range", (1, 5), {"price": 5}),
]


@pytest.mark.parametrize("lookup, value, against", Q_CHECKS, ids=repr)
def test_q_check_matches_django(lookup, value, against):
    from django.db.models import Q as DjQ

    from ormlette.db.models import Q

    assert Q(**{lookup: value}).check(against) is DjQ(**{lookup: value}).check(against)


def test_q_check_with_expressions_and_connectors():
    from django.db.models import F as DjF, Q as DjQ, Value as DjValue
    from django.db.models.functions import Lower as DjLower

    from ormlette.db.models import F, Q, Value
    from ormlette.db.models.functions import Lower

    assert Q(name="test").check({"name": Lower(Value("TeSt"))}) is DjQ(name="test").check(
        {"name": DjLower(DjValue("TeSt"))}) is True
    assert Q(price__gt=F("cost")).check({"price": 3, "cost": 4}) is DjQ(price__gt=DjF("cost")).check(
        {"price": 3, "cost": 4}) is False
    assert (Q(a=1) | ~Q(b=2)).check({"a": 0, "b": 3}) is (DjQ(a=1) | ~DjQ(b=2)).check({"a": 0, "b": 3}) is True


def test_q_check_missing_field_raises_field_error():
    from ormlette.db.models import Q

    with pytest.raises(FieldError, match="^Cannot resolve keyword 'description' into field."):
        Q(description__startswith="prefix").check({"name": "test"})
