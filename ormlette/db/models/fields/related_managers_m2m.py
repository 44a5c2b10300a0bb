"""The manager behind both sides of a ManyToManyField (``post.tags``, ``tag.post_set``)."""
from operator import attrgetter

from ormlette.db import connections, router, transaction
from ormlette.db.models import fetch_modes as _fm
from ormlette.db.models import signals
from ormlette.db.models.fields.related_managers import remove_prefetched
from ormlette.db.models.fields.related_prefetch import attribute_reader, group_by, many_to_many_queryset_filler
from ormlette.db.models.query_utils import Q


class ManyRelatedManagerMethods:
    """The methods of both sides of a ManyToManyField's manager; the factory mixes them over the model's manager."""

    rel = None  # the ManyToManyRel and the side; set by the factory
    reverse = False

    def __init__(self, instance=None):
        super().__init__()
        rel, reverse = self.rel, type(self).reverse
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
        manager_class = create_forward_many_to_many_manager(manager.__class__, self.rel, self.reverse)
        return manager_class(instance=self.instance)

    do_not_call_in_templates = True

    def _db_for(self, model=None):
        """Where a write goes: the routers' choice for the through table (or ``model``), given the instance."""
        return router.db_for_write(model or self.through, instance=self.instance)

    def _build_remove_filters(self, removed_vals):
        filters = Q.create([(self.source_field_name, self.related_val)])
        from ormlette.db.models.query.queryset import QuerySet

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
        mode = self.instance._state.fetch_mode
        if mode is not _fm.FETCH_ONE:
            queryset = queryset.fetch_mode(mode)  # copied to the related objects, as Django 6.1
        queryset._add_hints(instance=self.instance)
        if self._db:
            queryset = queryset.using(self._db)
        queryset._defer_next_filter = True
        return queryset._next_is_sticky().filter(**self.core_filters)

    def _remove_prefetched_objects(self):
        remove_prefetched(self.instance, self.prefetch_cache_name)

    def get_queryset(self):
        try:
            return self.instance._prefetched_objects_cache[self.prefetch_cache_name]
        except (AttributeError, KeyError):
            if _fm.listener is not None:
                rel, reverse = self.rel, self.reverse
                name = rel.accessor_name if reverse else rel.field.name
                _fm.listener("many", self.instance, name, rel.field.related_query_name() if reverse else name)
            return self._apply_rel_filters(super().get_queryset())

    def get_prefetch_querysets(self, instances, querysets=None):
        queryset = querysets[0] if querysets else super().get_queryset()
        queryset._add_hints(instance=instances[0])
        queryset = queryset.using(queryset._db or self._db)
        queryset = queryset._next_is_sticky().filter(**{"%s__in" % self.query_field_name: instances})
        # Select the source value through the join so rows can be matched to their instances.
        from ormlette.db.models.expressions.base import F

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

    def _prefetch_grouped(self, instances, querysets=None):
        """get_prefetch_querysets() with the fetched objects grouped by key, or None when it does not apply.

        Applies to a one-column relation whose queryset has no nested lookups of its own: those run when
        the queryset is evaluated, which must wait until prefetch_related_objects has taken them.
        """
        if len(self.source_field.related_fields) != 1 or (querysets and querysets[0]._prefetch_related_lookups):
            return None
        queryset, _, _, single, cache_name, is_descriptor = self.get_prefetch_querysets(instances, querysets)
        lh_field, rh_field = self.source_field.related_fields[0]
        groups = group_by(list(queryset), attrgetter("_prefetch_related_val_%s" % lh_field.attname))
        return queryset, groups, attribute_reader(rh_field.attname), single, cache_name, is_descriptor

    def _prefetch_cache_filler(self, instances, queryset=None):
        """fill(instances, groups, instance key, cache name): caches what ``<accessor>.all()`` returns."""
        base = super().get_queryset() if queryset is None else queryset
        return many_to_many_queryset_filler(base, self.source_field, self.query_field_name)

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
        db = self._db_for(self.instance.__class__)
        new_obj = super(ManyRelatedManagerMethods, self.db_manager(db)).create(**kwargs)
        self.add(new_obj, through_defaults=through_defaults)
        return new_obj

    create.alters_data = True

    def get_or_create(self, *, through_defaults=None, **kwargs):
        db = self._db_for(self.instance.__class__)
        obj, created = super(ManyRelatedManagerMethods, self.db_manager(db)).get_or_create(**kwargs)
        if created:
            self.add(obj, through_defaults=through_defaults)
        return obj, created

    get_or_create.alters_data = True

    def update_or_create(self, *, through_defaults=None, **kwargs):
        db = self._db_for(self.instance.__class__)
        obj, created = super(ManyRelatedManagerMethods, self.db_manager(db)).update_or_create(**kwargs)
        if created:
            self.add(obj, through_defaults=through_defaults)
        return obj, created

    update_or_create.alters_data = True

    def _get_target_ids(self, target_field_name, objs):
        from ormlette.db.models.base import Model

        target_ids = set()
        target_field = self.through._meta.get_field(target_field_name)
        for obj in objs:
            if isinstance(obj, self.model):
                if not router.allow_relation(obj, self.instance):
                    raise ValueError('Cannot add "%r": instance is on database "%s", value is on database '
                                     '"%s"' % (obj, self.instance._state.db, obj._state.db))
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


def create_forward_many_to_many_manager(superclass, rel, reverse):
    """The manager class behind both sides of a ManyToManyField."""

    class ManyRelatedManager(ManyRelatedManagerMethods, superclass):
        pass

    ManyRelatedManager.rel, ManyRelatedManager.reverse = rel, reverse
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
