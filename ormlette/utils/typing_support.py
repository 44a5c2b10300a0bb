"""What the type checkers see of generic classes, at no cost at run time.

``GenericBase`` is ``typing.Generic`` to mypy and pyright, and a plain base class whose
subscription returns the class itself at run time: ``CharField[str]`` or
``QuerySet["Order"]`` is the class, so fields and querysets keep Django's run-time shape
(no ``__orig_bases__``, no generic-alias objects) while checkers see ``Field[str]``.
"""
from typing import TYPE_CHECKING

__all__ = ["GenericBase"]

if TYPE_CHECKING:
    from typing import Generic as GenericBase
else:
    class GenericBase:
        """Run-time stand-in for ``typing.Generic``: ``Cls[T]`` is ``Cls``."""

        __slots__ = ()

        def __class_getitem__(cls, params):
            return cls
