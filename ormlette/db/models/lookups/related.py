"""Lookups on relations: model instances and querysets as values (``filter(author=alice)``)."""
from ormlette.core.exceptions import FieldError
from ormlette.db.models.lookups.base import (
    Exact, GreaterThan, GreaterThanOrEqual, In, IsNull, LessThan, LessThanOrEqual,
)


class MultiColSource:
    """The columns of a relation over several fields (only the single-column case is supported)."""

    contains_aggregate = False
    contains_over_clause = False

    def __init__(self, alias, targets, sources, field):
        self.targets, self.sources, self.field, self.alias = targets, sources, field, alias
        self.output_field = self.field

    def __repr__(self):
        return "{}({}, {})".format(self.__class__.__name__, self.alias, self.field)

    def relabeled_clone(self, relabels):
        return self.__class__(relabels.get(self.alias, self.alias), self.targets, self.sources, self.field)

    def get_lookup(self, lookup):
        return self.output_field.get_lookup(lookup)

    def resolve_expression(self, *args, **kwargs):
        return self

    def key(self, k):
        raise FieldError("Relations over several columns cannot be filtered on.")

    as_sa = key


def _is_model(value):
    global _Model
    if _Model is None:
        from ormlette.db.models.base import Model as _Model
    return isinstance(value, _Model)


_Model = None  # imported on first use (models.base imports the fields)
# Values that are never model instances, querysets or expressions: nothing to check or unwrap.
SCALAR_TYPES = frozenset({int, str, float, bool})


def _target_opts(lhs):
    return lhs.output_field.path_infos[-1].to_opts


def check_related_value(lhs, value):
    """Django's ValueErrors for instances and querysets of the wrong model."""
    from ormlette.db.models.query_utils import check_rel_lookup_compatibility
    from ormlette.db.models.sql.query import Query

    if not hasattr(lhs.output_field, "path_infos"):
        return
    opts = _target_opts(lhs)
    if _is_model(value):
        if not check_rel_lookup_compatibility(value._meta.model, opts, lhs.output_field):
            raise ValueError('Cannot query "%s": Must be "%s" instance.' % (value, opts.object_name))
    elif isinstance(value, Query) and not value.has_select_fields and \
            not check_rel_lookup_compatibility(value.model, opts, lhs.output_field):
        raise ValueError('Cannot use QuerySet for "%s": Use a QuerySet for "%s".'
                         % (value.model._meta.object_name, opts.object_name))


def get_normalized_value(value, lhs):
    """A tuple of the values a model instance (or plain value) stands for in a lookup."""
    if _is_model(value):
        if value.pk is None:
            raise ValueError("Model instances passed to related filters must be saved.")
        values = []
        for source in lhs.output_field.path_infos[-1].target_fields:
            while not isinstance(value, source.model) and getattr(source, "remote_field", None):
                source = source.remote_field.model._meta.get_field(source.remote_field.field_name)
            try:
                values.append(getattr(value, source.attname))
            except AttributeError:
                return (value.pk,)
        return tuple(values)
    if not isinstance(value, tuple):
        return (value,)
    return value


def lookup_target_field(lhs):
    """The target field at the end of a relation lookup's path, or None for a plain column."""
    output = lhs.output_field
    if hasattr(output, "path_infos"):
        return output.path_infos[-1].target_fields[-1]
    return None


class RelatedIn(In):
    """``relation__in=[instances or values]`` or ``relation__in=queryset``."""

    def get_prep_lookup(self):
        if not isinstance(self.lhs, MultiColSource):
            if self.rhs_is_direct_value():
                values = []
                for val in self.rhs:
                    # Plain scalars (e.g. prefetch_related's key lists) need no model checks.
                    if type(val) not in SCALAR_TYPES:
                        check_related_value(self.lhs, val)
                        val = get_normalized_value(val, self.lhs)[0]
                    values.append(val)
                target = lookup_target_field(self.lhs)
                if target is not None:
                    values = [v if v is None else target.get_prep_value(v) for v in values]
                self.rhs = values
            else:
                check_related_value(self.lhs, self.rhs)
                if not getattr(self.rhs, "has_select_fields", True):
                    field = self.lhs.output_field
                    target = getattr(field, "target_field", None)
                    if target is not None and not target.primary_key:
                        self.rhs.clear_select_clause()
                        self.rhs.add_fields([target.name])
        return super().get_prep_lookup()


class RelatedLookupMixin:
    """Turn a model instance value into its target column value."""

    def get_prep_lookup(self):
        if type(self.rhs) in SCALAR_TYPES and not isinstance(self.lhs, MultiColSource):
            target = lookup_target_field(self.lhs)
            if self.prepare_rhs and target is not None:
                self.rhs = target.get_prep_value(self.rhs)
            return super().get_prep_lookup()
        if not isinstance(self.lhs, MultiColSource) and not hasattr(self.rhs, "resolve_expression"):
            check_related_value(self.lhs, self.rhs)
            self.rhs = get_normalized_value(self.rhs, self.lhs)[0]
            target = lookup_target_field(self.lhs)
            if self.prepare_rhs and target is not None and self.rhs is not None:
                self.rhs = target.get_prep_value(self.rhs)
        elif hasattr(self.rhs, "resolve_expression"):
            check_related_value(self.lhs, self.rhs)
        return super().get_prep_lookup()


class RelatedExact(RelatedLookupMixin, Exact):
    """``relation=instance``."""


class RelatedLessThan(RelatedLookupMixin, LessThan):
    """``relation__lt``."""


class RelatedGreaterThan(RelatedLookupMixin, GreaterThan):
    """``relation__gt``."""


class RelatedGreaterThanOrEqual(RelatedLookupMixin, GreaterThanOrEqual):
    """``relation__gte``."""


class RelatedLessThanOrEqual(RelatedLookupMixin, LessThanOrEqual):
    """``relation__lte``."""


class RelatedIsNull(RelatedLookupMixin, IsNull):
    """``relation__isnull``."""

    def get_prep_lookup(self):
        return IsNull.get_prep_lookup(self)


def register_related_lookups(*classes):
    """Register the related lookups on the relation field classes."""
    for cls in classes:
        for lookup in (RelatedIn, RelatedExact, RelatedLessThan, RelatedGreaterThan, RelatedGreaterThanOrEqual,
                       RelatedLessThanOrEqual, RelatedIsNull):
            cls.register_lookup(lookup)
