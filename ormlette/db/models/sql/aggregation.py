"""aggregate(), count() and exists(): queries derived from a queryset's query."""
from ormlette.db import connections
from ormlette.db.models.expressions.base import Col, Ref, Value
from ormlette.db.models.sql.compiler import compile_query, execute_compiled
from ormlette.db.models.sql.query import Query, check_alias


class AggregateQuery(Query):
    """``SELECT <aggregates> FROM (<inner query>) subquery``."""

    def __init__(self, model, inner_query):
        super().__init__(model)
        self.inner_query = inner_query
        self.default_cols = False
        self.default_ordering = False

    def get_initial_alias(self):
        return "subquery"


def needs_subquery(query, aggregates):
    """Whether aggregating over ``query`` needs it as a subquery (it groups, is distinct, sliced, combined, ...)."""
    existing = [a for a in query.annotations.values() if getattr(a, "contains_aggregate", False)]
    return bool(existing or query.distinct or query.is_sliced or query.combinator or query.group_by is not None
                or any(getattr(a, "contains_over_clause", False) for a in query.annotations.values()))


class _InnerColumn(Col):
    """A column of the ``subquery`` derived table by label."""

    def __init__(self, label, output_field):
        self.alias = "subquery"
        self.label = label
        self.output_field = output_field
        self.target = output_field

    @property
    def identity(self):
        return (_InnerColumn, self.label)

    def key(self, k):
        return (_InnerColumn, self.label)

    def as_sa(self, c):
        return c.tables["subquery"].c[self.label]

    def relabeled_clone(self, relabels):
        return self

    def get_group_by_cols(self):
        return [self]


def _outer_aggregates(query, aggregates):
    inner = query.clone()
    inner.subquery = True
    outer = AggregateQuery(query.model, inner)
    if not inner.is_sliced and not inner.distinct_fields and not inner.combinator:
        inner.clear_ordering(force=True)
    if not inner.distinct and not inner.combinator and inner.default_cols and inner.group_by is None:
        inner.default_cols = False
        if not inner.select and not inner.annotation_select:
            inner.set_select([inner.get_meta().pk.get_col(inner.get_initial_alias())])
    counter = 0
    resolved = {}
    for alias, aggregate in aggregates.items():
        expr = aggregate.resolve_expression(inner, allow_joins=True, reuse=None, summarize=True)
        replacements = {}
        for source in list(_sources(expr)):
            if isinstance(source, Ref):
                replacements[source] = _InnerColumn(source.refs, source.source._output_field_or_none)
            elif isinstance(source, Col) and inner.combinator:
                # A combined query's columns are named by its first part's select list.
                replacements[source] = _InnerColumn(_combined_label(inner, source), source.output_field)
            elif isinstance(source, Col):
                counter += 1
                label = "__col%d" % counter
                inner.annotations[label] = source
                inner.append_annotation_mask([label]) if inner.annotation_select_mask is not None else None
                replacements[source] = _InnerColumn(label, source.output_field)
        resolved[alias] = expr.replace_expressions(replacements) if replacements else expr
    if inner.annotation_select_mask is not None:
        inner.set_annotation_mask([*inner.annotation_select_mask])
    inner._annotation_select_cache = None
    if not inner.select and not inner.annotation_select and not inner.default_cols:
        inner.add_annotation(Value(1), "__orml_one")
    outer.annotations = resolved
    outer.set_annotation_mask(list(resolved))
    return outer


def _combined_label(query, col):
    first = query.combined_queries[0]
    if first.values_select:
        for name, selected in zip(first.values_select, first.select):
            if getattr(selected, "target", None) is col.target:
                return name
    return col.target.column


def _sources(expr):
    for source in expr.get_source_expressions():
        if source is None:
            continue
        if isinstance(source, (Ref, Col)):
            yield source
        elif hasattr(source, "get_source_expressions"):
            yield from _sources(source)


def _inline_aggregates(query, aggregates):
    outer = query.clone()
    outer.select = ()
    outer.values_select = ()
    outer.default_cols = False
    outer.select_related = False
    outer.extra = {}
    outer.clear_ordering(force=True)
    outer.get_initial_alias()
    resolved = {}
    for alias, aggregate in aggregates.items():
        check_alias(alias)
        expr = aggregate.resolve_expression(outer, allow_joins=True, reuse=None, summarize=True)
        # Unselected annotations are inlined: there is no SELECT alias to refer to.
        refs = {node: node.source for node in expr.flatten() if isinstance(node, Ref)}
        resolved[alias] = expr.replace_expressions(refs) if refs else expr
        if not resolved[alias].contains_aggregate:
            raise TypeError("%s is not an aggregate expression" % alias)
    outer.annotations = {**outer.annotations, **resolved}
    outer.set_annotation_mask(list(aggregates))
    return outer


def aggregation_query(query, aggregates):
    """The query selecting ``aggregates`` over ``query``: inlined into its copy, or over it as a subquery."""
    for alias, aggregate in aggregates.items():
        if not getattr(aggregate, "contains_aggregate", False):
            raise TypeError("%s is not an aggregate expression" % alias)
    if needs_subquery(query, aggregates):
        return _outer_aggregates(query, aggregates)
    return _inline_aggregates(query, aggregates)


def has_results(query, using):
    """Whether the query matches any row (``SELECT 1 ... LIMIT 1``)."""
    connection = connections[using]
    q = query.exists()
    entry, params = compile_query(q, connection)
    if entry is None:
        return False
    cursor = execute_compiled(connection, entry, params)
    try:
        return cursor.fetchone() is not None
    finally:
        cursor.close()


