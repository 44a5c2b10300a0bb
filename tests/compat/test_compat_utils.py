"""Differential tests: functional, hashable and translation helpers against Django's."""
import copy
import pickle

import pytest

from tests.compat.django_reference import configure_django

configure_django()

import django.utils.functional as dj_functional  # noqa: E402
import django.utils.hashable as dj_hashable  # noqa: E402
import django.utils.translation as dj_translation  # noqa: E402

import ormlette.utils.functional as orm_functional  # noqa: E402
import ormlette.utils.hashable as orm_hashable  # noqa: E402
import ormlette.utils.translation as orm_translation  # noqa: E402

HASHABLE_INPUTS = [
    1, "s", (1, 2), frozenset({1}), None, [1, [2, 3]], {"b": [1], "a": {"c": {1, 2}}},
    {"x": (1, [2])}, [{"k": "v"}], ({"a": 1}, [2]), set(), [],
]


@pytest.mark.parametrize("value", HASHABLE_INPUTS, ids=repr)
def test_make_hashable_matches(value):
    ours = orm_hashable.make_hashable(value)
    assert ours == dj_hashable.make_hashable(value)
    hash(ours)


def test_make_hashable_rejects_unhashable_non_iterables():
    class Opaque:
        __hash__ = None

    for m in (orm_hashable, dj_hashable):
        with pytest.raises(TypeError):
            m.make_hashable(Opaque())


def define(m):
    """The same class using module m's cached_property and classproperty."""

    class Thing:
        calls = 0

        @m.cached_property
        def value(self):
            """The doc."""
            type(self).calls += 1
            return self.calls

        @m.classproperty
        def kind(cls):
            return cls.__name__.lower()

    return Thing


@pytest.mark.parametrize("m", [orm_functional, dj_functional], ids=["ormlette", "django"])
def test_cached_and_class_properties(m):
    Thing = define(m)
    first = Thing()
    assert (first.value, first.value) == (1, 1)
    assert Thing().value == 2
    del first.value
    assert first.value == 3
    assert Thing.value.__doc__ == "The doc."
    assert isinstance(Thing.value, m.cached_property)
    assert Thing.kind == Thing().kind == "thing"
    prop = m.classproperty()
    assert prop.getter(lambda cls: 7) is prop
    with pytest.raises(TypeError):
        m.cached_property(lambda self: 1).__get__(object(), object)

    # Python 3.11 wraps __set_name__ errors in RuntimeError; 3.12 does not.
    with pytest.raises((TypeError, RuntimeError)):
        shared = m.cached_property(lambda self: 1)

        class Two:
            a = shared
            b = shared


def test_lazy_proxy_behaves_like_its_result():
    calls = []

    def make(text):
        calls.append(text)
        return text.upper()

    lazy_upper = orm_functional.lazy(make, str)
    value = lazy_upper("abc")
    assert calls == []
    assert isinstance(value, orm_functional.Promise)
    assert str(value) == "ABC" and value == "ABC" and "ABC" == value
    assert value + "!" == "ABC!" and "<" + value == "<ABC"
    assert value.lower() == "abc" and len(value) == 3 and "B" in value and value[0] == "A"
    assert f"{value:>4}" == " ABC" and "%s" % value == "ABC"
    assert hash(value) == hash("ABC") and value < "B" and value != "abc"
    assert copy.deepcopy(value) is value


def test_lazy_proxy_pickles():
    value = orm_functional.lazy(str.upper, str)("hi")
    assert str(pickle.loads(pickle.dumps(value))) == "HI"


def test_translation_functions_match():
    for name in ["gettext", "gettext_lazy", "gettext_noop"]:
        assert str(getattr(orm_translation, name)("Hello")) == str(getattr(dj_translation, name)("Hello"))
    for name in ["pgettext", "pgettext_lazy"]:
        assert str(getattr(orm_translation, name)("ctx", "Hi")) == str(getattr(dj_translation, name)("ctx", "Hi"))
    for n in (0, 1, 2, 5):
        assert orm_translation.ngettext("a %d", "b %d", n) == dj_translation.ngettext("a %d", "b %d", n)
        assert str(orm_translation.ngettext_lazy("a", "b", n)) == str(dj_translation.ngettext_lazy("a", "b", n))
        assert orm_translation.npgettext("c", "a", "b", n) == dj_translation.npgettext("c", "a", "b", n)


@pytest.mark.parametrize("count", [0, 1, 2, 21])
def test_plural_lazy_messages_match(count):
    args = ("%(num)d apple here", "%(num)d apples here", "num")
    ours, theirs = orm_translation.ngettext_lazy(*args), dj_translation.ngettext_lazy(*args)
    assert ours % {"num": count} == theirs % {"num": count}
    assert ours.format(num=count) == theirs.format(num=count)
    assert bool(ours) == bool(theirs)
    no_placeholder = ("one", "many", "n")
    assert (orm_translation.ngettext_lazy(*no_placeholder) % {"n": count}
            == dj_translation.ngettext_lazy(*no_placeholder) % {"n": count})
    positional = ("%d thing", "%d things")
    assert orm_translation.ngettext_lazy(*positional) % count == dj_translation.ngettext_lazy(*positional) % count


def test_plural_lazy_message_needs_its_key():
    for m in (orm_translation, dj_translation):
        with pytest.raises(KeyError):
            m.ngettext_lazy("%(a)s", "%(a)s", "num") % {"a": 1}


def test_plural_string_pickles_and_copies():
    message = orm_translation.ngettext_lazy("%(n)d cat", "%(n)d cats", "n")
    for clone in (pickle.loads(pickle.dumps(message)), copy.deepcopy(message), copy.copy(message)):
        assert clone % {"n": 1} == "1 cat" and clone % {"n": 3} == "3 cats"
