"""The deletion collector: on_delete handlers, cascades, signals, one transaction."""
from collections import Counter, defaultdict
from functools import reduce
from itertools import chain
from operator import attrgetter, or_

from ormlette.db import IntegrityError, connections, transaction
from ormlette.db.models import signals
from ormlette.db.models.query_utils import Q


class ProtectedError(IntegrityError):
    """Deleting was prevented by on_delete=PROTECT."""

    def __init__(self, msg, protected_objects):
        self.protected_objects = protected_objects
        super().__init__(msg, protected_objects)


class RestrictedError(IntegrityError):
    """Deleting was prevented by on_delete=RESTRICT."""

    def __init__(self, msg, restricted_objects):
        self.restricted_objects = restricted_objects
        super().__init__(msg, restricted_objects)


def CASCADE(collector, field, sub_objs, using):
    """Delete the related objects too."""
    collector.collect(sub_objs, source=field.remote_field.model, source_attr=field.name,
                      nullable=field.null, fail_on_restricted=False)
    if field.null and not connections[using].features.can_defer_constraint_checks:
        collector.add_field_update(field, None, sub_objs)


def PROTECT(collector, field, sub_objs, using):
    """Refuse to delete while related objects exist."""
    raise ProtectedError(
        "Cannot delete some instances of model '%s' because they are referenced through a protected foreign key: "
        "'%s.%s'" % (field.remote_field.model.__name__, sub_objs[0].__class__.__name__, field.name), sub_objs)


def RESTRICT(collector, field, sub_objs, using):
    """Refuse unless the related objects are deleted by a cascade in the same operation."""
    collector.add_restricted_objects(field, sub_objs)
    collector.add_dependency(field.remote_field.model, field.model)


def SET(value):
    """Set the foreign key to ``value`` (or ``value()``)."""
    if callable(value):
        def set_on_delete(collector, field, sub_objs, using):
            collector.add_field_update(field, value(), sub_objs)
    else:
        def set_on_delete(collector, field, sub_objs, using):
            collector.add_field_update(field, value, sub_objs)
    set_on_delete.deconstruct = lambda: ("ormlette.db.models.SET", (value,), {})
    set_on_delete.lazy_sub_objs = True
    return set_on_delete


def SET_NULL(collector, field, sub_objs, using):
    """Set the foreign key to NULL."""
    collector.add_field_update(field, None, sub_objs)


SET_NULL.lazy_sub_objs = True


def SET_DEFAULT(collector, field, sub_objs, using):
    """Set the foreign key to its default."""
    collector.add_field_update(field, field.get_default(), sub_objs)


SET_DEFAULT.lazy_sub_objs = True


def DO_NOTHING(collector, field, sub_objs, using):
    """Leave related rows alone (the database may object)."""


def _referenced_fields(model):
    """Attnames other models' relations point at (what a cascade from ``model`` needs)."""
    names = {model._meta.pk.attname}
    for rel in get_candidate_relations_to_delete(model._meta):
        names.update(f.attname for f in rel.field.foreign_related_fields)
    return names


def get_candidate_relations_to_delete(opts):
    """Reverse one-to-one and many-to-one relations that can be affected."""
    return (f for f in opts.related_objects if f.auto_created and not f.concrete and (f.one_to_one or f.one_to_many))


class Collector:
    """Collects the objects to delete and the updates on_delete needs, then runs them."""

    def __init__(self, using, origin=None):
        self.using = using
        self.origin = origin
        self.data = defaultdict(set)
        self.field_updates = defaultdict(list)
        self.restricted_objects = defaultdict(lambda: defaultdict(set))
        self.fast_deletes = []
        self.dependencies = defaultdict(set)

    def add(self, objs, source=None, nullable=False, reverse_dependency=False):
        """Schedule objects for deletion; return the new ones."""
        if not objs:
            return []
        new_objs = []
        model = objs[0].__class__
        instances = self.data[model]
        for obj in objs:
            if obj not in instances:
                new_objs.append(obj)
        instances.update(new_objs)
        if source is not None and not nullable:
            self.add_dependency(source, model, reverse_dependency=reverse_dependency)
        return new_objs

    def add_dependency(self, model, dependency, reverse_dependency=False):
        """``model`` rows must be deleted before ``dependency`` rows."""
        if reverse_dependency:
            model, dependency = dependency, model
        self.dependencies[model._meta.concrete_model].add(dependency._meta.concrete_model)
        self.data.setdefault(dependency, self.data.default_factory())

    def add_field_update(self, field, value, objs):
        """Schedule ``field = value`` on ``objs`` (a list or a queryset)."""
        self.field_updates[field, value].append(objs)

    def add_restricted_objects(self, field, objs):
        """Remember RESTRICT-protected objects."""
        if objs:
            model = objs[0].__class__
            self.restricted_objects[model][field].update(objs)

    def clear_restricted_objects_from_set(self, model, objs):
        """Objects being deleted anyway are no longer restricted."""
        if model in self.restricted_objects:
            self.restricted_objects[model] = {
                field: items - objs for field, items in self.restricted_objects[model].items()}

    def clear_restricted_objects_from_queryset(self, model, qs):
        """Like clear_restricted_objects_from_set for a queryset."""
        if model in self.restricted_objects:
            objs = set(qs.filter(pk__in=[obj.pk for objs in self.restricted_objects[model].values()
                                         for obj in objs]))
            self.clear_restricted_objects_from_set(model, objs)

    def _has_signal_listeners(self, model):
        return signals.pre_delete.has_listeners(model) or signals.post_delete.has_listeners(model)

    def can_fast_delete(self, objs, from_field=None):
        """Whether ``objs`` (a queryset) can be deleted with one DELETE and no fetch."""
        if from_field and from_field.remote_field.on_delete is not CASCADE:
            return False
        if hasattr(objs, "_meta"):
            model = objs._meta.model
        elif hasattr(objs, "model") and hasattr(objs, "_raw_delete"):
            model = objs.model
        else:
            return False
        if self._has_signal_listeners(model):
            return False
        opts = model._meta
        return (all(related.field.remote_field.on_delete is DO_NOTHING
                    for related in get_candidate_relations_to_delete(opts))
                and not any(hasattr(field, "bulk_related_objects") for field in opts.private_fields))

    def get_del_batches(self, objs, fields):
        """Split objs in batches that fit the parameter limit."""
        conn_batch_size = max(connections[self.using].ops.max_query_params() // max(len(fields), 1), 1)
        if len(objs) > conn_batch_size:
            return [objs[i:i + conn_batch_size] for i in range(0, len(objs), conn_batch_size)]
        return [objs]

    def collect(self, objs, source=None, nullable=False, collect_related=True, source_attr=None,
                reverse_dependency=False, keep_parents=False, fail_on_restricted=True):
        """Add ``objs`` and everything on_delete says must change with them."""
        if self.can_fast_delete(objs):
            self.fast_deletes.append(objs)
            return
        new_objs = self.add(list(objs), source, nullable, reverse_dependency=reverse_dependency)
        if not new_objs:
            return
        model = new_objs[0].__class__
        if not collect_related:
            return
        model_fast_deletes = defaultdict(list)
        protected_objects = defaultdict(list)
        for related in get_candidate_relations_to_delete(model._meta):
            if keep_parents and related.model in model._meta.parents:
                continue
            field = related.field
            on_delete = field.remote_field.on_delete
            if on_delete == DO_NOTHING:
                continue
            related_model = related.related_model
            if self.can_fast_delete(related_model, from_field=field):
                model_fast_deletes[related_model].append(field)
                continue
            batches = self.get_del_batches(new_objs, [field])
            for batch in batches:
                sub_objs = self.related_objects(related_model, [field], batch)
                lazy = getattr(on_delete, "lazy_sub_objs", False)
                if not lazy:
                    if not self._has_signal_listeners(related_model):
                        # Only the columns later cascades need are fetched.
                        sub_objs = sub_objs.only(*_referenced_fields(related_model))
                    sub_objs = list(sub_objs)
                    if not sub_objs:
                        continue
                try:
                    on_delete(self, field, sub_objs, self.using)
                except ProtectedError as error:
                    key = "'%s.%s'" % (field.model.__name__, field.name)
                    protected_objects[key] += error.protected_objects
        if protected_objects:
            raise ProtectedError(
                "Cannot delete some instances of model %r because they are referenced through protected foreign "
                "keys: %s." % (model.__name__, ", ".join(protected_objects)),
                set(chain.from_iterable(protected_objects.values())))
        for related_model, related_fields in model_fast_deletes.items():
            batches = self.get_del_batches(new_objs, related_fields)
            for batch in batches:
                sub_objs = self.related_objects(related_model, related_fields, batch)
                self.fast_deletes.append(sub_objs)
        for field in model._meta.private_fields:
            if hasattr(field, "bulk_related_objects"):
                sub_objs = field.bulk_related_objects(new_objs, self.using)
                self.collect(sub_objs, source=model, nullable=True, fail_on_restricted=False)
        if fail_on_restricted:
            self._check_restricted()

    def _check_restricted(self):
        for related_model, instances in self.data.items():
            self.clear_restricted_objects_from_set(related_model, instances)
        for qs in self.fast_deletes:
            self.clear_restricted_objects_from_queryset(qs.model, qs)
        if self.restricted_objects.values():
            restricted_objects = defaultdict(list)
            for related_model, fields in self.restricted_objects.items():
                for field, objs in fields.items():
                    if objs:
                        key = "'%s.%s'" % (related_model.__name__, field.name)
                        restricted_objects[key] += objs
            if restricted_objects:
                raise RestrictedError(
                    "Cannot delete some instances of model %r because they are referenced through restricted "
                    "foreign keys: %s." % (next(iter(self.data)).__name__ if self.data else "?",
                                            ", ".join(restricted_objects)),
                    set(chain.from_iterable(restricted_objects.values())))

    def related_objects(self, related_model, related_fields, objs):
        """A queryset of rows pointing at ``objs`` through ``related_fields``."""
        predicate = reduce(or_, (Q(**{"%s__in" % related_field.name: objs}) for related_field in related_fields))
        queryset = related_model._base_manager.using(self.using).filter(predicate)
        queryset._deletion_predicate = predicate
        return queryset

    def instances_with_model(self):
        """(model, obj) pairs."""
        for model, instances in self.data.items():
            for obj in instances:
                yield model, obj

    def sort(self):
        """Order models so dependents are deleted first."""
        sorted_models = []
        concrete_models = set()
        models = list(self.data)
        while len(sorted_models) < len(models):
            found = False
            for model in models:
                if model in sorted_models:
                    continue
                dependencies = self.dependencies.get(model._meta.concrete_model)
                if not (dependencies and dependencies.difference(concrete_models)):
                    sorted_models.append(model)
                    concrete_models.add(model._meta.concrete_model)
                    found = True
            if not found:
                return
        self.data = {model: self.data[model] for model in sorted_models}

    def delete(self):
        """Run everything in one transaction; return (total, {label: count})."""
        for model, instances in self.data.items():
            self.data[model] = sorted(instances, key=attrgetter("pk"))
        self.sort()
        single = self._single_fast_delete()
        if single is not None:
            return self._delete_single(*single)
        deleted_counter = Counter()
        with transaction.atomic(using=self.using, savepoint=False):
            self._send_pre_delete()
            for qs in self.fast_deletes:
                count = qs._raw_delete(using=self.using)
                if count:
                    deleted_counter[qs.model._meta.label] += count
            for (field, value), instances_list in self.field_updates.items():
                self._update_field(field, value, instances_list)
            for model, instances in self.data.items():
                count = self._delete_instances(model, instances)
                if count:
                    deleted_counter[model._meta.label] += count
        for model, instances in self.data.items():
            for instance in instances:
                setattr(instance, model._meta.pk.attname, None)
        return sum(deleted_counter.values()), dict(deleted_counter)

    def _single_fast_delete(self):
        """(model, instance) when the whole job is one instance deletable by one DELETE, else None."""
        if len(self.data) == 1 and not self.fast_deletes and not self.field_updates:
            model, instances = next(iter(self.data.items()))
            if len(instances) == 1 and self.can_fast_delete(model):
                return model, instances[0]
        return None

    def _delete_single(self, model, instance):
        with transaction.mark_for_rollback_on_error(self.using):
            count = model._base_manager.using(self.using).filter(pk=instance.pk)._raw_delete(self.using)
        setattr(instance, model._meta.pk.attname, None)
        return count, {model._meta.label: count}

    def _send_pre_delete(self):
        for model, obj in self.instances_with_model():
            if not model._meta.auto_created and signals.pre_delete.has_listeners(model):
                signals.pre_delete.send(sender=model, instance=obj, using=self.using, origin=self.origin)

    def _update_field(self, field, value, instances_list):
        """SET_NULL / SET_DEFAULT / SET(...): one UPDATE for the querysets, one for the instances."""
        updates = []
        objs = []
        for instances in instances_list:
            if hasattr(instances, "_raw_delete"):
                updates.append(instances)
            else:
                objs.extend(instances)
        if updates:
            predicates = [getattr(qs, "_deletion_predicate", None) for qs in updates]
            if None in predicates:
                combined = reduce(or_, updates)
            else:
                # One UPDATE for every batch, OR-ing the filters (as Django's combined querysets).
                combined = updates[0].model._base_manager.using(self.using).filter(reduce(or_, predicates))
            combined.update(**{field.name: value})
        if objs:
            model = objs[0].__class__
            model._base_manager.using(self.using).filter(pk__in=list({obj.pk for obj in objs})).update(
                **{field.name: value})
        for obj in objs:
            setattr(obj, field.attname, value)

    def _delete_instances(self, model, instances):
        """DELETE ``instances`` in batches, then send post_delete; the row count."""
        pk_list = [obj.pk for obj in instances]
        count = 0
        for batch in self.get_del_batches(pk_list, [model._meta.pk]):
            count += model._base_manager.using(self.using).filter(pk__in=batch)._raw_delete(self.using)
        if not model._meta.auto_created and signals.post_delete.has_listeners(model):
            for obj in instances:
                signals.post_delete.send(sender=model, instance=obj, using=self.using, origin=self.origin)
        return count
