"""Attribute access for relations: forward and reverse descriptors (the managers are in related_managers*.py)."""
from ormlette.db import router
from ormlette.db.models import fetch_modes as _fm
from ormlette.db.models.fields.related_managers import create_reverse_many_to_one_manager
from ormlette.db.models.fields.related_prefetch import attribute_reader, attribute_values, group_by
from ormlette.db.models.fields.related_managers_m2m import create_forward_many_to_many_manager
from ormlette.db.models.query_utils import DeferredAttribute
from ormlette.utils.functional import cached_property


class ForeignKeyDeferredAttribute(DeferredAttribute):
    """``<name>_id``: setting a new value forgets the cached related object."""

    def __get__(self, instance, cls=None):
        if instance is None:
            return self
        try:
            return instance.__dict__[self.field.attname]
        except KeyError:
            self.load(instance)
            return instance.__dict__[self.field.attname]

    def __set__(self, instance, value):
        data = instance.__dict__
        if data.get(self.field.attname) != value and self.field.is_cached(instance):
            self.field.delete_cached_value(instance)
        data[self.field.attname] = value


def _check_relation_databases(instance, value):
    """Give unsaved objects the routers' database for writing, then ask the routers to allow the relation."""
    if instance._state.db is None:
        instance._state.db = router.db_for_write(instance.__class__, instance=value)
    if value._state.db is None:
        value._state.db = router.db_for_write(value.__class__, instance=instance)
    if not router.allow_relation(value, instance):
        raise ValueError('Cannot assign "%r": the current database router prevents this relation.' % value)


def _does_not_exist_class(base_model, owner, name):
    return type("RelatedObjectDoesNotExist", (base_model.DoesNotExist, AttributeError), {
        "__module__": owner.__module__, "__qualname__": "%s.%s.RelatedObjectDoesNotExist" % (owner.__qualname__, name)})


class ForwardManyToOneDescriptor:
    """``book.author``: the related object, fetched once and cached."""

    def __init__(self, field_with_rel):
        self.field = field_with_rel

    @cached_property
    def RelatedObjectDoesNotExist(self):
        return _does_not_exist_class(self.field.remote_field.model, self.field.model, self.field.name)

    @cached_property
    def _cache_name(self):
        return self.field.cache_name

    def is_cached(self, instance):
        """Whether the related object is cached."""
        # Read once per instance when prefetching: the cache name is looked up once per descriptor.
        return self._cache_name in instance._state.fields_cache

    def get_queryset(self, **hints):
        """The base queryset of the related model."""
        return self.field.remote_field.model._base_manager.db_manager(hints=hints).all()

    def get_prefetch_querysets(self, instances, querysets=None):
        """(queryset, rel value, instance value, single, cache name, is_descriptor) for prefetching."""
        queryset = querysets[0] if querysets else self.get_queryset()
        queryset._add_hints(instance=instances[0])
        rel_obj_attr = self.field.foreign_value_getter
        instance_attr = self.field.local_value_getter
        related_field = self.field.foreign_related_fields[0]
        remote_field = self.field.remote_field
        values = {instance_attr(inst)[0] for inst in instances}
        queryset = queryset.filter(**{"%s__in" % related_field.name: values})
        if not remote_field.multiple:
            instances_dict = {instance_attr(inst): inst for inst in instances}
            for rel_obj in queryset:
                instance = instances_dict[rel_obj_attr(rel_obj)]
                remote_field.set_cached_value(rel_obj, instance)
        return queryset, rel_obj_attr, instance_attr, True, self.field.cache_name, False

    def _prefetch_grouped(self, instances, querysets=None):
        """get_prefetch_querysets() with the fetched objects grouped by key, or None when it does not apply.

        Applies to a one-column many-to-one relation whose queryset has no nested lookups of its own: those
        run when the queryset is evaluated, which must wait until prefetch_related_objects has taken them.
        """
        field = self.field
        if len(field.local_related_fields) != 1 or not field.remote_field.multiple:
            return None
        queryset = querysets[0] if querysets else self.get_queryset()
        if queryset._prefetch_related_lookups:
            return None
        queryset._add_hints(instance=instances[0])
        attname = field.local_related_fields[0].attname
        target = field.foreign_related_fields[0]
        queryset = queryset.filter(**{"%s__in" % target.name: set(attribute_values(instances, attname))})
        groups = group_by(list(queryset), attribute_reader(target.attname))
        return queryset, groups, attribute_reader(attname), True, field.cache_name, False

    def get_object(self, instance):
        """Fetch the related object."""
        qs = self.get_queryset(instance=instance)  # the routers choose, given the instance
        mode = instance._state.fetch_mode
        if mode is not _fm.FETCH_ONE:
            qs = qs.fetch_mode(mode)
        return qs.get(self.field.get_reverse_related_filter(instance))

    def fetch_one(self, instance):
        """Load and cache the related object of ``instance`` (FETCH_ONE)."""
        rel_obj = self.get_object(instance)
        remote_field = self.field.remote_field
        if not remote_field.multiple:
            remote_field.set_cached_value(rel_obj, instance)
        self.field.set_cached_value(instance, rel_obj)

    def fetch_many(self, instances):
        """Load and cache the related objects of ``instances`` in one query (FETCH_PEERS)."""
        from ormlette.db.models.query.prefetch import prefetch_related_objects

        prefetch_related_objects(instances, self.field.name)

    def blocked_message(self, instance):
        """The RAISE mode's message: model, field and the fix."""
        name = self.field.name
        return ("Fetching of %s.%s blocked. Load it with the query: .select_related(%r), or let lazy loads "
                "fetch for all peers: .fetch_mode(models.FETCH_PEERS)." % (type(instance).__qualname__, name, name))

    def __get__(self, instance, cls=None):
        if instance is None:
            return self
        try:
            rel_obj = instance._state.fields_cache[self._cache_name]
        except KeyError:
            if None in self.field.get_local_related_value(instance):
                rel_obj = None
                self.field.set_cached_value(instance, rel_obj)
            else:
                if _fm.listener is not None:
                    _fm.listener("forward", instance, self.field.name)
                instance._state.fetch_mode.fetch(self, instance)
                rel_obj = instance._state.fields_cache[self._cache_name]
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
            _check_relation_databases(instance, value)
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

    def fetch_one(self, instance):
        """Load and cache the object pointing at ``instance`` (FETCH_ONE)."""
        filter_args = self.related.field.get_forward_related_filter(instance)
        queryset = self.get_queryset(instance=instance)
        mode = instance._state.fetch_mode
        if mode is not _fm.FETCH_ONE:
            queryset = queryset.fetch_mode(mode)
        try:
            rel_obj = queryset.get(**filter_args)
        except self.related.related_model.DoesNotExist:
            rel_obj = None
        else:
            self.related.field.set_cached_value(rel_obj, instance)
        self.related.set_cached_value(instance, rel_obj)

    def fetch_many(self, instances):
        """Load and cache the objects pointing at ``instances`` in one query (FETCH_PEERS)."""
        from ormlette.db.models.query.prefetch import prefetch_related_objects

        prefetch_related_objects(instances, self.related.accessor_name)

    def blocked_message(self, instance):
        """The RAISE mode's message: model, field and the fix."""
        name = self.related.accessor_name
        return ("Fetching of %s.%s blocked. Load it with the query: .select_related(%r), or let lazy loads "
                "fetch for all peers: .fetch_mode(models.FETCH_PEERS)." % (type(instance).__qualname__, name, name))

    def __get__(self, instance, cls=None):
        if instance is None:
            return self
        try:
            rel_obj = self.related.get_cached_value(instance)
        except KeyError:
            if instance.pk is None:
                rel_obj = None
                self.related.set_cached_value(instance, rel_obj)
            else:
                if _fm.listener is not None:
                    _fm.listener("reverse_one", instance, self.related.accessor_name)
                instance._state.fetch_mode.fetch(self, instance)
                rel_obj = self.related.get_cached_value(instance)
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
            _check_relation_databases(instance, value)
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

    @cached_property
    def _new_manager(self):
        manager_class = self.related_manager_cls
        return getattr(manager_class, "_new_for_instance", manager_class)

    def __get__(self, instance, cls=None):
        if instance is None:
            return self
        return self._new_manager(instance)

    def _get_set_deprecation_msg_params(self):
        return "reverse side of a related set", self.rel.accessor_name

    def __set__(self, instance, value):
        raise TypeError("Direct assignment to the %s is prohibited. Use %s.set() instead."
                        % self._get_set_deprecation_msg_params())


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
