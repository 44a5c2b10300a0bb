"""ManyToManyField and its auto-created intermediary (through) model."""
from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any, overload

from typing_extensions import TypeVar

from ormlette.db.models.fields.related import (
    RECURSIVE_RELATIONSHIP_CONSTANT, ForeignKey, RelatedField, check_related_to, lazy_related_operation, resolve_relation,
)
from ormlette.db.models.fields.related_descriptors import ManyToManyDescriptor
from ormlette.db.models.fields.reverse_related import ManyToManyRel

if TYPE_CHECKING:
    from ormlette.db.models.base import Model
    from ormlette.db.models.manager import RelatedManager

_RT = TypeVar("_RT", default=Any)
_MT = TypeVar("_MT", bound="Model")


def create_many_to_many_intermediary_model(field, klass):
    """The auto-created through model of a ManyToManyField."""
    from ormlette.db.models.base import Model
    from ormlette.db.models.query.deletion import CASCADE

    to_model = resolve_relation(klass, field.remote_field.model)
    name = "%s_%s" % (klass._meta.object_name, field.name)
    if isinstance(to_model, str):
        to = to_model.split(".")[-1].lower()
    else:
        to = to_model._meta.model_name
    from_ = klass._meta.model_name
    if to == from_:
        to = "to_%s" % to
        from_ = "from_%s" % from_
    meta = type("Meta", (), {
        "db_table": field._get_m2m_db_table(klass._meta),
        "auto_created": klass,
        "app_label": klass._meta.app_label,
        "apps": klass._meta.apps,
        "db_tablespace": klass._meta.db_tablespace,
        "unique_together": (from_, to),
        "verbose_name": "%s-%s relationship" % (from_, to),
        "verbose_name_plural": "%s-%s relationships" % (from_, to),
    })
    attrs = {
        "Meta": meta,
        "__module__": klass.__module__,
        from_: ForeignKey(klass, related_name="%s+" % name, db_tablespace=field.db_tablespace,
                          db_constraint=field.remote_field.db_constraint, on_delete=CASCADE),
        to: ForeignKey(to_model, related_name="%s+" % name, db_tablespace=field.db_tablespace,
                       db_constraint=field.remote_field.db_constraint, on_delete=CASCADE),
    }
    return type(name, (Model,), attrs)


class ManyToManyField(RelatedField[_RT]):
    """A many-to-many relation through an intermediary table."""

    if TYPE_CHECKING:
        @overload
        def __init__(self: ManyToManyField[RelatedManager[_MT]], to: type[_MT], *args: Any, **kwargs: Any) -> None: ...
        @overload
        def __init__(self: ManyToManyField[RelatedManager[Any]], to: str, *args: Any, **kwargs: Any) -> None: ...

    __module__ = "ormlette.db.models.fields.related"  # its public path (deconstruct, repr, pickling)
    many_to_many = True
    many_to_one = False
    one_to_many = False
    one_to_one = False
    rel_class = ManyToManyRel
    description = "Many-to-many relationship"

    def __init__(self, to, related_name=None, related_query_name=None, limit_choices_to=None, symmetrical=None,
                 through=None, through_fields=None, db_constraint=True, db_table=None, swappable=True, **kwargs):
        check_related_to(type(self).__name__, to)
        if symmetrical is None:
            symmetrical = to == RECURSIVE_RELATIONSHIP_CONSTANT
        if through is not None and db_table is not None:
            raise ValueError("Cannot specify a db_table if an intermediary model is used.")
        kwargs["rel"] = self.rel_class(self, to, related_name=related_name, related_query_name=related_query_name,
                                       limit_choices_to=limit_choices_to, symmetrical=symmetrical, through=through,
                                       through_fields=through_fields, db_constraint=db_constraint)
        self.has_null_arg = "null" in kwargs
        super().__init__(**kwargs)
        self.db_table = db_table
        self.swappable = swappable

    def deconstruct_kwargs(self, kwargs):
        """``to`` (and a declared ``through``) as labels; an auto-created ``through`` is left out."""
        from ormlette.db.models.fields.related import label_lower

        kwargs["to"] = label_lower(self.remote_field.model)
        through = self.remote_field.through
        if through is not None and (isinstance(through, str) or not through._meta.auto_created):
            kwargs["through"] = label_lower(through)
        else:
            kwargs.pop("through", None)
        return kwargs

    def get_attname_column(self):
        return self.get_attname(), None

    def _get_m2m_db_table(self, opts):
        if self.remote_field.through is not None and not isinstance(self.remote_field.through, str) and \
                not self.remote_field.through._meta.auto_created:
            return self.remote_field.through._meta.db_table
        if self.db_table:
            return self.db_table
        return "%s_%s" % (opts.db_table, self.name)

    def contribute_to_class(self, cls, name, **kwargs):
        rel = self.remote_field
        if rel.symmetrical and (rel.model == RECURSIVE_RELATIONSHIP_CONSTANT or rel.model == cls._meta.object_name):
            rel.related_name = "%s_rel_+" % name
        elif rel.is_hidden():
            rel.related_name = "_%s_%s_%s_+" % (cls._meta.app_label, cls.__name__.lower(), name)
        super().contribute_to_class(cls, name, **kwargs)
        if not cls._meta.abstract:
            if rel.through:
                def resolve_through_model(_, model, field):
                    field.remote_field.through = model

                lazy_related_operation(resolve_through_model, cls, rel.through, field=self)
            else:
                rel.through = create_many_to_many_intermediary_model(self, cls)
        setattr(cls, self.name, ManyToManyDescriptor(self.remote_field, reverse=False))
        self.m2m_db_table = functools.partial(self._get_m2m_db_table, cls._meta)

    def contribute_to_related_class(self, cls, related):
        if not self.remote_field.is_hidden() and not related.related_model._meta.swapped:
            setattr(cls, related.get_accessor_name(), ManyToManyDescriptor(self.remote_field, reverse=True))
        for name in ("path_infos", "reverse_path_infos"):
            self.__dict__.pop(name, None)

    # -- the through model's two foreign keys ----------------------------------------------------
    def _through_link(self, reverse):
        """The through model's FK pointing at the source (or, with reverse, the target) model."""
        key = "_m2m_reverse_link" if reverse else "_m2m_link"
        found = self.__dict__.get(key)
        if found is not None:
            return found
        through = self.remote_field.through
        if isinstance(through, str):
            raise ValueError("The through model %r of %s has not been declared." % (through, self))
        opts = through._meta
        if self.remote_field.through_fields:
            found = opts.get_field(self.remote_field.through_fields[1 if reverse else 0])
        else:
            source, target = self.model, self.remote_field.model
            candidates = [f for f in opts.fields if f.is_relation and f.remote_field.model in (source, target)]
            if source is target or (isinstance(target, type) and target._meta.concrete_model is
                                    source._meta.concrete_model):
                matches = [f for f in candidates if f.remote_field.model is source]
                found = matches[1] if reverse and len(matches) > 1 else matches[0]
            else:
                wanted = target if reverse else source
                found = next(f for f in candidates if f.remote_field.model is wanted)
        self.__dict__[key] = found
        return found

    def m2m_field_name(self):
        """Name of the through FK to the source model."""
        return self._through_link(False).name

    def m2m_reverse_field_name(self):
        """Name of the through FK to the target model."""
        return self._through_link(True).name

    def m2m_column_name(self):
        return self._through_link(False).column

    def m2m_reverse_name(self):
        return self._through_link(True).column

    def m2m_target_field_name(self):
        return self._through_link(False).target_field.name

    def m2m_reverse_target_field_name(self):
        return self._through_link(True).target_field.name

    def _get_path_info(self, direct=False, filtered_relation=None):
        link1 = self._through_link(False)
        link2 = self._through_link(True)
        if direct:
            first, second = link1.reverse_path_infos, link2.path_infos
        else:
            first, second = link2.reverse_path_infos, link1.path_infos
        if filtered_relation:
            first = [p._replace(filtered_relation=filtered_relation) for p in first]
            second = [p._replace(filtered_relation=filtered_relation) for p in second]
        return [*first, *second]

    def get_path_info(self, filtered_relation=None):
        return self._get_path_info(direct=True, filtered_relation=filtered_relation)

    @property
    def path_infos(self):
        return self._get_path_info(direct=True)

    def get_reverse_path_info(self, filtered_relation=None):
        return self._get_path_info(direct=False, filtered_relation=filtered_relation)

    @property
    def reverse_path_infos(self):
        return self._get_path_info(direct=False)

    @property
    def target_field(self):
        return self.path_infos[-1].target_fields[0]

    def value_from_object(self, obj):
        """The related objects (a list)."""
        return [] if obj.pk is None else list(getattr(obj, self.attname).all())

    def save_form_data(self, instance, data):
        getattr(instance, self.attname).set(data)

    def db_type(self, connection):
        return None

    def get_col(self, alias, output_field=None):
        from ormlette.db.models.expressions.base import Col

        return Col(alias, self, output_field)
