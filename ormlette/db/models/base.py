"""The Model class: construction, identity, saving, deleting, validation."""
from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any, ClassVar

from ormlette.core.exceptions import FieldDoesNotExist, ValidationError
from ormlette.db import router
from ormlette.db.async_bridge import run_sync
from ormlette.db.models import signals
from ormlette.db.models.fetch_modes import FETCH_ONE
from ormlette.db.models.fields import NOT_PROVIDED
from ormlette.db.models.fast.init_fields import keyword_init_function
from ormlette.db.models.model_class import ModelBase
from ormlette.db.models.query_utils import DeferredAttribute

if TYPE_CHECKING:
    from ormlette.core import exceptions
    from ormlette.db.models.options import Options

_save_instance = None  # persistence.save_instance, bound on first save()

MAX_GET_RESULTS = 21


class ModelStateCacheDescriptor:
    """A per-instance dict created on first access (most instances never cache anything)."""

    def __init__(self, name):
        self.name = name

    def __get__(self, instance, cls=None):
        if instance is None:
            return self
        res = instance.__dict__[self.name] = {}
        return res


class ModelState:
    """Per-instance state: which database it came from and whether it is being added."""

    db = None
    adding = True
    # Django 6.1's fetch modes: class defaults, so an instance built in the default mode stores nothing.
    fetch_mode = FETCH_ONE
    peers = ()

    # Lazy caches: one object per instance instead of three, which matters to the allocator and the
    # garbage collector when tens of thousands of instances are built or loaded at once.
    fields_cache = ModelStateCacheDescriptor("fields_cache")
    related_managers_cache = ModelStateCacheDescriptor("related_managers_cache")

    def __init__(self, db=None, adding=True):
        self.db = db
        self.adding = adding

    def __getstate__(self):
        state = {"db": self.db, "adding": self.adding, "fields_cache": dict(self.fields_cache),
                 "related_managers_cache": {}}
        if self.fetch_mode is not FETCH_ONE:
            state["fetch_mode"] = self.fetch_mode  # peers are weak references: not kept
        return state

    def __setstate__(self, state):
        for key, value in state.items():
            setattr(self, key, value)

    def __copy__(self):
        new = ModelState(self.db, self.adding)
        new.fields_cache = dict(self.fields_cache)
        if self.fetch_mode is not FETCH_ONE:
            new.fetch_mode = self.fetch_mode
        return new


# Instance-dict key where bulk_create records "saved on this database" for an instance whose state
# was never read: the state is built from it on first read (a plain string keeps the instance dict
# free of containers, so tens of thousands of saved instances add no work for the garbage collector).
SAVED_ON_KEY = "_state_saved_on"


class LazyModelState:
    """``Model._state``: the instance's ModelState, created on first read.

    Most instances built for a bulk load never read it, before or after bulk_create: their dict then
    holds no container, one tracked object per instance for the collector instead of three.
    """

    def __get__(self, instance, cls=None):
        if instance is None:
            return self
        data = instance.__dict__
        saved_on = data.pop(SAVED_ON_KEY, None)
        state = data["_state"] = ModelState() if saved_on is None else ModelState(saved_on, False)
        return state


class Deferred:
    """Marker for deferred values in ``Model.from_db``."""

    def __repr__(self):
        return "<Deferred field>"


DEFERRED = Deferred()


def _reraise_descriptor_error(instance, name):
    """Surface the AttributeError of a class-level descriptor (e.g. a manager read via an instance)."""
    for klass in type(instance).__mro__:
        attr = klass.__dict__.get(name)
        if attr is not None and hasattr(attr, "__get__"):
            attr.__get__(instance, type(instance))
            return


class Model(metaclass=ModelBase):
    """Base class of all models."""

    if TYPE_CHECKING:
        # What every model has, for checkers; ``objects`` is typed on the metaclass, where a model's own
        # ``objects = ...`` takes precedence.
        _meta: ClassVar[Options]
        DoesNotExist: ClassVar[type[exceptions.ObjectDoesNotExist]]
        MultipleObjectsReturned: ClassVar[type[exceptions.MultipleObjectsReturned]]
        id: Any  # the automatic primary key; a model that declares its own ``id`` field types it

    _state = LazyModelState()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        try:
            init = self._meta._init_keywords
        except AttributeError:  # not generated yet, or dropped with the fields cache
            init = keyword_init_function(self._meta)  # also installs it as the model's __init__
        init(self, *args, **kwargs)  # _init_general's rules, generated per model

    def _init_general(self, args, kwargs):
        """The reference construction: signals, positional or keyword values, extra keyword arguments."""
        cls = self.__class__
        opts = self._meta
        if opts.abstract:
            raise TypeError("Abstract models cannot be instantiated.")
        pre_init = signals.pre_init
        if pre_init.has_listeners(cls):
            pre_init.send(sender=cls, args=args, kwargs=kwargs)
        if args:
            self._init_positional(args, kwargs)
        else:
            for field in opts.concrete_fields:
                self._init_field(field, kwargs)
        if kwargs:
            self._init_extra_kwargs(kwargs)
        post_init = signals.post_init
        if post_init.has_listeners(cls):
            post_init.send(sender=cls, instance=self)

    def _init_positional(self, args, kwargs):
        fields = self._meta.concrete_fields
        if len(args) > len(fields):
            raise IndexError("Number of args exceeds number of fields")
        fields_iter = iter(fields)
        for val, field in zip(args, fields_iter):
            if val is DEFERRED:
                continue
            self.__dict__[field.attname] = val
            if kwargs.pop(field.name, NOT_PROVIDED) is not NOT_PROVIDED:
                raise TypeError("%s() got both positional and keyword arguments for field '%s'."
                                % (type(self).__qualname__, field.name))
        for field in fields_iter:
            self._init_field(field, kwargs)

    def _init_field(self, field, kwargs):
        if field.generated:
            return  # the database computes it
        is_related_object = False
        if field.is_relation and field.many_to_one or field.is_relation and field.one_to_one:
            if field.name in kwargs:
                rel_obj = kwargs.pop(field.name)
                is_related_object = True
                val = rel_obj
            elif field.attname in kwargs:
                val = kwargs.pop(field.attname)
            else:
                val = field.get_default()
        elif field.attname in kwargs:
            val = kwargs.pop(field.attname)
        elif field.name in kwargs and field.name != field.attname:
            val = kwargs.pop(field.name)
        else:
            val = field.get_default()
        if is_related_object:
            if rel_obj is not DEFERRED:
                setattr(self, field.name, rel_obj)
        elif val is not DEFERRED:
            self.__dict__[field.attname] = val

    def _init_extra_kwargs(self, kwargs):
        opts = self._meta
        unexpected = ()
        for prop, value in kwargs.items():
            if prop in opts._property_names:
                if value is not DEFERRED:
                    setattr(self, prop, value)
            else:
                try:
                    opts.get_field(prop)
                except FieldDoesNotExist:
                    unexpected += (prop,)
                else:
                    if value is not DEFERRED:
                        setattr(self, prop, value)
        if unexpected:
            names = ", ".join("'%s'" % n for n in unexpected)
            raise TypeError("%s() got unexpected keyword arguments: %s" % (type(self).__name__, names))

    @classmethod
    def from_db(cls, db, field_names, values):
        """Build an instance from database values without running ``__init__`` logic."""
        obj = cls.__new__(cls)
        data = obj.__dict__
        for name, value in zip(field_names, values):
            if value is not DEFERRED:
                data[name] = value
        state = ModelState(db, False)
        data["_state"] = state
        return obj

    def __getattr__(self, name):
        # Only reached when ``name`` is not in the instance dict: a deferred field loads itself.
        if name.startswith("__") or name == "_state":
            raise AttributeError(name)
        field = type(self)._meta._attname_map.get(name)
        if field is None:
            _reraise_descriptor_error(self, name)
            raise AttributeError("%r object has no attribute %r" % (type(self).__name__, name))
        if not self.__dict__:  # made by __new__ (unpickling, copying): nothing to load from
            raise AttributeError(name)
        DeferredAttribute(field).load(self)  # as the instance's fetch mode says
        return self.__dict__[name]

    def __repr__(self):
        return "<%s: %s>" % (self.__class__.__name__, self)

    def __str__(self):
        return "%s object (%s)" % (self.__class__.__name__, self.pk)

    def __eq__(self, other):
        if not isinstance(other, Model):
            return NotImplemented
        if self._meta.concrete_model != other._meta.concrete_model:
            return False
        my_pk = self.pk
        if my_pk is None:
            return self is other
        return my_pk == other.pk

    def __hash__(self):
        if self.pk is None:
            raise TypeError("Model instances without primary key value are unhashable")
        return hash(self.pk)

    def __reduce__(self):
        data = self.__getstate__()
        return (_model_unpickle, (self._meta.label,), data)

    def __getstate__(self):
        own_state = self._state  # first: it may consume SAVED_ON_KEY
        state = self.__dict__.copy()
        state["_state"] = copy.copy(own_state)
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)

    def __copy__(self):
        obj = type(self).__new__(type(self))
        obj.__dict__ = self.__getstate__()
        return obj

    def _get_pk_val(self, meta=None):
        meta = meta or self._meta
        return getattr(self, meta.pk.attname)

    def _set_pk_val(self, value):
        setattr(self, self._meta.pk.attname, value)

    pk = property(_get_pk_val, _set_pk_val)

    def _is_pk_set(self, meta=None):
        return self._get_pk_val(meta) is not None

    def get_deferred_fields(self):
        """Names (attnames) of the fields not loaded on this instance."""
        return {f.attname for f in self._meta.concrete_fields if f.attname not in self.__dict__}

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        """Reload field values from the database."""
        from ormlette.db.models.persistence import refresh_instance

        refresh_instance(self, using, fields, from_queryset)

    async def arefresh_from_db(self, using=None, fields=None, from_queryset=None):
        """Async twin of refresh_from_db."""
        alias = using or router.db_for_read(self.__class__, instance=self)
        return await run_sync(self.refresh_from_db, using, fields, from_queryset, using=alias)

    def serializable_value(self, field_name):
        """The value of ``field_name`` (attname for relations)."""
        try:
            field = self._meta.get_field(field_name)
        except FieldDoesNotExist:
            return getattr(self, field_name)
        return getattr(self, field.attname)

    def save(self, *args, force_insert=False, force_update=False, using=None, update_fields=None):
        """Insert or update this instance, as Django's ``Model.save``."""
        global _save_instance
        if _save_instance is None:
            from ormlette.db.models.persistence import save_instance as _save_instance  # it imports this module
        if args:
            raise TypeError("Model.save() takes keyword arguments only (force_insert, force_update, using, update_fields).")
        _save_instance(self, force_insert, force_update, using, update_fields)

    save.alters_data = True

    async def asave(self, *args, force_insert=False, force_update=False, using=None, update_fields=None):
        """Async twin of save."""
        return await run_sync(lambda: self.save(*args, force_insert=force_insert, force_update=force_update,
                                                using=using, update_fields=update_fields),
                              using=using or router.db_for_write(self.__class__, instance=self))

    def save_base(self, raw=False, force_insert=False, force_update=False, using=None, update_fields=None):
        """The part of save() after validation of arguments."""
        from ormlette.db.models.persistence import save_base

        save_base(self, raw, force_insert, force_update, using, update_fields)

    def delete(self, using=None, keep_parents=False):
        """Delete this instance (and cascades); return ``(count, {label: count})``."""
        from ormlette.db.models.query.deletion import Collector

        if self.pk is None:
            raise ValueError("%s object can't be deleted because its %s attribute is set to None."
                             % (self._meta.object_name, self._meta.pk.attname))
        using = using or router.db_for_write(self.__class__, instance=self)
        collector = Collector(using=using, origin=self)
        collector.collect([self], keep_parents=keep_parents)
        return collector.delete()

    delete.alters_data = True

    async def adelete(self, using=None, keep_parents=False):
        """Async twin of delete."""
        return await run_sync(self.delete, using, keep_parents,
                              using=using or router.db_for_write(self.__class__, instance=self))

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        return str(dict(field.flatchoices).get(value, value))

    def _get_next_or_previous_by_FIELD(self, field, is_next, **kwargs):
        from ormlette.db.models.query_utils import Q

        if not self.pk:
            raise ValueError("get_next/get_previous cannot be used on unsaved objects.")
        op = "gt" if is_next else "lt"
        order = "" if is_next else "-"
        param = getattr(self, field.attname)
        q = Q.create([(field.name, param), ("pk__%s" % op, self.pk)], connector=Q.AND)
        q = Q.create([q, ("%s__%s" % (field.name, op), param)], connector=Q.OR)
        qs = type(self)._default_manager.using(self._state.db).filter(**kwargs).filter(q).order_by(
            "%s%s" % (order, field.name), "%spk" % order)
        try:
            return qs[0]
        except IndexError:
            raise self.DoesNotExist("%s matching query does not exist." % self.__class__._meta.object_name) from None

    # -- validation -----------------------------------------------------------------------------
    def clean(self):
        """Hook for model-wide validation."""

    def clean_fields(self, exclude=None):
        """Clean every field; raise ValidationError with all field errors."""
        exclude = set(exclude or ())
        errors = {}
        for f in self._meta.fields:
            if f.name in exclude or getattr(f, "generated", False):
                continue
            raw_value = getattr(self, f.attname)
            if f.blank and raw_value in f.empty_values:
                continue
            try:
                setattr(self, f.attname, f.clean(raw_value, self))
            except ValidationError as e:
                errors[f.name] = e.error_list
        if errors:
            raise ValidationError(errors)

    def validate_unique(self, exclude=None):
        """Check unique fields and unique_together against the database."""
        from ormlette.db.models.validation import validate_unique

        validate_unique(self, exclude)

    def validate_constraints(self, exclude=None):
        """Check Meta.constraints."""
        from ormlette.db.models.validation import validate_constraints

        validate_constraints(self, exclude)

    def full_clean(self, exclude=None, validate_unique=True, validate_constraints=True):
        """clean_fields, clean, validate_unique and validate_constraints."""
        from ormlette.db.models.validation import full_clean

        full_clean(self, exclude, validate_unique, validate_constraints)

    def get_constraints(self):
        """[(model, constraints)]."""
        return [(type(self), self._meta.constraints)]

    def prepare_database_save(self, field):
        """The value to store when this instance is assigned to a relation."""
        if self.pk is None:
            raise ValueError("Unsaved model instance %r cannot be used in an ORM query." % self)
        return getattr(self, field.remote_field.get_related_field().attname)


def _model_unpickle(label):
    from ormlette.db.models.registry import get_model

    model = get_model(label)
    return model.__new__(model)


