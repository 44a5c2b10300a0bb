"""What a query selects and in what order: the select list and values(), deferred loading (defer/only),
ordering, grouping and select_related (a mixin of Query)."""
from ormlette.core.exceptions import FieldDoesNotExist, FieldError
from ormlette.db.models.expressions.base import Col, F, Ref
from ormlette.db.models.query_utils import LOOKUP_SEP


class SelectionMixin:
    """Query's methods for the select list, deferred loading, ordering, grouping and select_related."""

    # -- select list ----------------------------------------------------------------------------------
    @property
    def has_select_fields(self):
        """Whether an explicit select list (values / annotations only) is set."""
        return bool(self.select or self.annotation_select_mask or self.extra_select_mask)

    def clear_select_clause(self):
        """Select nothing by default (before add_fields)."""
        self.select = ()
        self.default_cols = False
        self.select_related = False
        self.set_extra_mask(())
        self.set_annotation_mask(())
        self.selected = None

    def clear_select_fields(self):
        """Forget values() fields (keep annotations)."""
        self.select = ()
        self.values_select = ()
        self.selected = None

    def set_extra_mask(self, names):
        """Restrict selected extra(select=...) entries."""
        self.extra_select_mask = None if names is None else set(names)

    def add_fields(self, field_names, allow_m2m=True):
        """Select the named fields (joins created as needed)."""
        alias = self.get_initial_alias()
        opts = self.get_meta()
        cols = []
        for name in field_names:
            join_info = self.setup_joins(name.split(LOOKUP_SEP), opts, alias, allow_many=allow_m2m)
            targets, final_alias, joins = self.trim_joins(join_info.targets, join_info.joins, join_info.path)
            for target in targets:
                cols.append(join_info.transform_function(target, final_alias))
        self.set_select(cols)

    def set_select(self, cols):
        """Set the explicit column list."""
        self.default_cols = False
        self.select = tuple(cols)

    def set_values(self, fields):
        """values()/values_list(): choose fields, annotations and extras by name."""
        self.select_related = False
        self.clear_deferred_loading()
        self.clear_select_fields()
        self.selected = None
        field_names, extra_names, annotation_names = [], [], []
        if fields:
            for f in fields:
                if f in self.extra_select:
                    extra_names.append(f)
                elif f in self.annotation_select:
                    annotation_names.append(f)
                elif f in self.annotations:
                    raise FieldError("Cannot select the '%s' alias. Use annotate() to promote it." % f)
                else:
                    field_names.append(f)
            self.set_extra_mask(extra_names)
            self.set_annotation_mask(annotation_names)
            selected = {}
            for f in fields:
                selected[f] = f
            self.selected = selected
        else:
            field_names = [f.attname for f in self.get_meta().concrete_fields]
            self.selected = {**{n: n for n in field_names}, **{n: n for n in self.extra_select},
                             **{n: n for n in self.annotation_select}}
        if self.group_by is True:
            self.add_fields((f.attname for f in self.get_meta().concrete_fields), False)
            self.set_group_by(allow_aliases=False)
            self.clear_select_fields()
        elif self.group_by:
            group_by = list(self.group_by)
            for expr in group_by:
                if isinstance(expr, Ref) and expr.refs not in field_names + annotation_names:
                    expr = self.annotations[expr.refs]
            self.group_by = tuple(group_by)
        self.values_select = tuple(field_names)
        self.add_fields(field_names, True)

    # -- deferred loading ------------------------------------------------------------------------------
    def clear_deferred_loading(self):
        """Load every field."""
        self.deferred_loading = (frozenset(), True)

    def add_deferred_loading(self, field_names):
        """defer(): add names to the deferred set."""
        existing, defer = self.deferred_loading
        if defer:
            self.deferred_loading = existing.union(field_names), True
        else:
            remaining = existing.difference(field_names)
            if remaining:
                self.deferred_loading = remaining, False
            else:
                self.clear_deferred_loading()
                if new_only := set(field_names).difference(existing):
                    self.deferred_loading = new_only, True

    def add_immediate_loading(self, field_names):
        """only(): load just these names (plus the pk)."""
        existing, defer = self.deferred_loading
        field_names = set(field_names)
        if "pk" in field_names:
            field_names.remove("pk")
            field_names.add(self.get_meta().pk.name)
        if defer:
            self.deferred_loading = field_names.difference(existing), False
        else:
            self.deferred_loading = frozenset(field_names), False

    def get_select_mask(self):
        """Names of the concrete fields to load for the main model (None: all)."""
        field_names, defer = self.deferred_loading
        if not field_names:
            return None
        opts = self.get_meta()
        if defer:
            # defer("rel__field") defers on the related model only.
            local = {n for n in field_names if LOOKUP_SEP not in n}
            checked = {n.split(LOOKUP_SEP, 1)[0] for n in field_names}
        else:
            local = checked = {n.split(LOOKUP_SEP, 1)[0] for n in field_names}
        for name in checked:
            try:
                opts.get_field(name)
            except FieldDoesNotExist:
                raise FieldDoesNotExist("%s has no field named '%s'" % (opts.object_name, name)) from None
        if defer:
            return [f for f in opts.concrete_fields if f.name not in local and f.attname not in local or f.primary_key]
        return [f for f in opts.concrete_fields if f.name in local or f.attname in local or f.primary_key]

    # -- ordering ---------------------------------------------------------------------------------------
    def add_ordering(self, *ordering):
        """Append ordering terms (names, '-names', '?', expressions)."""
        errors = []
        for item in ordering:
            if isinstance(item, str):
                if item == "?":
                    continue
                item = item.removeprefix("-")
                if item in self.annotations:
                    continue
                if self.extra and item in self.extra:
                    continue
                self.names_to_path(item.split(LOOKUP_SEP), self.model._meta)
            elif not hasattr(item, "resolve_expression"):
                errors.append(item)
            if getattr(item, "contains_aggregate", False) and not isinstance(item, F):
                raise FieldError("Using an aggregate in order_by() without also including it in annotate() is "
                                 "not allowed: %s" % item)
        if errors:
            raise FieldError("Invalid order_by arguments: %s" % errors)
        if ordering:
            self.order_by += ordering
        else:
            self.default_ordering = False

    def clear_ordering(self, force=False, clear_default=True):
        """Remove ordering (kept on sliced queries unless forced)."""
        if not force and (self.is_sliced or self.distinct_fields or self.select_for_update):
            return
        self.order_by = ()
        self.extra_order_by = ()
        if clear_default:
            self.default_ordering = False

    @property
    def ordered(self):
        """Whether results come out in a defined order."""
        if self.extra_order_by or self.order_by:
            return True
        if self.default_ordering and self.get_meta().ordering and not self.group_by:
            return True
        return False

    # -- grouping ---------------------------------------------------------------------------------------
    def set_group_by(self, allow_aliases=True):
        """GROUP BY the selected columns and the annotations that are not aggregates."""
        if allow_aliases and self.values_select:
            group_by_annotations = {}
            values_select = {}
            for alias, expr in zip(self.values_select, self.select):
                if isinstance(expr, Col):
                    values_select[alias] = expr
                else:
                    group_by_annotations[alias] = expr
            self.annotations = {**group_by_annotations, **self.annotations}
            self.append_annotation_mask(group_by_annotations)
            self.select = tuple(values_select.values())
            self.values_select = tuple(values_select)
        group_by = list(self.select)
        for alias, annotation in self.annotation_select.items():
            if not allow_aliases or alias in self.values_select:
                alias = None
            group_by_cols = annotation.get_group_by_cols()
            group_by.extend(group_by_cols)
        self.group_by = tuple(group_by)

    # -- select_related ---------------------------------------------------------------------------------
    def add_select_related(self, fields):
        """Follow these relations in the same query."""
        if isinstance(self.select_related, bool):
            field_dict = {}
        else:
            field_dict = self.select_related
        for field in fields:
            d = field_dict
            for part in field.split(LOOKUP_SEP):
                d = d.setdefault(part, {})
        self.select_related = field_dict
