"""The manager behind ``author.book_set`` (the reverse side of a ForeignKey)."""
from ormlette.core.exceptions import FieldError
from ormlette.db import connections, transaction


def state_db(instance):
    """The database alias ``instance`` was loaded from or saved to."""
    return instance._state.db


def remove_prefetched(instance, cache_name):
    """Forget ``instance``'s prefetched objects for ``cache_name``."""
    try:
        instance._prefetched_objects_cache.pop(cache_name)
    except (AttributeError, KeyError):
        pass


def create_reverse_many_to_one_manager(superclass, rel):
    """The manager class behind ``author.book_set``."""

    class RelatedManager(superclass):
        def __init__(self, instance):
            super().__init__()
            self.instance = instance
            self.model = rel.related_model
            self.field = rel.field
            self.core_filters = {self.field.name: instance}

        def __call__(self, *, manager):
            manager = getattr(self.model, manager)
            manager_class = create_reverse_many_to_one_manager(manager.__class__, rel)
            return manager_class(self.instance)

        do_not_call_in_templates = True

        def _check_fk_val(self):
            for field in self.field.foreign_related_fields:
                if getattr(self.instance, field.attname) is None:
                    raise ValueError('"%r" needs to have a value for field "%s" before this relationship can be '
                                     'used.' % (self.instance, field.attname))

        def _apply_rel_filters(self, queryset):
            db = self._db or state_db(self.instance)
            empty_strings_as_null = connections[db or "default"].features.interprets_empty_strings_as_nulls
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
            if self.instance.pk is None:
                raise ValueError("%r instance needs to have a primary key value before this relationship can be "
                                 "used." % self.instance.__class__.__name__)
            try:
                return self.instance._prefetched_objects_cache[self.field.remote_field.cache_name]
            except (AttributeError, KeyError):
                return self._apply_rel_filters(super().get_queryset())

        def get_prefetch_querysets(self, instances, querysets=None):
            queryset = querysets[0] if querysets else super().get_queryset()
            queryset._add_hints(instance=instances[0])
            queryset = queryset.using(queryset._db or state_db(instances[0]))
            rel_obj_attr = self.field.get_local_related_value
            instance_attr = self.field.get_foreign_related_value
            instances_dict = {instance_attr(inst): inst for inst in instances}
            queryset = queryset.filter(**{"%s__in" % self.field.name: instances})
            # Point each fetched object's forward cache at its parent instead of querying again.
            fetched = list(queryset)
            for rel_obj in fetched:
                if not self.field.is_cached(rel_obj):
                    instance = instances_dict[rel_obj_attr(rel_obj)]
                    setattr(rel_obj, self.field.name, instance)
            queryset._result_cache = fetched
            cache_name = self.field.remote_field.cache_name
            return queryset, rel_obj_attr, instance_attr, False, cache_name, False

        def add(self, *objs, bulk=True):
            self._check_fk_val()
            self._remove_prefetched_objects()
            db = self._db or state_db(self.instance) or "default"

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
            db = self._db or state_db(self.instance)
            return getattr(super(RelatedManager, self.db_manager(db)), method_name)(**kwargs)

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

        if rel.field.null:
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
                db = self._db or state_db(self.instance) or "default"
                queryset = queryset.using(db)
                if bulk:
                    queryset.update(**{self.field.name: None})
                else:
                    with transaction.atomic(using=db, savepoint=False):
                        for obj in queryset:
                            setattr(obj, self.field.name, None)
                            obj.save(update_fields=[self.field.name])

            _clear.alters_data = True

        def set(self, objs, *, bulk=True, clear=False):
            self._check_fk_val()
            objs = tuple(objs)
            if self.field.null:
                db = self._db or state_db(self.instance) or "default"
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

    return RelatedManager
