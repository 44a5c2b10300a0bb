"""Relation fields: ForeignObject, ForeignKey, OneToOneField and ManyToManyField.

ManyToManyField and the intermediary model it creates are defined in ``many_to_many`` and importable from here.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, overload

from typing_extensions import TypeVar

from ormlette.core import exceptions
from ormlette.db.models import registry
from ormlette.db.models.fields.base import Field
from ormlette.db.models.fields.related_descriptors import (
    ForeignKeyDeferredAttribute, ForwardManyToOneDescriptor, ForwardOneToOneDescriptor, ReverseManyToOneDescriptor,
    ReverseOneToOneDescriptor,
)
from ormlette.db.models.lookups.related import register_related_lookups
from ormlette.db.models.fields.related_prefetch import attribute_reader
from ormlette.db.models.fields.reverse_related import (
    FieldCacheMixin, ForeignObjectRel, ManyToManyRel, ManyToOneRel, OneToOneRel,
)
from ormlette.db.models.query_utils import Q
from ormlette.db.models.sql.datastructures import PathInfo
from ormlette.utils.functional import cached_property

if TYPE_CHECKING:
    from ormlette.db.models.base import Model

_RT = TypeVar("_RT", default=Any)
_MT = TypeVar("_MT", bound="Model")

RECURSIVE_RELATIONSHIP_CONSTANT = "self"


def resolve_relation(scope_model, relation):
    """A model class or an ``"app_label.ModelName"`` string for ``relation`` seen from ``scope_model``."""
    if relation == RECURSIVE_RELATIONSHIP_CONSTANT:
        return scope_model
    if isinstance(relation, str) and "." not in relation:
        return "%s.%s" % (scope_model._meta.app_label, relation)
    return relation


def lazy_related_operation(function, model, *related_models, **kwargs):
    """Call ``function(model, *related_classes, **kwargs)`` once every model involved is declared."""
    resolved = [model] + [resolve_relation(model, rel) for rel in related_models]
    apps = registry.registry_of(model)

    def step(done, remaining):
        if not remaining:
            function(*done, **kwargs)
            return
        head, rest = remaining[0], remaining[1:]
        _when_declared(apps, head, lambda cls: step(done + [cls], rest))

    step([], resolved)


def _when_declared(apps, reference, callback):
    """Run ``callback(model)`` once ``reference`` (a class or "app.Model") is registered in ``apps``."""
    if isinstance(reference, str):
        app_label, model_name = reference.split(".", 1)
        apps.lazy_model_operation(callback, app_label, model_name)
        return
    # A class still being declared (or redeclared under a known name) waits for this very class.
    registry.registry_of(reference).when_declared(reference, callback)


def label_lower(reference):
    """A relation target as Django writes it in migrations: ``"app_label.modelname"`` (or ``"self"``)."""
    if isinstance(reference, str):
        if "." in reference:
            app_label, model_name = reference.split(".", 1)
            return "%s.%s" % (app_label, model_name.lower())
        return reference.lower()
    return reference._meta.label_lower


def check_related_to(kind, to):
    """Raise TypeError unless ``to`` is a model class or a model name."""
    if not isinstance(to, str) and not (isinstance(to, type) and hasattr(to, "_meta")):
        raise TypeError("%s(%r) is invalid. First parameter to %s must be either a model, a model name, or the "
                        "string %r" % (kind, to, kind, RECURSIVE_RELATIONSHIP_CONSTANT))


class RelatedField(FieldCacheMixin, Field[_RT]):
    """Base of every relation field."""

    one_to_many = False
    one_to_one = False
    many_to_many = False
    many_to_one = False

    @cached_property
    def related_model(self):
        """The model pointed at (once resolved)."""
        return self.remote_field.model

    def get_cache_name(self):
        return self.name

    def contribute_to_class(self, cls, name, private_only=False):
        """Attach to the model and resolve the target model lazily."""
        super().contribute_to_class(cls, name, private_only=private_only)
        self.opts = cls._meta
        if cls._meta.abstract:
            return
        rel = self.remote_field
        if rel.related_name:
            rel.related_name = rel.related_name % {"class": cls.__name__.lower(),
                                                   "model_name": cls._meta.model_name.lower(),
                                                   "app_label": cls._meta.app_label.lower()}
        elif cls._meta.default_related_name:
            rel.related_name = cls._meta.default_related_name % {
                "class": cls.__name__.lower(), "model_name": cls._meta.model_name.lower(),
                "app_label": cls._meta.app_label.lower()}
        if rel.related_query_name:
            rel.related_query_name = rel.related_query_name % {"class": cls.__name__.lower(),
                                                               "app_label": cls._meta.app_label.lower()}

        def resolve_related_class(model, related, field):
            field.remote_field.model = related
            field.__dict__.pop("related_model", None)
            field.do_related_class(related, model)

        lazy_related_operation(resolve_related_class, cls, rel.model, field=self)

    def do_related_class(self, other, cls):
        """The target model is known: finish set-up on both sides."""
        self.set_attributes_from_rel()
        self.contribute_to_related_class(other, self.remote_field)
        other._meta._expire_cache()
        cls._meta._expire_cache()

    def set_attributes_from_rel(self):
        """Default names that depend on the target model."""
        if getattr(self.remote_field, "field_name", True) is None:
            self.remote_field.set_field_name()

    def contribute_to_related_class(self, cls, related):
        """Install the reverse accessor on the target model."""

    def related_query_name(self):
        """The name used to filter from the target model back to this one."""
        rel = self.remote_field
        return rel.related_query_name or rel.related_name or self.opts.model_name

    @property
    def target_field(self):
        """The field on the target model this relation points at."""
        target_fields = self.path_infos[-1].target_fields
        if len(target_fields) > 1:
            raise exceptions.FieldError("The relation has multiple target fields, but only single target field "
                                        "was asked for")
        return target_fields[0]

    def get_limit_choices_to(self):
        """``limit_choices_to`` (called when callable)."""
        value = self.remote_field.limit_choices_to
        return value() if callable(value) else value

    def get_forward_related_filter(self, obj):
        """Filter kwargs selecting the rows of this model pointing at ``obj``."""
        return {"%s__%s" % (self.name, rh.name): getattr(obj, rh.attname) for _, rh in self.related_fields}

    def get_reverse_related_filter(self, obj):
        """A Q selecting the target row of ``obj``."""
        return Q.create([(rh.name, getattr(obj, lh.attname)) for lh, rh in self.related_fields])


def _value_getter(fields, generic):
    # One column: the attribute itself. ``instance.pk`` (the generic path for a primary key) reads the
    # same attribute, since a primary key of the instance's concrete model is that model's pk field.
    if len(fields) != 1:
        return generic
    read = attribute_reader(fields[0].attname)

    def value(instance):
        return (read(instance),)

    return value


class ForeignObject(RelatedField[_RT]):
    """A many-to-one relation over one or more columns."""

    many_to_one = True
    requires_unique_target = True
    related_accessor_class = ReverseManyToOneDescriptor
    forward_related_accessor_class = ForwardManyToOneDescriptor
    rel_class = ForeignObjectRel

    def __init__(self, to, on_delete, from_fields, to_fields, rel=None, related_name=None,
                 related_query_name=None, limit_choices_to=None, parent_link=False, swappable=True, **kwargs):
        if rel is None:
            rel = self.rel_class(self, to, related_name=related_name, related_query_name=related_query_name,
                                 limit_choices_to=limit_choices_to, parent_link=parent_link, on_delete=on_delete)
        super().__init__(rel=rel, **kwargs)
        self.from_fields = from_fields
        self.to_fields = to_fields
        self.swappable = swappable

    def resolve_related_fields(self):
        """[(local field, target field)] from from_fields/to_fields."""
        if not self.from_fields or len(self.from_fields) != len(self.to_fields):
            raise ValueError("Foreign Object from and to fields must be the same non-zero length")
        if isinstance(self.remote_field.model, str):
            raise ValueError("Related model %r cannot be resolved" % self.remote_field.model)
        pairs = []
        for from_name, to_name in zip(self.from_fields, self.to_fields):
            from_field = self if from_name == RECURSIVE_RELATIONSHIP_CONSTANT else self.opts.get_field(from_name)
            to_field = (self.remote_field.model._meta.pk if to_name is None
                        else self.remote_field.model._meta.get_field(to_name))
            pairs.append((from_field, to_field))
        return pairs

    @property
    def related_fields(self):
        """[(local field, target field)]."""
        cached = self.__dict__.get("_related_fields")
        if cached is None:
            cached = self.__dict__["_related_fields"] = self.resolve_related_fields()
        return cached

    @property
    def reverse_related_fields(self):
        return [(rhs, lhs) for lhs, rhs in self.related_fields]

    @property
    def local_related_fields(self):
        """The columns on this side (cached: read for every prefetched or joined row)."""
        cached = self.__dict__.get("_local_related_fields")
        if cached is None:
            cached = self.__dict__["_local_related_fields"] = tuple(lhs for lhs, _ in self.related_fields)
        return cached

    @property
    def foreign_related_fields(self):
        """The columns on the target side (cached)."""
        cached = self.__dict__.get("_foreign_related_fields")
        if cached is None:
            cached = self.__dict__["_foreign_related_fields"] = tuple(rhs for _, rhs in self.related_fields if rhs)
        return cached

    def get_local_related_value(self, instance):
        """Tuple of this side's values on ``instance``."""
        return self.get_instance_value_for_fields(instance, self.local_related_fields)

    def get_foreign_related_value(self, instance):
        """Tuple of the target side's values on ``instance``."""
        return self.get_instance_value_for_fields(instance, self.foreign_related_fields)

    @cached_property
    def local_value_getter(self):
        """A function equal to get_local_related_value, cheap for one column (prefetch reads it per row)."""
        return _value_getter(self.local_related_fields, self.get_local_related_value)

    @cached_property
    def foreign_value_getter(self):
        """A function equal to get_foreign_related_value, cheap for one column."""
        return _value_getter(self.foreign_related_fields, self.get_foreign_related_value)

    @staticmethod
    def get_instance_value_for_fields(instance, fields):
        """Values of ``fields`` on ``instance`` (the pk through ``instance.pk``)."""
        values = []
        opts = instance._meta
        for field in fields:
            if field.primary_key and field.model is not None and field.model._meta.concrete_model is \
                    opts.concrete_model:
                values.append(instance.pk)
            else:
                values.append(getattr(instance, field.attname))
        return tuple(values)

    def get_joining_columns(self, reverse_join=False):
        """((local column, target column),)."""
        pairs = tuple((lhs.column, rhs.column) for lhs, rhs in self.related_fields)
        return tuple((b, a) for a, b in pairs) if reverse_join else pairs

    def get_reverse_joining_columns(self):
        return self.get_joining_columns(reverse_join=True)

    def get_extra_restriction(self, alias, related_alias):
        return None

    def get_path_info(self, filtered_relation=None):
        """The join from this model to the target model."""
        opts = self.remote_field.model._meta
        from_opts = self.model._meta
        return [PathInfo(from_opts=from_opts, to_opts=opts, target_fields=self.foreign_related_fields,
                         join_field=self, m2m=False, direct=True, filtered_relation=filtered_relation)]

    @cached_property
    def path_infos(self):
        return self.get_path_info()

    def get_reverse_path_info(self, filtered_relation=None):
        """The join from the target model back to this one."""
        opts = self.model._meta
        from_opts = self.remote_field.model._meta
        return [PathInfo(from_opts=from_opts, to_opts=opts, target_fields=(opts.pk,), join_field=self.remote_field,
                         m2m=not self.unique, direct=False, filtered_relation=filtered_relation)]

    @cached_property
    def reverse_path_infos(self):
        return self.get_reverse_path_info()

    def contribute_to_class(self, cls, name, private_only=False):
        super().contribute_to_class(cls, name, private_only=private_only)
        setattr(cls, self.name, self.forward_related_accessor_class(self))

    def contribute_to_related_class(self, cls, related):
        if not self.remote_field.is_hidden():
            setattr(cls._meta.concrete_model, related.get_accessor_name(), self.related_accessor_class(related))
        if self.remote_field.limit_choices_to:
            cls._meta.related_fkey_lookups.append(self.remote_field.limit_choices_to)

    def do_related_class(self, other, cls):
        for name in ("path_infos", "reverse_path_infos", "_related_fields"):
            self.__dict__.pop(name, None)
        super().do_related_class(other, cls)


class ForeignKey(ForeignObject[_RT]):
    """A many-to-one relation stored in a ``<name>_id`` column."""

    if TYPE_CHECKING:
        @overload
        def __init__(self: ForeignKey[_MT], to: type[_MT], on_delete: Any, *args: Any, null: Literal[False] = ...,
                     **kwargs: Any) -> None: ...
        @overload
        def __init__(self: ForeignKey[_MT | None], to: type[_MT], on_delete: Any, *args: Any, null: Literal[True],
                     **kwargs: Any) -> None: ...
        @overload
        def __init__(self: ForeignKey[Any], to: str, on_delete: Any, *args: Any, **kwargs: Any) -> None: ...

    descriptor_class = ForeignKeyDeferredAttribute
    rel_class = ManyToOneRel
    empty_strings_allowed = False
    default_error_messages = {"invalid": "%(model)s instance with %(field)s %(value)r is not a valid choice."}
    description = "Foreign Key (type determined by related field)"

    def __init__(self, to, on_delete, related_name=None, related_query_name=None, limit_choices_to=None,
                 parent_link=False, to_field=None, db_constraint=True, **kwargs):
        check_related_to(type(self).__name__, to)
        if not callable(on_delete):
            raise TypeError("on_delete must be callable.")
        kwargs["rel"] = self.rel_class(self, to, to_field, related_name=related_name,
                                       related_query_name=related_query_name, limit_choices_to=limit_choices_to,
                                       parent_link=parent_link, on_delete=on_delete)
        kwargs.setdefault("db_index", True)
        super().__init__(to, on_delete, related_name=related_name, related_query_name=related_query_name,
                         limit_choices_to=limit_choices_to, from_fields=[RECURSIVE_RELATIONSHIP_CONSTANT],
                         to_fields=[to_field], **kwargs)
        self.db_constraint = db_constraint

    def deconstruct_kwargs(self, kwargs):
        """``to`` as a label; ``to_field`` only when it is not the target's primary key."""
        kwargs["to"] = label_lower(self.remote_field.model)
        to_field = kwargs.get("to_field")
        target = self.remote_field.model
        if to_field is not None and not isinstance(target, str) and target._meta.pk is not None \
                and target._meta.pk.name == to_field:
            del kwargs["to_field"]
        kwargs.pop("from_fields", None)
        kwargs.pop("to_fields", None)
        return kwargs

    def needs_descriptor(self):
        # Changing ``<name>_id`` must drop the cached related object, as in Django.
        return True

    def contribute_to_class(self, cls, name, private_only=False):
        super().contribute_to_class(cls, name, private_only=private_only)

    def resolve_related_fields(self):
        pairs = super().resolve_related_fields()
        for _, to_field in pairs:
            if to_field and to_field.model != self.remote_field.model._meta.concrete_model:
                raise exceptions.FieldError("'%s.%s' refers to field '%s' which is not local to model '%s'."
                                            % (self.model._meta.label, self.name, to_field.name,
                                               self.remote_field.model._meta.concrete_model._meta.label))
        return pairs

    def get_attname(self):
        return "%s_id" % self.name

    def get_attname_column(self):
        attname = self.get_attname()
        return attname, self.db_column or attname

    @property
    def target_field(self):
        return self.foreign_related_fields[0]

    def get_default(self):
        """The default, unwrapping a model instance to its target value."""
        value = super().get_default()
        if isinstance(self.remote_field.model, type) and isinstance(value, self.remote_field.model):
            return getattr(value, self.target_field.attname)
        return value

    def get_prep_value(self, value):
        return self.target_field.get_prep_value(value)

    def get_db_prep_value(self, value, connection, prepared=False):
        return self.target_field.get_db_prep_value(value, connection, prepared)

    get_db_prep_value.delegates_to_target = True  # lookups may call the target field's directly

    def get_db_prep_save(self, value, connection):
        if value is None or (value == "" and (not self.target_field.empty_strings_allowed or
                                              connection.features.interprets_empty_strings_as_nulls)):
            return None
        return self.target_field.get_db_prep_save(value, connection=connection)

    def to_python(self, value):
        return self.target_field.to_python(value)

    def get_db_converters(self, connection):
        return self.target_field.get_db_converters(connection)

    def sa_type(self, connection):
        return self.target_field.rel_sa_type(connection)

    def rel_sa_type(self, connection):
        return self.target_field.rel_sa_type(connection)

    def db_check_sql(self, connection):
        return None

    def validate(self, value, model_instance):
        """Check that the target row exists (within limit_choices_to)."""
        super().validate(value, model_instance)
        if value is None:
            return
        qs = self.remote_field.model._base_manager.using(getattr(model_instance._state, "db", None)).filter(
            **{self.remote_field.field_name: value})
        qs = qs.complex_filter(self.get_limit_choices_to())
        if not qs.exists():
            raise exceptions.ValidationError(
                self.error_messages["invalid"], code="invalid",
                params={"model": self.remote_field.model._meta.verbose_name, "pk": value,
                        "field": self.remote_field.field_name, "value": value})

    def get_col(self, alias, output_field=None):
        from ormlette.db.models.expressions.base import Col

        return Col(alias, self, output_field)

    def value_to_string(self, obj):
        return str(getattr(obj, self.attname))


class OneToOneField(ForeignKey[_RT]):
    """A unique foreign key; the reverse side is a single object."""

    if TYPE_CHECKING:
        @overload
        def __init__(self: OneToOneField[_MT], to: type[_MT], on_delete: Any, *args: Any, null: Literal[False] = ...,
                     **kwargs: Any) -> None: ...
        @overload
        def __init__(self: OneToOneField[_MT | None], to: type[_MT], on_delete: Any, *args: Any, null: Literal[True],
                     **kwargs: Any) -> None: ...
        @overload
        def __init__(self: OneToOneField[Any], to: str, on_delete: Any, *args: Any, **kwargs: Any) -> None: ...

    many_to_many = False
    many_to_one = False
    one_to_many = False
    one_to_one = True
    related_accessor_class = ReverseOneToOneDescriptor
    forward_related_accessor_class = ForwardOneToOneDescriptor
    rel_class = OneToOneRel
    description = "One-to-one relationship"

    def __init__(self, to, on_delete, to_field=None, **kwargs):
        kwargs["unique"] = True
        super().__init__(to, on_delete, to_field=to_field, **kwargs)


# ManyToManyField lives beside (it builds on ForeignKey and the helpers above); importable from here.
from ormlette.db.models.fields.many_to_many import (  # noqa: E402
    ManyToManyField, create_many_to_many_intermediary_model,
)

register_related_lookups(ForeignObject, ForeignObjectRel)

__all__ = ["ForeignObject", "ForeignKey", "OneToOneField", "ManyToManyField", "ForeignObjectRel",
           "ManyToOneRel", "OneToOneRel", "ManyToManyRel", "RECURSIVE_RELATIONSHIP_CONSTANT",
           "lazy_related_operation", "resolve_relation", "create_many_to_many_intermediary_model"]
