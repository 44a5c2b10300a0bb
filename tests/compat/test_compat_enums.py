"""Differential tests: ormlette.db.models.enums against django.db.models.enums."""
import datetime
import enum
import pickle
from decimal import Decimal

import pytest

from tests.compat.django_reference import configure_django

configure_django()

import django.db.models.enums as dj  # noqa: E402
from django.utils.translation import gettext_lazy as dj_  # noqa: E402

import ormlette.db.models.enums as orm  # noqa: E402
from ormlette.utils.translation import gettext_lazy as orm_  # noqa: E402


def build(m, _):
    """Define the same choice classes with module m and translation function _."""

    class Suit(m.IntegerChoices):
        DIAMOND = 1, _("Diamond")
        SPADE = 2, _("Spade")
        HEART = 3
        CLUB = 4, "Club"

    class YearInSchool(m.TextChoices):
        FRESHMAN = "FR", _("Freshman")
        SOPHOMORE = "SO"
        GRADUATE_STUDENT = "GR", _("Graduate")
        __empty__ = _("(Unknown)")

    class Vehicle(m.IntegerChoices):
        CAR = 1, "Carriage"
        TRUCK = 2
        JET_SKI = 3

        __empty__ = "(Unknown)"

    class Auto(m.TextChoices):
        FIRST = enum.auto()
        SECOND_ONE = enum.auto()
        LABELLED = enum.auto(), "Custom"

    class Gender(m.TextChoices):
        MALE = "M"
        FEMALE = "F"
        NOT_SPECIFIED = "X"

    class Separator(bytes, m.Choices):
        FS = b"\x1c", "File Separator"
        GS = b"\x1d", "Group Separator"
        SPACE = b" ", "Space"

    class MoonLandings(datetime.date, m.Choices):
        APOLLO_11 = 1969, 7, 20, "Apollo 11 (Eagle)"
        APOLLO_12 = 1969, 11, 19, "Apollo 12 (Intrepid)"

    class Constants(float, m.Choices):
        PI = 3.141592653589793, "π"
        TAU = 6.283185307179586, "τ"
        E = 2.718281828459045

    class Money(Decimal, m.Choices):
        ZERO = "0.00"
        ONE = "1.00", "One"

    class Tupled(m.Choices):
        PAIR = (1, 2), "A pair"
        PLAIN = 3

    class NoLabel(m.Choices):
        A = 1
        B_C = 2

    return [Suit, YearInSchool, Vehicle, Auto, Gender, Separator, MoonLandings, Constants,
            Money, Tupled, NoLabel]


OURS = build(orm, orm_)
THEIRS = build(dj, dj_)
IDS = [cls.__name__ for cls in THEIRS]


def text(values):
    """Force lazy labels to str so both sides compare as plain data."""
    return [str(v) if v is not None and not isinstance(v, (int, float, bytes, tuple, Decimal,
                                                          datetime.date)) else v
            for v in values]


@pytest.mark.parametrize("index", range(len(THEIRS)), ids=IDS)
def test_class_attributes_match(index):
    ours, theirs = OURS[index], THEIRS[index]
    assert ours.names == theirs.names
    assert ours.values == theirs.values
    assert text(ours.labels) == text(theirs.labels)
    assert [(v, str(l)) for v, l in ours.choices] == [(v, str(l)) for v, l in theirs.choices]
    assert hasattr(ours, "__empty__") == hasattr(theirs, "__empty__")


@pytest.mark.parametrize("index", range(len(THEIRS)), ids=IDS)
def test_members_match(index):
    ours, theirs = OURS[index], THEIRS[index]
    assert len(ours) == len(theirs)
    for mine, ref in zip(ours, theirs):
        assert mine.name == ref.name
        assert mine.value == ref.value
        assert str(mine.label) == str(ref.label)
        assert str(mine) == str(ref).replace(ref.__class__.__qualname__, mine.__class__.__qualname__)
        assert repr(mine).split(".", 1)[1:] == repr(ref).split(".", 1)[1:]
        assert f"{mine}" == f"{ref}"
        assert mine.do_not_call_in_templates is ref.do_not_call_in_templates is True
        assert (mine == mine.value) == (ref == ref.value)
        assert (mine.value in ours) == (ref.value in theirs)
        assert (mine in ours) and (ref in theirs)
        assert ours(mine.value) is mine
        assert ours[mine.name] is mine
        assert isinstance(mine, type(mine.value)) == isinstance(ref, type(ref.value))
    assert ("missing" in ours) == ("missing" in theirs)
    assert ("do_not_call_in_templates" in ours.__members__) is False


def test_str_and_format_of_concrete_types():
    suit, year = OURS[0], OURS[1]
    assert str(suit.DIAMOND) == "1" and f"{suit.HEART}" == "3"
    assert str(year.FRESHMAN) == "FR" and year.FRESHMAN == "FR"
    assert suit.SPADE.label == "Spade" and suit.HEART.label == "Heart"
    assert year.GRADUATE_STUDENT.label == "Graduate"
    assert OURS[2].JET_SKI.label == "Jet Ski"
    assert OURS[3].SECOND_ONE.value == "SECOND_ONE"
    assert repr(suit.CLUB) == "build.<locals>.Suit.CLUB"


def test_duplicate_values_are_rejected():
    for m in (orm, dj):
        with pytest.raises(ValueError):
            class Dup(m.IntegerChoices):  # noqa: F841
                A = 1
                B = 1


def test_bad_type_and_label_rules():
    for m in (orm, dj):
        with pytest.raises(TypeError):
            class Bad(m.IntegerChoices):  # noqa: F841
                A = "not a number", "label", "extra"


def test_label_is_not_a_member():
    for ours, theirs in zip(OURS, THEIRS):
        assert list(ours.__members__) == list(theirs.__members__)
        assert "label" not in ours.__members__


class Planet(orm.IntegerChoices):
    """Module-level so that pickling finds it."""

    MERCURY = 1
    VENUS = 2, "Morning star"


def test_module_level_pickle_and_choice_lists():
    assert pickle.loads(pickle.dumps(Planet.VENUS)) is Planet.VENUS
    assert Planet.choices == [(1, "Mercury"), (2, "Morning star")]
    assert orm.ChoicesType is type(Planet)
