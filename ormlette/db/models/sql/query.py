"""Query: the state of one SELECT (plain Python, cheap to clone, no SQL).

Query's methods are grouped in mixins beside: FiltersMixin (``filters``), JoinsMixin (``joins``) and
SelectionMixin (``selection``: select list, deferred loading, ordering, grouping, select_related).
"""
import copy
import re

from ormlette.core.exceptions import FieldError
from ormlette.db import DEFAULT_DB_ALIAS, connections
from ormlette.db.models.expressions.base import BaseExpression, Col, Ref, Value
from ormlette.db.models.query_utils import LOOKUP_SEP
from ormlette.db.models.sql.filters import FiltersMixin
from ormlette.db.models.sql.joins import JoinsMixin
from ormlette.db.models.sql.selection import SelectionMixin
from ormlette.db.models.sql.where import AND, NothingNode, WhereNode

ORDER_DIR = {"ASC": ("ASC", "DESC"), "DESC": ("DESC", "ASC")}


_NOT_CLONED = ("base_table", "_prepared", "_recipe_hint")
_display_sql = None  # bound on first use


class Query(FiltersMixin, JoinsMixin, SelectionMixin, BaseExpression):
    """A single SQL query's state."""

    alias_prefix = "T"
    empty_result_set_value = None
    subq_aliases = frozenset([alias_prefix])
    compiler = "SQLCompiler"
    base_table_class = None
    filterable = True
    contains_aggregate = False
    contains_over_clause = False
    alias_cols = True

    # Immutable defaults live on the class so building a Query only creates the mutable parts.
    annotation_select_mask = None
    _annotation_select_cache = None
    select = ()
    default_cols = True
    default_ordering = True
    standard_ordering = True
    select_related = False
    max_depth = 5
    values_select = ()
    order_by = ()
    extra_order_by = ()
    distinct = False
    distinct_fields = ()
    select_for_update = False
    select_for_update_nowait = False
    select_for_update_skip_locked = False
    select_for_update_of = ()
    select_for_no_key_update = False
    low_mark = 0
    high_mark = None
    group_by = None
    subquery = False
    combinator = None
    combinator_all = False
    combined_queries = ()
    deferred_loading = (frozenset(), True)
    extra_select_mask = None
    extra_tables = ()
    explain_info = None
    selected = None

    def __init__(self, model, alias_cols=True):
        self.model = model
        if not alias_cols:
            self.alias_cols = False
        self.alias_refcount = {}
        self.alias_map = {}
        self.external_aliases = {}
        self.table_map = {}
        self.used_aliases = set()
        self.where = WhereNode()
        self.annotations = {}
        self.extra = {}
        self._filtered_relations = {}

    # -- identity / cloning -----------------------------------------------------------------------
    def __str__(self):
        sql, params = self.sql_with_params()
        return sql % tuple(_display(p) for p in params) if params else sql

    def __repr__(self):
        return "<%s: %s>" % (type(self).__name__, self)

    def __getstate__(self):
        # The compiled plan and the recorded-queryset hint hold generated code: rebuilt after unpickling.
        state = self.__dict__.copy()
        state.pop("_prepared", None)
        state.pop("_recipe_hint", None)
        return state

    def sql_with_params(self, using=DEFAULT_DB_ALIAS):
        """(sql with %s placeholders, params) for display (``str(qs.query)``)."""
        global _display_sql
        if _display_sql is None:
            from ormlette.db.models.sql.compiler import display_sql as _display_sql  # the compiler imports this module
        return _display_sql(self, connections[using])

    @property
    def identity(self):
        return (type(self), id(self))

    def get_meta(self):
        """The model's _meta."""
        return self.model._meta

    def clone(self):
        """A copy that can be changed without affecting this one."""
        obj = object.__new__(type(self))
        state = self.__dict__.copy()
        for name in _NOT_CLONED:
            if name in state:
                del state[name]  # the base table may change; a compiled plan or recipe hint would go stale
        state["alias_refcount"] = self.alias_refcount.copy()
        state["alias_map"] = self.alias_map.copy()
        state["external_aliases"] = self.external_aliases.copy()
        table_map = self.table_map
        state["table_map"] = {k: v[:] for k, v in table_map.items()} if table_map else {}
        state["where"] = self.where.clone()
        state["annotations"] = self.annotations.copy()
        if self.annotation_select_mask is not None:
            state["annotation_select_mask"] = list(self.annotation_select_mask)
        state["_annotation_select_cache"] = None
        if self.combined_queries:
            state["combined_queries"] = tuple(q.clone() for q in self.combined_queries)
        state["extra"] = self.extra.copy()
        if self.extra_select_mask is not None:
            state["extra_select_mask"] = self.extra_select_mask.copy()
        if isinstance(self.select_related, dict):
            state["select_related"] = copy.deepcopy(self.select_related)
        state["used_aliases"] = set()
        state["_filtered_relations"] = self._filtered_relations.copy()
        obj.__dict__ = state
        return obj

    def chain(self, klass=None):
        """A clone ready for the next QuerySet operation."""
        obj = self.clone()
        if klass and obj.__class__ != klass:
            obj.__class__ = klass
        # A sticky filter (related managers) lets the next filter() reuse this query's multi-valued joins.
        obj.used_aliases = set(self.used_aliases) if getattr(self, "filter_is_sticky", False) else set()
        obj.filter_is_sticky = False
        return obj

    def relabeled_clone(self, change_map):
        """A clone with aliases renamed."""
        clone = self.clone()
        clone.change_aliases(change_map)
        return clone

    # -- expressions / annotations ------------------------------------------------------------------
    @property
    def annotation_select(self):
        """Annotations that appear in the SELECT list, in order."""
        if self._annotation_select_cache is not None:
            return self._annotation_select_cache
        if not self.annotations:
            return {}
        if self.annotation_select_mask is not None:
            self._annotation_select_cache = {k: self.annotations[k] for k in self.annotation_select_mask
                                             if k in self.annotations}
            return self._annotation_select_cache
        return self.annotations

    @property
    def extra_select(self):
        """extra(select=...) entries that are selected."""
        if self.extra_select_mask is not None:
            return {k: v for k, v in self.extra.items() if k in self.extra_select_mask}
        return self.extra

    def set_annotation_mask(self, names):
        """Restrict which annotations are selected."""
        self.annotation_select_mask = None if names is None else list(dict.fromkeys(names))
        self._annotation_select_cache = None

    def append_annotation_mask(self, names):
        """Select more annotations."""
        if self.annotation_select_mask is not None:
            self.set_annotation_mask([*self.annotation_select_mask, *names])

    def add_annotation(self, annotation, alias, select=True):
        """Resolve and add an annotation."""
        check_alias(alias)
        annotation = annotation.resolve_expression(self, allow_joins=True, reuse=None)
        if select:
            self.append_annotation_mask([alias])
        else:
            mask = [a for a in (self.annotation_select_mask if self.annotation_select_mask is not None
                                else self.annotations) if a != alias]
            self.set_annotation_mask(mask)
        self.annotations[alias] = annotation
        self._annotation_select_cache = None

    def resolve_expression(self, query=None, *args, **kwargs):
        """Use this query as a subquery of ``query``."""
        clone = self.clone()
        clone.bump_prefix(query)
        clone.subquery = True
        if query is not None:
            # The outer query's aliases are external here; nested prefixes must stay unique upwards.
            clone.external_aliases.update({alias: True for alias in query.alias_map})
            query.subq_aliases = query.subq_aliases | clone.subq_aliases
        clone.where = _resolve_outer(clone.where, query, args, kwargs)
        for key, value in clone.annotations.items():
            resolved = value.resolve_expression(query, *args, **kwargs)
            if hasattr(resolved, "external_aliases"):
                resolved.external_aliases.update(clone.external_aliases)
            clone.annotations[key] = resolved
        clone.outer_query = query
        return clone

    def resolve_ref(self, name, allow_joins=True, reuse=None, summarize=False):
        """Resolve an F() name to an annotation reference or a column."""
        annotation = self.annotations.get(name)
        if annotation is not None:
            if not allow_joins:
                for alias in self._gen_col_aliases([annotation]):
                    if isinstance(self.alias_map[alias], type(self.alias_map.get(self.base_table))) is False:
                        raise FieldError("Joined field references are not permitted in this query")
            if summarize:
                if name not in self.annotation_select:
                    raise FieldError("Cannot aggregate over the '%s' alias. Use annotate() to promote it." % name)
                return Ref(name, self.annotation_select[name])
            return annotation
        field_list = name.split(LOOKUP_SEP)
        annotation = self.annotations.get(field_list[0])
        if annotation is not None:
            for transform in field_list[1:]:
                annotation = self.try_transform(annotation, transform)
            return annotation
        join_info = self.setup_joins(field_list, self.get_meta(), self.get_initial_alias(), can_reuse=reuse)
        targets, final_alias, join_list = self.trim_joins(join_info.targets, join_info.joins, join_info.path)
        if not allow_joins and len(join_list) > 1:
            raise FieldError("Joined field references are not permitted in this query")
        if len(targets) > 1:
            raise FieldError("Referencing multicolumn fields with F() objects isn't supported")
        transform = join_info.transform_function(targets[0], final_alias)
        if reuse is not None:
            reuse.update(join_list)
        return transform

    @staticmethod
    def _gen_col_aliases(exprs):
        for expr in exprs:
            for node in expr.flatten() if hasattr(expr, "flatten") else ():
                if isinstance(node, Col):
                    yield node.alias

    # -- limits -------------------------------------------------------------------------------------
    def set_limits(self, low=None, high=None):
        """Apply a slice to the current limits."""
        if high is not None:
            if self.high_mark is not None:
                self.high_mark = min(self.high_mark, self.low_mark + high)
            else:
                self.high_mark = self.low_mark + high
        if low is not None:
            if self.high_mark is not None:
                self.low_mark = min(self.high_mark, self.low_mark + low)
            else:
                self.low_mark = self.low_mark + low
        if self.low_mark == self.high_mark:
            self.set_empty()

    def clear_limits(self):
        """Remove LIMIT/OFFSET."""
        self.low_mark, self.high_mark = 0, None

    @property
    def is_sliced(self):
        """Whether LIMIT/OFFSET apply."""
        return self.low_mark != 0 or self.high_mark is not None

    def has_limit_one(self):
        """Whether at most one row can come back."""
        return self.high_mark is not None and (self.high_mark - self.low_mark) == 1

    def can_filter(self):
        """Filters are not allowed after slicing."""
        return not self.is_sliced

    # -- emptiness ------------------------------------------------------------------------------------
    def set_empty(self):
        """Make the query match nothing (``.none()``)."""
        self.where.add(NothingNode(), AND)
        for query in self.combined_queries:
            query.set_empty()

    def is_empty(self):
        """Whether ``set_empty`` was applied."""
        return any(isinstance(c, NothingNode) for c in self.where.children)

    # -- helpers for subqueries ---------------------------------------------------------------------------
    def exists(self, limit=True):
        """A clone reduced to ``SELECT 1 ... LIMIT 1`` for EXISTS."""
        q = self.clone()
        if not (q.distinct and q.is_sliced):
            if q.group_by is True:
                q.add_fields((f.attname for f in self.model._meta.concrete_fields), False)
                q.set_group_by(allow_aliases=False)
            q.clear_select_clause()
        if q.combined_queries and q.combinator == "union":
            q.combined_queries = tuple(combined.exists(limit=False) for combined in q.combined_queries)
        q.clear_ordering(force=True)
        if limit:
            q.set_limits(high=1)
        q.add_annotation(Value(1), "a")
        return q

    @property
    def output_field(self):
        if len(self.select) == 1:
            select = self.select[0]
            return getattr(select, "target", None) or select.field
        if len(self.annotation_select) == 1:
            return next(iter(self.annotation_select.values())).output_field
        return None

    @property
    def _output_field_or_none(self):
        return self.output_field

    def get_external_cols(self):
        """Columns of outer queries referenced here."""
        exprs = [*self.where.leaves(), *self.annotations.values()]
        cols = []
        for expr in exprs:
            for node in expr.flatten() if hasattr(expr, "flatten") else ():
                if isinstance(node, Col) and node.alias in self.external_aliases:
                    cols.append(node)
        return cols

    def get_group_by_cols(self, wrapper=None):
        if not self.is_sliced:
            external_cols = self.get_external_cols()
            if any(col.possibly_multivalued for col in external_cols):
                return [wrapper or self]
            return external_cols
        return [wrapper or self]

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        """The compiler bound to a connection."""
        from ormlette.db.models.sql.compiler import SQLCompiler

        if connection is None:
            connection = connections[using or DEFAULT_DB_ALIAS]
        return SQLCompiler(self, connection, using or connection.alias)

    def combine(self, rhs, connector):
        """``qs1 & qs2`` / ``qs1 | qs2``: merge another query's filters."""
        from ormlette.db.models.sql.combine import combine_queries

        combine_queries(self, rhs, connector)

    def key(self, k):
        return k.subquery_key(self)

    def as_sa(self, c):
        return c.subquery(self)

    def flatten(self):
        yield self
        for child in self.where.leaves():
            if hasattr(child, "flatten"):
                yield from child.flatten()

    def get_refs(self):
        return set()

    def output_key(self):
        field = self.output_field
        return None if field is None else (type(field), getattr(field, "decimal_places", None))


def check_alias(alias):
    """Reject aliases that could change the SQL (Django's rule, plus ``$ % \\`` used by some dialects)."""
    if not isinstance(alias, str):
        raise TypeError("Column aliases must be strings, got %r." % (alias,))
    if not alias or FORBIDDEN_ALIAS.search(alias):
        raise ValueError("Column aliases cannot contain whitespace characters, hashes, control characters, "
                         "quotation marks, semicolons, or SQL comments.")


FORBIDDEN_ALIAS = re.compile(r"['`\"\]\[;\s\x00-\x1F\x7F-\x9F$%\\]|#|--|/\*|\*/")


def _resolve_outer(node, query, args, kwargs):
    """A copy of a subquery's WHERE tree with outer references (ResolvedOuterRef) bound to ``query``."""
    if query is None:
        return node.clone()
    if isinstance(node, WhereNode):
        clone = node.create(connector=node.connector, negated=node.negated)
        clone.children = [_resolve_outer(child, query, args, kwargs) for child in node.children]
        return clone
    if hasattr(node, "resolve_expression"):
        return node.resolve_expression(query, *args, **kwargs)
    return node


def _display(value):
    if isinstance(value, str):
        return "'%s'" % value.replace("'", "''")
    return str(value)


def get_order_dir(field, default="ASC"):
    """('name', 'ASC'/'DESC') for an ordering string."""
    dirn = ORDER_DIR[default]
    if field[0] == "-":
        return field[1:], dirn[1]
    return field, dirn[0]


