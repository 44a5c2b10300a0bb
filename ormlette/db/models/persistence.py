"""Model.save() and refresh_from_db(): Django's insert-or-update rules."""
from ormlette.db import DEFAULT_DB_ALIAS, connections, router, transaction
from ormlette.db.models import signals
from ormlette.db.models.expressions.base import DatabaseDefault
from ormlette.db.models.fast.unchanged import PLAIN_SAVE_TYPES, save_unchanged_types
from ormlette.db.models.sql.query import Query
from ormlette.db.models.sql.write import insert_rows, update_rows


def save_instance(instance, force_insert, force_update, using, update_fields):
    """Validate save() arguments, then save_base."""
    prepare_related_fields_for_save(instance)
    using = using or router.db_for_write(instance.__class__, instance=instance)
    if force_insert and (force_update or update_fields):
        raise ValueError("Cannot force both insert and updating in model saving.")
    if update_fields is not None:
        if not update_fields:
            return
        update_fields = frozenset(update_fields)
        field_names = _updatable_field_names(instance)
        non_model_fields = update_fields.difference(field_names)
        if non_model_fields:
            raise ValueError("The following fields do not exist in this model, are m2m fields, primary keys, or "
                             "are non-concrete fields: %s" % ", ".join(sorted(non_model_fields)))
    elif not force_insert and using == instance._state.db and not instance._state.adding and (
            deferred := _deferred_non_generated(instance)):
        field_names = set()
        pk_fields = {instance._meta.pk}
        for field in instance._meta.concrete_fields:
            if field not in pk_fields and not hasattr(field, "through"):
                field_names.add(field.attname)
        loaded_fields = field_names.difference(deferred)
        if loaded_fields:
            update_fields = frozenset(loaded_fields)
    save_base(instance, False, force_insert, force_update, using, update_fields)


def _deferred_non_generated(instance):
    return {name for name in instance.get_deferred_fields()
            if not getattr(instance._meta._attname_map.get(name), "generated", False)}


def _updatable_field_names(instance):
    names = set()
    for field in instance._meta.concrete_fields:
        if not field.primary_key:
            names.add(field.name)
            if field.name != field.attname:
                names.add(field.attname)
    return names


def prepare_related_fields_for_save(instance, operation_name="save", fields=None):
    """Refuse unsaved related objects; copy a related object's pk into the foreign key column."""
    for field in instance._meta.concrete_fields:
        if fields is not None and field not in fields:
            continue
        if not (field.is_relation and hasattr(field, "is_cached") and field.is_cached(instance)):
            continue
        obj = field.get_cached_value(instance, None)
        if obj is None:
            continue
        if obj.pk is None:
            if not field.remote_field.multiple:
                field.remote_field.delete_cached_value(obj)
            raise ValueError("%s() prohibited to prevent data loss due to unsaved related object '%s'."
                             % (operation_name, field.name))
        target = getattr(obj, field.target_field.attname)
        if getattr(instance, field.attname) in field.empty_values:
            setattr(instance, field.attname, target)
        elif target != getattr(instance, field.attname):
            field.delete_cached_value(instance)


def save_base(instance, raw, force_insert, force_update, using, update_fields):
    """Send signals around the insert or update, inside a transaction when needed."""
    using = using or DEFAULT_DB_ALIAS
    cls = instance.__class__
    meta = cls._meta
    if not meta.auto_created and signals.pre_save.has_listeners(cls):
        signals.pre_save.send(sender=cls, instance=instance, raw=raw, using=using, update_fields=update_fields)
    try:  # transaction.mark_for_rollback_on_error, without a generator per save
        updated = _save_table(instance, raw, cls, force_insert, force_update, using, update_fields)
    except Exception as exc:
        transaction.mark_rollback_after_error(using, exc)
        raise
    instance._state.db = using
    instance._state.adding = False
    if not meta.auto_created and signals.post_save.has_listeners(cls):
        signals.post_save.send(sender=cls, instance=instance, created=not updated, update_fields=update_fields,
                               raw=raw, using=using)


def _save_table(instance, raw, cls, force_insert, force_update, using, update_fields):
    """UPDATE the row when it may exist, INSERT it otherwise; whether it was updated."""
    meta = cls._meta
    connection = connections[using]
    pk_val = _pk_for_save(instance, meta)
    pk_set = pk_val is not None
    if not pk_set and (force_update or update_fields):
        raise ValueError("Cannot force an update in save() with no primary key.")
    updated = False
    # A new instance whose pk comes from a default cannot exist yet: skip the UPDATE.
    if (not raw and not force_insert and not force_update and instance._state.adding
            and (meta.pk.has_default() or meta.pk.has_db_default())):
        force_insert = True
    if pk_set and not force_insert:
        updated = _update_existing(instance, raw, cls, force_update, using, update_fields, pk_val, connection)
    if not updated:
        _do_insert(instance, cls, using, connection, pk_set)
    return updated


def _pk_for_save(instance, meta):
    """The instance's pk, set first from the field's on-save value or default when it has none."""
    if instance._get_pk_val(meta) is None:
        pk_val = meta.pk.get_pk_value_on_save(instance) if hasattr(meta.pk, "get_pk_value_on_save") else None
        if pk_val is None and meta.pk.has_default():
            pk_val = meta.pk.get_default()
        setattr(instance, meta.pk.attname, pk_val)
    return instance._get_pk_val(meta)


def _update_existing(instance, raw, cls, force_update, using, update_fields, pk_val, connection):
    """UPDATE the instance's row; whether a row was updated (raises where the update was forced)."""
    meta = cls._meta
    non_pks = [f for f in meta.local_concrete_fields if not f.primary_key and not getattr(f, "generated", False)]
    if update_fields:
        non_pks = [f for f in non_pks if f.name in update_fields or f.attname in update_fields]
    values = {f.name: (getattr(instance, f.attname) if raw else f.pre_save(instance, False)) for f in non_pks}
    forced_update = update_fields or force_update
    updated = _do_update(instance, cls, using, pk_val, values, update_fields, forced_update, connection)
    if force_update and not updated:
        raise cls.NotUpdated("Forced update did not affect any rows.")
    if update_fields and not updated:
        raise cls.NotUpdated("Save with update_fields did not affect any rows.")
    if updated:
        _expire_generated(instance)
    return updated


def _expire_generated(instance):
    # The database recomputed them: they load again (one query) when next read.
    for field in instance._meta.local_concrete_fields:
        if getattr(field, "generated", False):
            instance.__dict__.pop(field.attname, None)


def _do_update(instance, cls, using, pk_val, values, update_fields, forced_update, connection):
    filtered = cls._base_manager.using(using).filter(pk=pk_val)
    if not values:
        return update_fields is not None or filtered.exists()
    if cls._meta.select_on_save and not forced_update:
        return filtered.exists() and (update_rows(filtered.query, values, connection) > 0 or filtered.exists())
    return update_rows(filtered.query, values, connection) > 0


def _do_insert(instance, cls, using, connection, pk_set):
    meta = cls._meta
    plan = _insert_plan(meta, pk_set)
    query = None
    plain = True
    insert_fields, values = [], []
    for field, unchanged_types in plan.fields_and_types:
        value = field.pre_save(instance, True)
        if type(value) in unchanged_types:
            pass  # get_db_prep_save would return it as it is
        elif isinstance(value, DatabaseDefault):
            continue  # the column's DEFAULT fills it; RETURNING brings it back
        elif hasattr(value, "resolve_expression"):
            if query is None:
                query = Query(cls)
            value = value.resolve_expression(query, allow_joins=False, for_save=True)
            plain = False
        else:
            value = field.get_db_prep_save(value, connection)
            plain = plain and not hasattr(value, "resolve_expression")
        insert_fields.append(field)
        values.append(value)
    rows = insert_rows(connection, cls, insert_fields, [values], plan.returning_fields, plain=plain)
    if rows:
        names = plan.returning_attnames
        if not connection.features.can_return_columns_from_insert:
            names = plan.auto_attname
        for name, value in zip(names, rows[0]):
            for converter in meta._attname_map[name].get_db_converters(connection):
                value = converter(value)
            setattr(instance, name, value)
    if not connection.features.can_return_columns_from_insert:
        _expire_database_values(instance)


class InsertPlan:
    """What save() inserts for a model: its insertable fields and the fields the database fills."""

    __slots__ = ("fields_and_types", "returning_fields", "returning_attnames", "auto_attname")

    def __init__(self, meta, pk_set):
        fields = [f for f in meta.local_concrete_fields
                  if not getattr(f, "generated", False) and (pk_set or f is not meta.auto_field)]
        # With each field, the value types its get_db_prep_save returns unchanged (the call is skipped).
        self.fields_and_types = tuple((f, save_unchanged_types(f, PLAIN_SAVE_TYPES)) for f in fields)
        self.returning_fields = tuple(meta.db_returning_fields)
        self.returning_attnames = tuple(f.attname for f in self.returning_fields)
        self.auto_attname = (meta.auto_field.attname,) if meta.auto_field is not None else ()


def _insert_plan(meta, pk_set):
    """The model's InsertPlan (kept on ``_meta``; dropped with its other field caches)."""
    plans = meta.__dict__.get("_insert_plans")
    if plans is None:
        plans = meta.__dict__["_insert_plans"] = {}
    plan = plans.get(pk_set)
    if plan is None:
        plan = plans[pk_set] = InsertPlan(meta, pk_set)
    return plan


def _expire_database_values(instance):
    for field in instance._meta.local_concrete_fields:
        if getattr(field, "generated", False) or isinstance(instance.__dict__.get(field.attname), DatabaseDefault):
            instance.__dict__.pop(field.attname, None)


def refresh_instance(instance, using, fields, from_queryset):
    """Reload fields from the database (deferred ones too when fields is None)."""
    if fields is None:
        instance._prefetched_objects_cache = {}
    else:
        prefetched = getattr(instance, "_prefetched_objects_cache", {})
        for field in fields:
            if field in prefetched:
                del prefetched[field]
                fields.remove(field)
            if not fields:
                return
        if any("__" in f for f in fields):
            raise ValueError('Found "__" in fields argument. Relations and transforms are not allowed in fields.')
    if from_queryset is None:
        hints = {"instance": instance}
        from_queryset = instance.__class__._base_manager.db_manager(using, hints=hints).all()
    elif using is not None:
        from_queryset = from_queryset.using(using)
    db_instance_qs = from_queryset.filter(pk=instance.pk)
    deferred_fields = instance.get_deferred_fields()
    if fields is not None:
        db_instance_qs = db_instance_qs.only(*fields)
    elif deferred_fields:
        db_instance_qs = db_instance_qs.only(*{f.attname for f in instance._meta.concrete_fields
                                               if f.attname not in deferred_fields})
    db_instance = db_instance_qs.get()
    non_loaded = db_instance.get_deferred_fields()
    for field in instance._meta.concrete_fields:
        if field.attname in non_loaded:
            continue
        if fields is not None and field.attname not in fields and field.name not in fields:
            continue
        instance.__dict__[field.attname] = db_instance.__dict__[field.attname]
        if field.is_relation and hasattr(field, "is_cached") and field.is_cached(instance):
            field.delete_cached_value(instance)
    for field in instance._meta.related_objects:
        if hasattr(field, "is_cached") and field.is_cached(instance):
            field.delete_cached_value(instance)
    instance._state.db = db_instance._state.db

