"""Managers: the ``Model.objects`` entry point to QuerySets."""
from __future__ import annotations

import copy
import inspect
from typing import TYPE_CHECKING, Any

from typing_extensions import TypeVar

from ormlette.db import router
from ormlette.db.models.fast.get_shortcut import MISS, manager_get
from ormlette.db.models.query.queryset import QuerySet
from ormlette.utils.typing_support import GenericBase

if TYPE_CHECKING:
    from ormlette.db.models.manager_typing import ManagerQuerySetMethods, RelatedManagerMethods

_M = TypeVar("_M", default=Any)
_QS = TypeVar("_QS", bound=QuerySet)


class BaseManager(GenericBase[_M]):
    """Proxies QuerySet methods; subclasses add methods or override ``get_queryset()``."""

    creation_counter = 0
    auto_created = False
    use_in_migrations = False

    def __new__(cls, *args, **kwargs):
        obj = super().__new__(cls)
        obj._constructor_args = (args, kwargs)
        return obj

    def __init__(self):
        super().__init__()
        self._set_creation_counter()
        self.model = None
        self.name = None
        self._db = None
        self._hints = {}

    def __str__(self):
        return "%s.%s" % (self.model._meta.label, self.name)

    def deconstruct(self):
        """(as_manager, path, qs path, args, kwargs)."""
        return False, "%s.%s" % (type(self).__module__, type(self).__name__), None, *self._constructor_args

    def check(self, **kwargs):
        """No checks."""
        return []

    @classmethod
    def _get_queryset_methods(cls, queryset_class):
        def create_method(name, method):
            def manager_method(self, *args, **kwargs):
                return getattr(self.get_queryset(), name)(*args, **kwargs)

            manager_method.__name__ = method.__name__
            manager_method.__doc__ = method.__doc__
            return manager_method

        new_methods = {}
        for name, method in inspect.getmembers(queryset_class, predicate=inspect.isfunction):
            if hasattr(cls, name):
                continue
            queryset_only = getattr(method, "queryset_only", None)
            if queryset_only or (queryset_only is None and name.startswith("_")):
                continue
            new_methods[name] = create_method(name, method)
        return new_methods

    @classmethod
    def from_queryset(cls, queryset_class: type[_QS], class_name: str | None = None) -> type[_QS]:
        """A Manager class with the QuerySet class's public methods.

        To a type checker the class is ``queryset_class`` (no checker can express "this manager plus
        those methods"): ``objects = Manager.from_queryset(OrderQuerySet)()`` types as an
        ``OrderQuerySet``, whose methods are the ones the manager proxies.
        """
        if class_name is None:
            class_name = "%sFrom%s" % (cls.__name__, queryset_class.__name__)
        return type(class_name, (cls,), {"_queryset_class": queryset_class,
                                         **cls._get_queryset_methods(queryset_class)})

    def contribute_to_class(self, cls, name):
        """Attach to a model class."""
        self.name = self.name or name
        self.model = cls
        setattr(cls, name, ManagerDescriptor(self))
        cls._meta.add_manager(self)

    def bind_copy(self, model):
        """A copy of this manager bound to another model (abstract inheritance)."""
        manager = copy.copy(self)
        manager.model = model
        if model is not None and not model._meta.abstract:
            setattr(model, manager.name, ManagerDescriptor(manager))
        return manager

    def _set_creation_counter(self):
        self.creation_counter = BaseManager.creation_counter
        BaseManager.creation_counter += 1

    def db_manager(self, using=None, hints=None):
        """A copy of this manager that uses another database."""
        obj = copy.copy(self)
        obj._db = using or self._db
        obj._hints = hints or self._hints
        return obj

    @property
    def db(self):
        """The database alias this manager reads from: ``db_manager()``'s, else the routers' choice."""
        return self._db or router.db_for_read(self.model, **self._hints)

    def get_queryset(self) -> QuerySet[_M]:
        """The QuerySet this manager starts from; override to filter."""
        return self._queryset_class(model=self.model, using=self._db, hints=self._hints)

    def all(self):
        """``get_queryset()`` (so custom filters apply)."""
        return self.get_queryset()

    def get(self, *args, **kwargs):
        """``get_queryset().get(...)``; a stock manager's one-lookup get() skips building the QuerySet."""
        if not args and len(kwargs) == 1:
            found = manager_get(self, kwargs)
            if found is not MISS:
                return found
        return self.get_queryset().get(*args, **kwargs)

    def __eq__(self, other):
        return isinstance(other, self.__class__) and self._constructor_args == other._constructor_args

    def __hash__(self):
        return id(self)


if TYPE_CHECKING:
    class Manager(ManagerQuerySetMethods[_M], BaseManager[_M]):
        """The default manager: every public QuerySet method, each returning a ``QuerySet[_M]``."""

    class RelatedManager(RelatedManagerMethods[_M], Manager[_M]):
        """A reverse foreign key or many-to-many manager: ``add``, ``remove``, ``set``, ``clear`` too."""
else:
    class Manager(BaseManager.from_queryset(QuerySet)):
        """The default manager."""

    class RelatedManager(Manager):
        """The type of a reverse or many-to-many accessor, for annotations (``orders: RelatedManager[Order]``).

        The related managers are built per relation; this class names what they all offer.
        """


class ManagerDescriptor:
    """Makes managers reachable from the class only (``Model.objects``, not ``obj.objects``)."""

    def __init__(self, manager):
        self.manager = manager

    def __get__(self, instance, cls=None):
        if instance is not None:
            raise AttributeError("Manager isn't accessible via %s instances" % cls.__name__)
        if cls._meta.abstract:
            raise AttributeError("Manager isn't available; %s is abstract" % cls._meta.object_name)
        manager = cls._meta.managers_map.get(self.manager.name, self.manager)
        return manager


class EmptyManager(Manager):
    """A manager whose QuerySets are always empty."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def get_queryset(self):
        """An empty QuerySet."""
        return super().get_queryset().none()
