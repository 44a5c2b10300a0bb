"""Attribute access for relations: forward/reverse descriptors and the related managers they return."""
from ormlette.core.exceptions import FieldError
from ormlette.db import connections, transaction
from ormlette.db.models import signals
from ormlette.db.models.query_utils import DeferredAttribute, Q
from ormlette.utils.functional import cached_property


class ForeignKeyDeferredAttribute(DeferredAttribute):
    """``<name>_id``: setting a new value forgets the cached related object."""

    def __get__(self, instance, cls=None):
        if instance is None:
            return self
        try:
            return instance.__dict__[self.field.attname]
        except KeyError:
            instance.refresh_from_db(fields=[self.field.attname])
            return instance.__dict__[self.field.attname]

    def __set__(self, instance, value):
        data = instance.__dict__
        if data.get(self.field.attname) != value and self.field.is_cached(instance):
            self.field.delete_cached_value(instance)
        data[self.field.attname] = value


def _does_not_exist_class(base_model, owner, name):
    return type("RelatedObjectDoesNotExist", (base_model.DoesNotExist, AttributeError), {
        "__module__": owner.__module__, "__qualname__": "%s.%s.RelatedObjectDoesNotExist" % (owner.__qualname__, name)})


def _state_db(instance):
    return instance._state.db


class ForwardManyToOneDescriptor:
    """``book.author``: the related object, fetched once and cached."""

    def __init__(self, field_with_rel):
        self.field = field_with_rel

    @cached_property
    def RelatedObjectDoesNotExist(self):
        return _does_not_exist_class(self.field.remote_field.model, self.field.model, self.field.name)

    def is_cached(self, instance):
        """Whether the related object is cached."""
        return self.field.is_cached(instance)

    def get_queryset(self, **hints):
        """The base queryset of the related model."""
        return self.field.remote_field.model._base_manager.db_manager(hints=hints).all()

    def get_prefetch_querysets(self, instances, querysets=None):
        """(queryset, rel value, instance value, single, cache name, is_descriptor) for prefetching."""
        queryset = querysets[0] if querysets else self.get_queryset()
        queryset._add_hints(instance=instances[0])
        rel_obj_attr = self.field.get_foreign_related_value
        instance_attr = self.field.get_local_related_value
        instances_dict = {instance_attr(inst): inst for inst in instances}
        related_field = self.field.foreign_related_fields[0]
        remote_field = self.field.remote_field
        values = {instance_attr(inst)[0] for inst in instances}
        queryset = queryset.filter(**{"%s__in" % related_field.name: values})
        if not remote_field.multiple:
            for rel_obj in queryset:
                instance = instances_dict[rel_obj_attr(rel_obj)]
                remote_field.set_cached_value(rel_obj, instance)
        return queryset, rel_obj_attr, instance_attr, True, self.field.cache_name, False

    def get_object(self, instance):
        """Fetch the related object."""
        qs = self.get_queryset(instance=instance).using(_state_db(instance))
        return qs.get(self.field.get_reverse_related_filter(instance))

    def __get__(self, instance, cls=None):
        if instance is None:
            return self
        try:
            rel_obj = self.field.get_cached_value(instance)
        except KeyError:
            has_value = None not in self.field.get_local_related_value(instance)
            rel_obj = None
            if has_value:
                rel_obj = self.get_object(instance)
                remote_field = self.field.remote_field
                if not remote_field.multiple:
                    remote_field.set_cached_value(rel_obj, instance)
            self.field.set_cached_value(instance, rel_obj)
        if rel_obj is None and not self.field.null:
            raise self.RelatedObjectDoesNotExist("%s has no %s." % (self.field.model.__name__, self.field.name))
        return rel_obj

    def __set__(self, instance, value):
        model = self.field.remote_field.model
        if value is not None and not isinstance(value, model._meta.concrete_model):
            raise ValueError('Cannot assign "%r": "%s.%s" must be a "%s" instance.' % (
                value, instance._meta.object_name, self.field.name, model._meta.object_name))
        remote_field = self.field.remote_field
        if value is None:
            related = self.field.get_cached_value(instance, default=None)
            if related is not None:
                remote_field.set_cached_value(related, None)
            for lh_field, _ in self.field.related_fields:
                setattr(instance, lh_field.attname, None)
        else:
            for lh_field, rh_field in self.field.related_fields:
                setattr(instance, lh_field.attname, getattr(value, rh_field.attname))
        self.field.set_cached_value(instance, value)
        if value is not None and not remote_field.multiple:
            remote_field.set_cached_value(value, instance)

    def __reduce__(self):
        return getattr, (self.field.model, self.field.name)


class ForwardOneToOneDescriptor(ForwardManyToOneDescriptor):
    """``profile.user``."""


class ReverseOneToOneDescriptor:
    """``user.profile``: the object whose one-to-one field points here."""

    def __init__(self, related):
        self.related = related

    @cached_property
    def RelatedObjectDoesNotExist(self):
        return _does_not_exist_class(self.related.related_model, self.related.model, self.related.name)

    def is_cached(self, instance):
        """Whether the related object is cached."""
        return self.related.is_cached(instance)

    def get_queryset(self, **hints):
        """The base queryset of the model holding the one-to-one field."""
        return self.related.related_model._base_manager.db_manager(hints=hints).all()

    def get_prefetch_querysets(self, instances, querysets=None):
        """See ForwardManyToOneDescriptor.get_prefetch_querysets."""
        queryset = querysets[0] if querysets else self.get_queryset()
        queryset._add_hints(instance=instances[0])
        rel_obj_attr = self.related.field.get_local_related_value
        instance_attr = self.related.field.get_foreign_related_value
        instances_dict = {instance_attr(inst): inst for inst in instances}
        queryset = queryset.filter(**{"%s__in" % self.related.field.name: instances})
        for rel_obj in queryset:
            instance = instances_dict[rel_obj_attr(rel_obj)]
            self.related.field.set_cached_value(rel_obj, instance)
        return queryset, rel_obj_attr, instance_attr, True, self.related.cache_name, False

    def __get__(self, instance, cls=None):
        if instance is None:
            return self
        try:
            rel_obj = self.related.get_cached_value(instance)
        except KeyError:
            if instance.pk is None:
                rel_obj = None
            else:
                filter_args = self.related.field.get_forward_related_filter(instance)
                try:
                    rel_obj = self.get_queryset(instance=instance).using(_state_db(instance)).get(**filter_args)
                except self.related.related_model.DoesNotExist:
                    rel_obj = None
                else:
                    self.related.field.set_cached_value(rel_obj, instance)
            self.related.set_cached_value(instance, rel_obj)
        if rel_obj is None:
            raise self.RelatedObjectDoesNotExist("%s has no %s." % (instance.__class__.__name__,
                                                                   self.related.accessor_name))
        return rel_obj

    def __set__(self, instance, value):
        if value is None:
            rel_obj = self.related.get_cached_value(instance, default=None)
            if rel_obj is not None:
                self.related.delete_cached_value(instance)
                setattr(rel_obj, self.related.field.name, None)
        elif not isinstance(value, self.related.related_model):
            raise ValueError('Cannot assign "%r": "%s.%s" must be a "%s" instance.' % (
                value, instance._meta.object_name, self.related.accessor_name,
                self.related.related_model._meta.object_name))
        else:
            related_pk = tuple(getattr(instance, f.attname) for f in self.related.field.foreign_related_fields)
            for index, field in enumerate(self.related.field.local_related_fields):
                setattr(value, field.attname, related_pk[index])
            self.related.set_cached_value(instance, value)
            self.related.field.set_cached_value(value, instance)

    def __reduce__(self):
        return getattr, (self.related.model, self.related.name)


class ReverseManyToOneDescriptor:
    """``author.book_set``: a manager of the objects pointing here."""

    def __init__(self, rel):
        self.rel = rel
        self.field = rel.field

    @cached_property
    def related_manager_cls(self):
        related_model = self.rel.related_model
        return create_reverse_many_to_one_manager(related_model._default_manager.__class__, self.rel)

    def __get__(self, instance, cls=None):
        if instance is None:
            return self
        return self.related_manager_cls(instance)

    def _get_set_deprecation_msg_params(self):
        return "reverse side of a related set", self.rel.accessor_name

    def __set__(self, instance, value):
        raise TypeError("Direct assignment to the %s is prohibited. Use %s.set() instead."
                        % self._get_set_deprecation_msg_params())


def _remove_prefetched(instance, cache_name):
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
            db = self._db or _state_db(self.instance)
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
            _remove_prefetched(self.instance, self.field.remote_field.cache_name)

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
            queryset = queryset.using(queryset._db or _state_db(instances[0]))
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
            db = self._db or _state_db(self.instance) or "default"

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
            db = self._db or _state_db(self.instance)
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
                db = self._db or _state_db(self.instance) or "default"
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
                db = self._db or _state_db(self.instance) or "default"
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


class ManyToManyDescriptor(ReverseManyToOneDescriptor):
    """``post.tags`` and ``tag.post_set``: managers over the through table."""

    def __init__(self, rel, reverse=False):
        super().__init__(rel)
        self.reverse = reverse

    @property
    def through(self):
        return self.rel.through

    @cached_property
    def related_manager_cls(self):
        related_model = self.rel.related_model if self.reverse else self.rel.model
        return create_forward_many_to_many_manager(related_model._default_manager.__class__, self.rel,
                                                   reverse=self.reverse)

    def _get_set_deprecation_msg_params(self):
        return ("%s side of a many-to-many set" % ("reverse" if self.reverse else "forward"),
                self.rel.accessor_name if self.reverse else self.field.name)


def create_forward_many_to_many_manager(superclass, rel, reverse):
    """The manager class behind both sides of a ManyToManyField."""

    class ManyRelatedManager(superclass):
        def __init__(self, instance=None):
            super().__init__()
            self.instance = instance
            if not reverse:
                self.model = rel.model
                self.query_field_name = rel.field.related_query_name()
                self.prefetch_cache_name = rel.field.name
                self.source_field_name = rel.field.m2m_field_name()
                self.target_field_name = rel.field.m2m_reverse_field_name()
                self.symmetrical = rel.symmetrical
            else:
                self.model = rel.related_model
                self.query_field_name = rel.field.name
                self.prefetch_cache_name = rel.field.related_query_name()
                self.source_field_name = rel.field.m2m_reverse_field_name()
                self.target_field_name = rel.field.m2m_field_name()
                self.symmetrical = False
            self.through = rel.through
            self.reverse = reverse
            self.source_field = self.through._meta.get_field(self.source_field_name)
            self.target_field = self.through._meta.get_field(self.target_field_name)
            self.core_filters = {}
            self.pk_field_names = {}
            for lh_field, rh_field in self.source_field.related_fields:
                core_filter_key = "%s__%s" % (self.query_field_name, rh_field.name)
                self.core_filters[core_filter_key] = getattr(instance, rh_field.attname)
                self.pk_field_names[lh_field.name] = rh_field.name
            self.related_val = self.source_field.get_foreign_related_value(instance)
            if None in self.related_val:
                raise ValueError('"%r" needs to have a value for field "%s" before this many-to-many relationship '
                                 'can be used.' % (instance, self.pk_field_names[self.source_field_name]))
            if instance.pk is None:
                raise ValueError("%r instance needs to have a primary key value before a many-to-many "
                                 "relationship can be used." % instance.__class__.__name__)

        def __call__(self, *, manager):
            manager = getattr(self.model, manager)
            manager_class = create_forward_many_to_many_manager(manager.__class__, rel, reverse)
            return manager_class(instance=self.instance)

        do_not_call_in_templates = True

        def _db_for(self):
            return self._db or _state_db(self.instance) or "default"

        def _build_remove_filters(self, removed_vals):
            filters = Q.create([(self.source_field_name, self.related_val)])
            from ormlette.db.models.query import QuerySet

            removed_vals_filters = not isinstance(removed_vals, QuerySet) or removed_vals._has_filters()
            if removed_vals_filters:
                filters &= Q.create([("%s__in" % self.target_field_name, removed_vals)])
            if self.symmetrical:
                symmetrical_filters = Q.create([(self.target_field_name, self.related_val)])
                if removed_vals_filters:
                    symmetrical_filters &= Q.create([("%s__in" % self.source_field_name, removed_vals)])
                filters |= symmetrical_filters
            return filters

        def _apply_rel_filters(self, queryset):
            queryset._add_hints(instance=self.instance)
            if self._db:
                queryset = queryset.using(self._db)
            queryset._defer_next_filter = True
            return queryset._next_is_sticky().filter(**self.core_filters)

        def _remove_prefetched_objects(self):
            _remove_prefetched(self.instance, self.prefetch_cache_name)

        def get_queryset(self):
            try:
                return self.instance._prefetched_objects_cache[self.prefetch_cache_name]
            except (AttributeError, KeyError):
                return self._apply_rel_filters(super().get_queryset())

        def get_prefetch_querysets(self, instances, querysets=None):
            queryset = querysets[0] if querysets else super().get_queryset()
            queryset._add_hints(instance=instances[0])
            queryset = queryset.using(queryset._db or _state_db(instances[0]))
            queryset = queryset._next_is_sticky().filter(**{"%s__in" % self.query_field_name: instances})
            # Select the source value through the join so rows can be matched to their instances.
            from ormlette.db.models.expressions import F

            fk = self.through._meta.get_field(self.source_field_name)
            names = []
            annotations = {}
            for lh_field, rh_field in fk.related_fields:
                name = "_prefetch_related_val_%s" % lh_field.attname
                names.append(name)
                annotations[name] = F("%s__%s" % (self.query_field_name, rh_field.name))
            queryset = queryset.annotate(**annotations)

            def rel_obj_attr(result):
                return tuple(getattr(result, name) for name in names)

            def instance_attr(inst):
                return tuple(getattr(inst, f.attname) for f in fk.foreign_related_fields)

            return queryset, rel_obj_attr, instance_attr, False, self.prefetch_cache_name, False

        def add(self, *objs, through_defaults=None):
            self._remove_prefetched_objects()
            db = self._db_for()
            with transaction.atomic(using=db, savepoint=False):
                self._add_items(self.source_field_name, self.target_field_name, *objs,
                                through_defaults=through_defaults)
                if self.symmetrical:
                    self._add_items(self.target_field_name, self.source_field_name, *objs,
                                    through_defaults=through_defaults)

        add.alters_data = True

        def remove(self, *objs):
            self._remove_prefetched_objects()
            self._remove_items(self.source_field_name, self.target_field_name, *objs)

        remove.alters_data = True

        def clear(self):
            db = self._db_for()
            with transaction.atomic(using=db, savepoint=False):
                _send_m2m(self, "pre_clear", None, db)
                self._remove_prefetched_objects()
                filters = self._build_remove_filters(super().get_queryset().using(db))
                self.through._default_manager.using(db).filter(filters).delete()
                _send_m2m(self, "post_clear", None, db)

        clear.alters_data = True

        def set(self, objs, *, clear=False, through_defaults=None):
            objs = tuple(objs)
            db = self._db_for()
            with transaction.atomic(using=db, savepoint=False):
                if clear:
                    self.clear()
                    self.add(*objs, through_defaults=through_defaults)
                else:
                    old_ids = set(self.using(db).values_list(self.target_field.target_field.attname, flat=True))
                    new_objs = []
                    for obj in objs:
                        fk_val = (self.target_field.get_foreign_related_value(obj)[0] if isinstance(obj, self.model)
                                  else self.target_field.get_prep_value(obj))
                        if fk_val in old_ids:
                            old_ids.remove(fk_val)
                        else:
                            new_objs.append(obj)
                    self.remove(*old_ids)
                    self.add(*new_objs, through_defaults=through_defaults)

        set.alters_data = True

        def create(self, *, through_defaults=None, **kwargs):
            db = self._db_for()
            new_obj = super(ManyRelatedManager, self.db_manager(db)).create(**kwargs)
            self.add(new_obj, through_defaults=through_defaults)
            return new_obj

        create.alters_data = True

        def get_or_create(self, *, through_defaults=None, **kwargs):
            db = self._db_for()
            obj, created = super(ManyRelatedManager, self.db_manager(db)).get_or_create(**kwargs)
            if created:
                self.add(obj, through_defaults=through_defaults)
            return obj, created

        get_or_create.alters_data = True

        def update_or_create(self, *, through_defaults=None, **kwargs):
            db = self._db_for()
            obj, created = super(ManyRelatedManager, self.db_manager(db)).update_or_create(**kwargs)
            if created:
                self.add(obj, through_defaults=through_defaults)
            return obj, created

        update_or_create.alters_data = True

        def _get_target_ids(self, target_field_name, objs):
            from ormlette.db.models.base import Model

            target_ids = set()
            target_field = self.through._meta.get_field(target_field_name)
            db = self._db_for()
            for obj in objs:
                if isinstance(obj, self.model):
                    if obj._state.db is not None and obj._state.db != db:
                        raise ValueError('Cannot add "%r": instance is on database "%s", value is on database '
                                         '"%s"' % (obj, db, obj._state.db))
                    target_id = target_field.get_foreign_related_value(obj)[0]
                    if target_id is None:
                        raise ValueError('Cannot add "%r": the value for field "%s" is None'
                                         % (obj, target_field_name))
                    target_ids.add(target_id)
                elif isinstance(obj, Model):
                    raise TypeError("'%s' instance expected, got %r" % (self.model._meta.object_name, obj))
                else:
                    target_ids.add(target_field.get_prep_value(obj))
            return target_ids

        def _get_missing_target_ids(self, source_field_name, target_field_name, db, target_ids):
            vals = self.through._default_manager.using(db).values_list(target_field_name, flat=True).filter(**{
                source_field_name: self.related_val[0], "%s__in" % target_field_name: target_ids})
            return target_ids.difference(vals)

        def _add_items(self, source_field_name, target_field_name, *objs, through_defaults=None):
            if not objs:
                return
            through_defaults = {k: (v() if callable(v) else v) for k, v in (through_defaults or {}).items()}
            target_ids = self._get_target_ids(target_field_name, objs)
            db = self._db_for()
            # Auto-created through tables may ignore duplicate rows in the INSERT itself; the
            # SELECT of existing ids is needed only when m2m_changed receivers want pk_set.
            can_ignore = self.through._meta.auto_created is not False and \
                connections[db].features.supports_ignore_conflicts
            must_send = (self.reverse or source_field_name == self.source_field_name) and \
                signals.m2m_changed.has_listeners(self.through)

            def rows(ids):
                return [self.through(**through_defaults, **{"%s_id" % source_field_name: self.related_val[0],
                                                            "%s_id" % target_field_name: target_id})
                        for target_id in ids]

            if can_ignore and not must_send:
                _insert_through_rows(self.through, db, rows(target_ids), ignore=True)
                return
            missing = self._get_missing_target_ids(source_field_name, target_field_name, db, target_ids)
            with transaction.atomic(using=db, savepoint=False):
                if must_send:
                    _send_m2m(self, "pre_add", missing, db)
                _insert_through_rows(self.through, db, rows(missing), ignore=can_ignore)
                if must_send:
                    _send_m2m(self, "post_add", missing, db)

        def _remove_items(self, source_field_name, target_field_name, *objs):
            if not objs:
                return
            old_ids = set()
            for obj in objs:
                if isinstance(obj, self.model):
                    old_ids.add(self.target_field.get_foreign_related_value(obj)[0])
                else:
                    old_ids.add(obj)
            db = self._db_for()
            with transaction.atomic(using=db, savepoint=False):
                _send_m2m(self, "pre_remove", old_ids, db)
                target_model_qs = super().get_queryset()
                if target_model_qs._has_filters():
                    old_vals = target_model_qs.using(db).filter(
                        **{"%s__in" % self.target_field.target_field.attname: old_ids})
                else:
                    old_vals = old_ids
                filters = self._build_remove_filters(old_vals)
                self.through._default_manager.using(db).filter(filters).delete()
                _send_m2m(self, "post_remove", old_ids, db)

    return ManyRelatedManager


def _send_m2m(manager, action, pk_set, db):
    sender = manager.through
    if signals.m2m_changed.has_listeners(sender):
        signals.m2m_changed.send(sender=sender, action=action, instance=manager.instance, reverse=manager.reverse,
                                 model=manager.model, pk_set=pk_set, using=db)


def _insert_through_rows(through, db, rows, ignore=False):
    """INSERT the through rows in batches sized to the backend's parameter limit."""
    if not rows:
        return
    from ormlette.db.models.sql.write import insert_rows

    connection = connections[db]
    fields = [f for f in through._meta.local_concrete_fields if f is not through._meta.auto_field]
    batch = max(connection.ops.max_query_params() // max(len(fields), 1), 1)
    for start in range(0, len(rows), batch):
        chunk = rows[start:start + batch]
        values = [[f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields] for obj in chunk]
        insert_rows(connection, through, fields, values, on_conflict="ignore" if ignore else None)
