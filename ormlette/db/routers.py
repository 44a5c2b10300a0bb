"""Database routing: the ``DATABASE_ROUTERS`` chain (Django's ``django.db.router``).

Each router may define ``db_for_read(model, **hints)``, ``db_for_write(model, **hints)``,
``allow_relation(obj1, obj2, **hints)`` and ``allow_migrate(db, app_label, **hints)``; a router
that lacks a method, or answers None, leaves the decision to the next one. With no answer, reads and
writes go where the ``instance`` hint came from, else to ``default``; a relation is allowed between
objects of one database; a migration is allowed.
"""
import importlib

from ormlette.conf import settings
from ormlette.core.exceptions import ImproperlyConfigured
from ormlette.db.utils import DEFAULT_DB_ALIAS


class ConnectionRouter:
    """The configured routers, consulted in order."""

    def __init__(self, routers=None):
        self._given = routers
        self._source = None  # the settings list the cached routers were built from
        self._chain = ()

    @property
    def routers(self):
        """Router instances (strings in ``DATABASE_ROUTERS`` are imported and instantiated)."""
        if self._given is not None:
            return self._given
        configured = settings.DATABASE_ROUTERS
        if configured is not self._source:
            self._chain = tuple(_router_instance(entry) for entry in configured)
            self._source = configured
        return self._chain

    def db_for_read(self, model, **hints):
        """The alias to read ``model`` from."""
        return self._route("db_for_read", model, hints)

    def db_for_write(self, model, **hints):
        """The alias to write ``model`` to."""
        return self._route("db_for_write", model, hints)

    def _route(self, action, model, hints):
        for router in self.routers:
            method = getattr(router, action, None)
            if method is not None:
                chosen = method(model, **hints)
                if chosen:
                    return chosen
        instance = hints.get("instance")
        if instance is not None and instance._state.db:
            return instance._state.db
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        """Whether ``obj1`` and ``obj2`` may be related."""
        allowed = self._first_opinion("allow_relation", (obj1, obj2), hints)
        return obj1._state.db == obj2._state.db if allowed is None else allowed

    def allow_migrate(self, db, app_label, **hints):
        """Whether migrations of ``app_label`` may run on ``db``."""
        allowed = self._first_opinion("allow_migrate", (db, app_label), hints)
        return True if allowed is None else allowed

    def _first_opinion(self, action, args, hints):
        """The first answer other than None from the routers that define ``action``, else None."""
        for router in self.routers:
            method = getattr(router, action, None)
            if method is not None:
                answer = method(*args, **hints)
                if answer is not None:
                    return answer
        return None

    def allow_migrate_model(self, db, model):
        """Whether ``model``'s table belongs on ``db`` (managed, not a proxy, and allowed by the routers)."""
        opts = model._meta
        if not opts.managed or opts.proxy or opts.swapped:
            return False
        return self.allow_migrate(db, opts.app_label, model_name=opts.model_name, model=model)

    def get_migratable_models(self, models, db):
        """The models of ``models`` whose tables belong on ``db``."""
        return [model for model in models if self.allow_migrate_model(db, model)]


def _router_instance(entry):
    """A router from a ``DATABASE_ROUTERS`` entry: an instance, or the dotted path of a class."""
    if not isinstance(entry, str):
        return entry
    module_path, _, class_name = entry.rpartition(".")
    try:
        router_class = getattr(importlib.import_module(module_path), class_name)
    except (ImportError, AttributeError, ValueError) as exc:
        raise ImproperlyConfigured("DATABASE_ROUTERS entry %r could not be imported: %s" % (entry, exc)) from exc
    return router_class()
