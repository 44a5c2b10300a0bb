"""QuerySet's write methods: create, get_or_create, update_or_create, bulk writes, update and delete."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from typing_extensions import TypeVar

from ormlette.core.exceptions import FieldDoesNotExist, FieldError
from ormlette.db import connections, transaction
from ormlette.db.errors import IntegrityError
from ormlette.db.models.query_utils import LOOKUP_SEP
from ormlette.utils.typing_support import GenericBase

if TYPE_CHECKING:
    from typing_extensions import Self

_M = TypeVar("_M", default=Any)


class QuerySetWrites(GenericBase[_M]):
    """The methods of QuerySet that change rows (mixed into QuerySet)."""

    def create(self, **kwargs) -> _M:
        """Create and save an object."""
        reverse_names = self.model._meta._reverse_one_to_one_field_names
        if reverse_names and not reverse_names.isdisjoint(kwargs):
            names = [name for name in kwargs if name in reverse_names]
            raise ValueError("The following fields do not exist in this model: %s" % ", ".join(names))
        obj = self.model(**kwargs)
        if self._fetch_mode is not None:
            obj._state.fetch_mode = self._fetch_mode  # fetch_mode(...).create(...), as Django 6.1
        self._for_write = True
        obj.save(force_insert=True, using=self.db)
        return obj

    def bulk_create(self, objs, batch_size=None, ignore_conflicts=False, update_conflicts=False,
                    update_fields=None, unique_fields=None) -> list[_M]:
        """Insert many objects in few queries; set primary keys where the backend returns them."""
        from ormlette.db.models.query.bulk import bulk_create

        return bulk_create(self, objs, batch_size, ignore_conflicts, update_conflicts, update_fields, unique_fields)

    def bulk_update(self, objs, fields, batch_size=None) -> int:
        """Update the given fields of many objects with CASE WHEN statements."""
        from ormlette.db.models.query.bulk import bulk_update

        return bulk_update(self, objs, fields, batch_size)

    def get_or_create(self, defaults=None, **kwargs) -> tuple[_M, bool]:
        """(object, created): look up, or create (retrying on IntegrityError as Django)."""
        self._for_write = True
        try:
            return self.get(**kwargs), False
        except self.model.DoesNotExist:
            params = self._extract_model_params(defaults, **kwargs)
            try:
                with transaction.atomic(using=self.db):
                    params = dict(_resolve_callables(params))
                    return self.create(**params), True
            except IntegrityError:
                try:
                    return self.get(**kwargs), False
                except self.model.DoesNotExist:
                    pass
                raise

    def update_or_create(self, defaults=None, create_defaults=None, **kwargs) -> tuple[_M, bool]:
        """(object, created): update the match with defaults, or create it."""
        update_defaults = defaults or {}
        if create_defaults is None:
            create_defaults = update_defaults
        self._for_write = True
        with transaction.atomic(using=self.db):
            obj, created = self.select_for_update().get_or_create(create_defaults, **kwargs)
            if created:
                return obj, created
            for k, v in _resolve_callables(update_defaults):
                setattr(obj, k, v)
            update_fields = set(update_defaults)
            if update_fields.issubset(_non_pk_concrete_field_names(self.model)):
                # Fields that set their value in pre_save() (auto_now, ...) are saved too, as Django.
                from ormlette.db.models.fields import Field

                for field in self.model._meta.local_concrete_fields:
                    if not field.primary_key and type(field).pre_save is not Field.pre_save:
                        update_fields.add(field.name)
                        if field.name != field.attname:
                            update_fields.add(field.attname)
                obj.save(using=self.db, update_fields=update_fields)
            else:
                obj.save(using=self.db)
        return obj, False

    def _extract_model_params(self, defaults, **kwargs):
        defaults = defaults or {}
        params = {k: v for k, v in kwargs.items() if LOOKUP_SEP not in k}
        params.update(defaults)
        property_names = self.model._meta._property_names
        invalid_params = []
        for param in params:
            try:
                self.model._meta.get_field(param)
            except FieldDoesNotExist:
                if param not in property_names:
                    invalid_params.append(param)
        if invalid_params:
            raise FieldError("Invalid field name(s) for model %s: '%s'." % (
                self.model._meta.object_name, "', '".join(sorted(invalid_params))))
        return params

    def delete(self) -> tuple[int, dict[str, int]]:
        """Delete the rows (and cascades); return (total, {label: count})."""
        self._not_support_combined_queries("delete")
        if self.query.is_sliced:
            raise TypeError("Cannot use 'limit' or 'offset' with delete().")
        if self.query.distinct_fields:
            raise TypeError("Cannot call delete() after .distinct(*fields).")
        if self._fields is not None:
            raise TypeError("Cannot call delete() after .values() or .values_list()")
        from ormlette.db.models.query.deletion import Collector

        del_query = self._chain()
        del_query._for_write = True
        del_query.query.select_for_update = False
        del_query.query.select_related = False
        del_query.query.clear_ordering(force=True)
        collector = Collector(using=del_query.db, origin=self)
        collector.collect(del_query)
        num_deleted, num_deleted_per_model = collector.delete()
        self._result_cache = None
        return num_deleted, num_deleted_per_model

    delete.alters_data = True
    delete.queryset_only = True

    def _raw_delete(self, using):
        """Delete matching rows with one DELETE and no signals or cascades."""
        from ormlette.db.models.sql.write import delete_rows

        return delete_rows(self.query, connections[using])

    def update(self, **kwargs) -> int:
        """UPDATE the matching rows; return the number of rows matched."""
        self._not_support_combined_queries("update")
        if self.query.is_sliced:
            raise TypeError("Cannot update a query once a slice has been taken.")
        self._for_write = True
        from ormlette.db.models.sql.write import update_rows

        with transaction.mark_for_rollback_on_error(using=self.db):
            rows = update_rows(self.query, kwargs, connections[self.db])
        self._result_cache = None
        return rows

    update.alters_data = True

    def _update(self, values):
        from ormlette.db.models.sql.write import update_rows

        return update_rows(self.query, dict((f.name, v) for f, _, v in values), connections[self.db])


def _resolve_callables(mapping):
    for k, v in mapping.items():
        yield k, v() if callable(v) else v


def _non_pk_concrete_field_names(model):
    names = set()
    for field in model._meta.concrete_fields:
        if not field.primary_key:
            names.update((field.name, field.attname))
    return names
