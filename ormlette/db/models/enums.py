"""Enumerations for field choices: Choices, IntegerChoices and TextChoices."""
from __future__ import annotations

import enum
import sys
from typing import Any

from ormlette.utils.functional import Promise

if sys.version_info >= (3, 11):
    from enum import EnumType, IntEnum, StrEnum
    from enum import property as enum_property
else:
    from enum import EnumMeta as EnumType
    from types import DynamicClassAttribute as enum_property

    class _ValueStrEnum(enum.Enum):
        """Enum whose str() is its value's, as 3.11's IntEnum and StrEnum."""

        def __str__(self):
            return str(self.value)

    class IntEnum(int, _ValueStrEnum):
        """IntEnum with 3.11 str() semantics."""

    class StrEnum(str, _ValueStrEnum):
        """StrEnum stand-in for Python 3.10."""

__all__ = ["Choices", "IntegerChoices", "TextChoices"]


def _split_label(name, value):
    """(value, label) from a member definition; the label defaults to the name."""
    labelled = isinstance(value, (list, tuple)) and len(value) > 1
    if labelled and isinstance(value[-1], (Promise, str)):
        return tuple(value[:-1]), value[-1]
    return value, name.replace("_", " ").title()


class ChoicesType(EnumType):
    """Metaclass of Choices: peels labels off member values and adds choice lists."""

    def __new__(metacls, classname, bases, classdict, **kwds):
        labels = []
        for name in classdict._member_names:
            value, label = _split_label(name, classdict[name])
            labels.append(label)
            # dict.__setitem__ sidesteps the enum dict's guard against reassignment.
            dict.__setitem__(classdict, name, value)
        cls = super().__new__(metacls, classname, bases, classdict, **kwds)
        for member, label in zip(cls.__members__.values(), labels):
            member._label_ = label
        return enum.unique(cls)

    if sys.version_info < (3, 12):

        def __contains__(cls, member):
            # Python 3.12 lets plain values match members; do the same earlier.
            if not isinstance(member, enum.Enum):
                return any(choice.value == member for choice in cls)
            return super().__contains__(member)

    @property
    def names(cls) -> list[str]:
        """Member names, preceded by '__empty__' when the class defines it."""
        empty = ["__empty__"] if hasattr(cls, "__empty__") else []
        return empty + [member.name for member in cls]

    @property
    def choices(cls) -> list[tuple[Any, str]]:
        """(value, label) pairs, preceded by (None, __empty__) when defined."""
        empty = [(None, cls.__empty__)] if hasattr(cls, "__empty__") else []
        return empty + [(member.value, member.label) for member in cls]

    @property
    def labels(cls) -> list[str]:
        """The labels of choices."""
        return [label for _, label in cls.choices]

    @property
    def values(cls) -> list[Any]:
        """The values of choices."""
        return [value for value, _ in cls.choices]


class Choices(enum.Enum, metaclass=ChoicesType):
    """Base class for enumerated choices."""

    if sys.version_info >= (3, 11):
        do_not_call_in_templates = enum.nonmember(True)
    else:

        @property
        def do_not_call_in_templates(self):
            """Templates must not call members (always True)."""
            return True

    @enum_property
    def label(self) -> str:
        """The member's human-readable label."""
        return self._label_

    def __repr__(self):
        return f"{self.__class__.__qualname__}.{self._name_}"


class IntegerChoices(Choices, IntEnum):
    """Enumerated integer choices."""


class TextChoices(Choices, StrEnum):
    """Enumerated string choices; auto() gives the member name as value."""

    @staticmethod
    def _generate_next_value_(name, start, count, last_values):
        return name
