"""The model metaclass, split into named steps."""
from __future__ import annotations

import copy
import inspect
from typing import TYPE_CHECKING, Any, ClassVar, overload

from ormlette.core.exceptions import MultipleObjectsReturned, ObjectDoesNotExist
from ormlette.db.models import registry
from ormlette.db.models.options import Options

if TYPE_CHECKING:
    from typing_extensions import TypeVar

    from ormlette.db.models.base import Model
    from ormlette.db.models.manager import Manager

    _M = TypeVar("_M", bound=Model)

    class _DefaultManager:
        """What ``SomeModel.objects`` is to a checker when the model declares no ``objects`` of its own."""

        @overload
        def __get__(self, instance: None, owner: type[_M]) -> Manager[_M]: ...
        @overload
        def __get__(self, instance: type[_M], owner: Any) -> Manager[_M]: ...
        def __get__(self, instance: Any, owner: Any) -> Any: ...


def _has_contribute_to_class(value):
    return not inspect.isclass(value) and hasattr(value, "contribute_to_class")


def _app_label_for(module_name, meta, parents):
    """``Meta.app_label``, an abstract parent's, or the module's package (``shop.models`` -> ``shop``)."""
    explicit = getattr(meta, "app_label", None) if meta else None
    if explicit:
        return explicit
    for parent in parents:
        label = getattr(getattr(parent, "_meta", None), "app_label", None)
        if label and getattr(parent._meta, "abstract", False) and parent._meta.app_label_explicit:
            return label
    parts = module_name.split(".")
    if parts[-1] == "models" and len(parts) > 1:
        return parts[-2]
    if len(parts) > 2 and parts[-2] == "models":
        return parts[-3]
    return parts[-1] if parts[-1] != "__main__" else "main"


class ModelBase(type):
    """Metaclass for all models."""

    if TYPE_CHECKING:
        # On the metaclass, not on Model, so that a model's own ``objects = ...`` of any manager type
        # is not an incompatible override; pyright lets it win, mypy needs it annotated (README, Typing).
        objects: ClassVar[_DefaultManager]

    def __new__(mcs, name, bases, attrs, **kwargs):
        parents = [b for b in bases if isinstance(b, ModelBase)]
        if not parents:
            return super().__new__(mcs, name, bases, attrs, **kwargs)
        new_class, contributable, meta = mcs._create_bare_class(name, bases, attrs, kwargs)
        mcs._attach_options(new_class, meta, parents, attrs)
        mcs._add_exceptions(new_class, parents)
        mcs._add_declared_attributes(new_class, contributable)
        mcs._inherit_abstract_fields(new_class, parents)
        if new_class._meta.abstract:
            new_class._meta.app_label_explicit = bool(meta and getattr(meta, "app_label", None))
            if meta is not None:
                # As in Django: children may subclass ``Base.Meta`` without becoming abstract.
                meta.abstract = False
                new_class.Meta = meta
            mcs._remember_abstract_bases(new_class)
            return new_class
        new_class._prepare()
        registry.register_model(new_class)
        return new_class

    @staticmethod
    def _create_bare_class(name, bases, attrs, kwargs):
        module = attrs.pop("__module__")
        new_attrs = {"__module__": module}
        classcell = attrs.pop("__classcell__", None)
        if classcell is not None:
            new_attrs["__classcell__"] = classcell
        meta = attrs.pop("Meta", None)
        contributable = {}
        for attr_name, value in attrs.items():
            if _has_contribute_to_class(value):
                contributable[attr_name] = value
            else:
                new_attrs[attr_name] = value
        new_class = type.__new__(ModelBase, name, bases, new_attrs, **kwargs)
        return new_class, contributable, meta

    @staticmethod
    def _attach_options(new_class, meta, parents, attrs):
        abstract = getattr(meta, "abstract", False)
        base_meta = getattr(new_class, "_meta", None)
        if meta is None:
            meta = getattr(new_class, "Meta", None)
        if meta is not None and not abstract and base_meta is not None and base_meta.abstract and \
                meta is getattr(parents[0], "Meta", None):
            meta = _non_abstract_copy(meta)
        app_label = _app_label_for(new_class.__module__, meta, parents)
        opts = Options(meta, app_label)
        opts.contribute_to_class(new_class, "_meta")
        if base_meta and not base_meta.abstract:
            raise TypeError("Multi-table inheritance is not supported yet (%s)." % new_class.__name__)
        if base_meta and base_meta.abstract and meta is None:
            _inherit_meta_options(opts, base_meta)
        elif base_meta and base_meta.abstract:
            _inherit_meta_options(opts, base_meta, only_missing=meta)
        opts.concrete_model = new_class

    @staticmethod
    def _add_exceptions(new_class, parents):
        if new_class._meta.abstract:
            return
        module = new_class.__module__
        bases_dne = tuple(p.DoesNotExist for p in parents if hasattr(p, "_meta") and not p._meta.abstract) or \
            (ObjectDoesNotExist,)
        bases_mor = tuple(p.MultipleObjectsReturned for p in parents if hasattr(p, "_meta") and
                          not p._meta.abstract) or (MultipleObjectsReturned,)
        new_class.DoesNotExist = type("DoesNotExist", bases_dne, {"__module__": module,
                                                                   "__qualname__": "%s.DoesNotExist" % new_class.__qualname__})
        new_class.MultipleObjectsReturned = type(
            "MultipleObjectsReturned", bases_mor,
            {"__module__": module, "__qualname__": "%s.MultipleObjectsReturned" % new_class.__qualname__})
        new_class.NotUpdated = type("NotUpdated", (_not_updated_base(),), {
            "__module__": module, "__qualname__": "%s.NotUpdated" % new_class.__qualname__})

    @staticmethod
    def _add_declared_attributes(new_class, contributable):
        for attr_name, value in contributable.items():
            new_class.add_to_class(attr_name, value)

    @staticmethod
    def _inherit_abstract_fields(new_class, parents):
        opts = new_class._meta
        taken = {f.name for f in (*opts.local_fields, *opts.local_many_to_many)}
        for position, base in enumerate(new_class.__mro__[1:], start=1):
            base_meta = base.__dict__.get("_meta")
            if base_meta is None or not base_meta.abstract:
                continue
            shadowing = new_class.__mro__[:position]
            for field in (*base_meta.local_fields, *base_meta.local_many_to_many):
                if field.name in taken or any(field.name in vars(k) for k in shadowing):
                    continue
                new_class.add_to_class(field.name, copy.deepcopy(field))
                taken.add(field.name)
            own_managers = {m.name for m in opts.local_managers}
            for manager in base_meta.local_managers:
                if manager.name not in own_managers and not any(manager.name in vars(k) for k in shadowing):
                    opts.local_managers.append(manager.bind_copy(new_class))
                    own_managers.add(manager.name)

    @staticmethod
    def _remember_abstract_bases(new_class):
        new_class._meta.concrete_model = None

    def add_to_class(cls, name, value):
        """Attach a field, manager or plain attribute."""
        if _has_contribute_to_class(value):
            value.contribute_to_class(cls, name)
        else:
            setattr(cls, name, value)

    def _prepare(cls):
        """Final set-up: primary key, default manager, __str__ helpers."""
        opts = cls._meta
        opts._prepare(cls)
        if not opts.managers:
            if any(f.name == "objects" for f in opts.fields):
                raise ValueError("Model %s must specify a custom Manager, because it has a field named 'objects'."
                                 % cls.__name__)
            from ormlette.db.models.manager import Manager

            manager = Manager()
            manager.auto_created = True
            cls.add_to_class("objects", manager)
        _add_index_names(cls)

    def __getattr__(cls, name):
        # Class-level access to a plain field (``Book.title``) returns its descriptor, as in Django,
        # without putting a descriptor on the instance hot path.
        opts = cls.__dict__.get("_meta")
        if opts is not None and not name.startswith("_"):
            field = opts._forward_fields_map.get(name)
            if field is not None and field.concrete and not field.is_relation:
                from ormlette.db.models.query_utils import DeferredAttribute

                return DeferredAttribute(field)
        raise AttributeError("type object %r has no attribute %r" % (cls.__name__, name))

    @property
    def _base_manager(cls):
        return cls._meta.base_manager

    @property
    def _default_manager(cls):
        return cls._meta.default_manager


def _non_abstract_copy(meta):
    attrs = {k: v for k, v in meta.__dict__.items() if not k.startswith("__") and k != "abstract"}
    return type("Meta", (), attrs)


INHERITED_META = ("ordering", "get_latest_by", "indexes", "constraints", "unique_together",
                  "default_related_name", "base_manager_name", "default_manager_name", "db_tablespace",
                  "required_db_vendor", "required_db_features", "select_on_save")


def _inherit_meta_options(opts, base_meta, only_missing=None):
    for name in INHERITED_META:
        if only_missing is not None and hasattr(only_missing, name):
            continue
        value = getattr(base_meta, name)
        if name in ("indexes", "constraints"):
            value = [copy.deepcopy(v) for v in value]
        setattr(opts, name, value)
    if only_missing is None or not hasattr(only_missing, "app_label"):
        if getattr(base_meta, "app_label_explicit", False):
            opts.app_label = base_meta.app_label
            opts.db_table = "%s_%s" % (opts.app_label, opts.model_name) if not (
                only_missing is not None and hasattr(only_missing, "db_table")) else opts.db_table


def _add_index_names(cls):
    for index in [*cls._meta.indexes]:
        if hasattr(index, "set_name_with_model") and not index.name:
            index.set_name_with_model(cls)
    for item in (*cls._meta.indexes, *cls._meta.constraints):
        if getattr(item, "name", None) and "%(" in item.name:
            item.name = item.name % {"app_label": cls._meta.app_label.lower(), "class": cls.__name__.lower()}


_NOT_UPDATED = []


def _not_updated_base():
    if not _NOT_UPDATED:
        from ormlette.core.exceptions import ObjectNotUpdated
        from ormlette.db.errors import DatabaseError

        _NOT_UPDATED.append(type("NotUpdated", (ObjectNotUpdated, DatabaseError), {}))
    return _NOT_UPDATED[0]


