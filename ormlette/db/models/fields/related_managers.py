"""The manager behind ``author.book_set`` (the reverse side of a ForeignKey)."""
from ormlette.core.exceptions import FieldError
from ormlette.db import connections, router, transaction
from ormlette.db.models import fetch_modes as _fm
from ormlette.db.models.fields.related_prefetch import (
    attach_parents, fetch_grouped, prefetched_queryset_filler, related_in_filter,
)
from ormlette.db.models.manager import BaseManager


def remove_prefetched(instance, cache_name):
    """Forget ``instance``'s prefetched objects for ``cache_name``."""
    try:
        instance._prefetched_objects_cache.pop(cache_name)
    except (AttributeError, KeyError):
        pass


class ReverseManyToOneManager:
    """The methods of ``author.book_set``; the factory mixes them over the related model's manager class."""

    rel = None  # the ManyToOneRel; set with the next two by the factory
    plain_init = False  # the manager class's __init__ is BaseManager's
    cache_name = None

    def __init__(self, instance):
        rel = self.rel
        if self.plain_init:
            # BaseManager.__init__'s state set at once: a manager is built on every ``instance.<accessor>``.
            self.__dict__.update(model=rel.related_model, name=None, _db=None, _hints={}, instance=instance,
                                 field=rel.field, core_filters={rel.field.name: instance})
            return
        super().__init__()
        self.instance = instance
        self.model = rel.related_model
        self.field = rel.field
        self.core_filters = {self.field.name: instance}

    def __call__(self, *, manager):
        manager = getattr(self.model, manager)
        manager_class = create_reverse_many_to_one_manager(manager.__class__, self.rel)
        return manager_class(self.instance)

    do_not_call_in_templates = True

    def _check_fk_val(self):
        for field in self.field.foreign_related_fields:
            if getattr(self.instance, field.attname) is None:
                raise ValueError('"%r" needs to have a value for field "%s" before this relationship can be '
                                 'used.' % (self.instance, field.attname))

    def _apply_rel_filters(self, queryset):
        mode = self.instance._state.fetch_mode
        if mode is not _fm.FETCH_ONE:
            queryset = queryset.fetch_mode(mode)  # copied to the related objects, as Django 6.1
        db = self._db or router.db_for_read(self.model, instance=self.instance)
        empty_strings_as_null = connections[db].features.interprets_empty_strings_as_nulls
        queryset._add_hints(instance=self.instance)
        if self._db:
            queryset = queryset.using(self._db)
        queryset._defer_next_filter = True
        queryset = queryset.filter(**self.core_filters)
        for field in self.field.foreign_related_fields:
            val = getattr(self.instance, field.attname)
            if val is None or (val == "" and empty_strings_as_null):
                return queryset.none()
        if self.field.many_to_one:
            try:
                target_field = self.field.target_field
            except FieldError:
                rel_obj_id = tuple(getattr(self.instance, f.attname) for f in self.field.foreign_related_fields)
            else:
                rel_obj_id = getattr(self.instance, target_field.attname)
            queryset._known_related_objects = {self.field: {rel_obj_id: self.instance}}
        return queryset

    def _remove_prefetched_objects(self):
        remove_prefetched(self.instance, self.field.remote_field.cache_name)

    def get_queryset(self):
        instance = self.instance
        if instance.pk is None:
            raise ValueError("%r instance needs to have a primary key value before this relationship can be "
                             "used." % instance.__class__.__name__)
        prefetched = instance.__dict__.get("_prefetched_objects_cache")
        if prefetched:
            queryset = prefetched.get(self.cache_name)
            if queryset is not None:
                return queryset
        if _fm.listener is not None:
            _fm.listener("many", instance, self.rel.accessor_name, self.rel.field.related_query_name())
        return self._apply_rel_filters(super().get_queryset())

    def _prefetch_queryset(self, instances, querysets):
        queryset = querysets[0] if querysets else super().get_queryset()
        queryset._add_hints(instance=instances[0])
        queryset = queryset.using(queryset._db or self._db)
        return queryset.filter(**related_in_filter(self.field, instances))

    def get_prefetch_querysets(self, instances, querysets=None):
        queryset = self._prefetch_queryset(instances, querysets)
        field = self.field
        rel_obj_attr = field.local_value_getter
        instance_attr = field.foreign_value_getter
        fetched = list(queryset)
        attach_parents(field, fetched, instances, rel_obj_attr, instance_attr)
        queryset._result_cache = fetched
        return queryset, rel_obj_attr, instance_attr, False, field.remote_field.cache_name, False

    def _prefetch_grouped(self, instances, querysets=None):
        """get_prefetch_querysets() with the objects grouped while their parents are attached.

        Returns (queryset, {key: objects}, instance key function, single, cache name, is_descriptor).
        """
        queryset = self._prefetch_queryset(instances, querysets)
        fetched, groups, instance_key = fetch_grouped(queryset, self.field, instances)
        return queryset, groups, instance_key, False, self.field.remote_field.cache_name, False

    def _prefetch_cache_filler(self, instances, queryset=None):
        """fill(instances, groups, instance key, cache name): caches what ``<accessor>.all()`` returns, or None."""
        base = super().get_queryset() if queryset is None else queryset
        return prefetched_queryset_filler(base, self.field, instances)

    def add(self, *objs, bulk=True):
        self._check_fk_val()
        self._remove_prefetched_objects()
        db = router.db_for_write(self.model, instance=self.instance)

        def check_and_update_obj(obj):
            if not isinstance(obj, self.model):
                raise TypeError("'%s' instance expected, got %r" % (self.model._meta.object_name, obj))
            setattr(obj, self.field.name, self.instance)

        if bulk:
            pks = []
            for obj in objs:
                check_and_update_obj(obj)
                if obj._state.adding or obj._state.db != db:
                    raise ValueError("%r instance isn't saved. Use bulk=False or save the object first." % obj)
                pks.append(obj.pk)
            self.model._base_manager.using(db).filter(pk__in=pks).update(**{self.field.name: self.instance})
        else:
            with transaction.atomic(using=db, savepoint=False):
                for obj in objs:
                    check_and_update_obj(obj)
                    obj.save()

    add.alters_data = True

    def _call_for_instance(self, method_name, kwargs):
        """Run a manager method with the foreign key set to this instance, on its database."""
        self._check_fk_val()
        kwargs[self.field.name] = self.instance
        db = router.db_for_write(self.model, instance=self.instance)
        return getattr(super(ReverseManyToOneManager, self.db_manager(db)), method_name)(**kwargs)

    def create(self, **kwargs):
        self._check_fk_val()
        self._remove_prefetched_objects()
        return self._call_for_instance("create", kwargs)

    create.alters_data = True

    def get_or_create(self, **kwargs):
        return self._call_for_instance("get_or_create", kwargs)

    get_or_create.alters_data = True

    def update_or_create(self, **kwargs):
        return self._call_for_instance("update_or_create", kwargs)

    update_or_create.alters_data = True

    def set(self, objs, *, bulk=True, clear=False):
        self._check_fk_val()
        objs = tuple(objs)
        if self.field.null:
            db = router.db_for_write(self.model, instance=self.instance)
            with transaction.atomic(using=db, savepoint=False):
                if clear:
                    self.clear(bulk=bulk)
                    self.add(*objs, bulk=bulk)
                else:
                    old_objs = set(self.using(db).all())
                    new_objs = []
                    for obj in objs:
                        if obj in old_objs:
                            old_objs.remove(obj)
                        else:
                            new_objs.append(obj)
                    self.remove(*old_objs, bulk=bulk)
                    self.add(*new_objs, bulk=bulk)
        else:
            self.add(*objs, bulk=bulk)

    set.alters_data = True


class NullableReverseManyToOneManager(ReverseManyToOneManager):
    """``remove()`` and ``clear()``: only a nullable foreign key can let go of its objects."""

    def remove(self, *objs, bulk=True):
        if not objs:
            return
        self._check_fk_val()
        val = self.field.get_foreign_related_value(self.instance)
        old_ids = set()
        for obj in objs:
            if not isinstance(obj, self.model):
                raise TypeError("'%s' instance expected, got %r" % (self.model._meta.object_name, obj))
            if self.field.get_local_related_value(obj) == val:
                old_ids.add(obj.pk)
            else:
                raise self.field.remote_field.model.DoesNotExist("%r is not related to %r."
                                                                 % (obj, self.instance))
        self._clear(self.filter(pk__in=old_ids), bulk)

    remove.alters_data = True

    def clear(self, *, bulk=True):
        self._check_fk_val()
        self._clear(self, bulk)

    clear.alters_data = True

    def _clear(self, queryset, bulk):
        self._remove_prefetched_objects()
        db = router.db_for_write(self.model, instance=self.instance)
        queryset = queryset.using(db)
        if bulk:
            queryset.update(**{self.field.name: None})
        else:
            with transaction.atomic(using=db, savepoint=False):
                for obj in queryset:
                    setattr(obj, self.field.name, None)
                    obj.save(update_fields=[self.field.name])

    _clear.alters_data = True


def create_reverse_many_to_one_manager(superclass, rel):
    """The manager class behind ``author.book_set``."""
    methods = NullableReverseManyToOneManager if rel.field.null else ReverseManyToOneManager
    plain_init = superclass.__init__ is BaseManager.__init__

    class RelatedManager(methods, superclass):
        pass

    RelatedManager.rel, RelatedManager.plain_init, RelatedManager.cache_name = rel, plain_init, rel.cache_name
    RelatedManager._new_for_instance = _manager_factory(RelatedManager, rel) if plain_init else RelatedManager
    return RelatedManager


def _manager_factory(manager_class, rel):
    """RelatedManager(instance) without the __new__/__init__ chain (when neither is customised)."""
    if manager_class.__new__ is not BaseManager.__new__:
        return manager_class
    model, field, name = rel.related_model, rel.field, rel.field.name
    new = object.__new__

    def for_instance(instance):
        manager = new(manager_class)
        manager.__dict__ = {"_constructor_args": ((instance,), {}), "model": model, "name": None, "_db": None,
                            "_hints": {}, "instance": instance, "field": field, "core_filters": {name: instance}}
        return manager

    return for_instance
