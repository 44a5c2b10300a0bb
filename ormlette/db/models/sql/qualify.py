"""Filtering on window annotations: ``SELECT cols FROM (SELECT ..., window AS __q0 ...) WHERE <cond>``.

SQL cannot filter on window functions in WHERE, so (as Django 4.2+) the query is computed in a
derived table that also selects every column or window the condition uses, and the condition,
ordering and limits apply outside. Both walks below visit parameters in the same order:
select columns, condition references, ordering expressions, joins, WHERE, GROUP BY, HAVING, the
outer condition, LIMIT/OFFSET.
"""
import sqlalchemy as sa

from ormlette.core.exceptions import FullResultSet
from ormlette.db.models.expressions.base import Col, Expression, Ref, Window
from ormlette.db.models.sql.where import WhereNode

DERIVED = "qualify"


class DerivedColumn(Expression):
    """A column of the derived table, standing in for an expression of the inner query."""

    contains_aggregate = False
    contains_over_clause = False
    contains_column_references = True

    def __init__(self, label, output_field):
        super().__init__(output_field=output_field)
        self.label = label

    @property
    def identity(self):
        return (DerivedColumn, self.label)

    def key(self, k):
        return (DerivedColumn, self.label)

    def as_sa(self, c):
        return c.tables[DERIVED].c[self.label]

    def get_group_by_cols(self):
        return []

    def relabeled_clone(self, change_map):
        return self


def _substitute(expr, refs):
    """Replace windows and columns inside ``expr`` with derived columns (recording them in refs)."""
    if isinstance(expr, (Window, Col)) or (isinstance(expr, Ref) and expr.source.contains_over_clause):
        target = expr.source if isinstance(expr, Ref) else expr
        for label, known in refs:
            if known is target:
                return DerivedColumn(label, target._output_field_or_none)
        label = "__q%d" % len(refs)
        refs.append((label, target))
        return DerivedColumn(label, target._output_field_or_none)
    if not hasattr(expr, "get_source_expressions"):
        return expr
    sources = expr.get_source_expressions()
    if not sources:
        return expr
    clone = expr.copy()
    clone.set_source_expressions([_substitute(s, refs) if s is not None else None for s in sources])
    return clone


def _substitute_node(node, refs):
    if isinstance(node, WhereNode):
        clone = node.create(connector=node.connector, negated=node.negated)
        clone.children = [_substitute_node(child, refs) for child in node.children]
        return clone
    clone = node.copy()
    clone.lhs = _substitute(node.lhs, refs)
    if hasattr(node.rhs, "resolve_expression"):
        clone.rhs = _substitute(node.rhs, refs)
    return clone


def _plan_for(prepared):
    """(outer condition, [(label, inner expression)]) for a prepared query with a qualify part."""
    refs = []
    condition = _substitute_node(prepared.qualify, refs)
    return condition, refs


def _order_source(term):
    expr = term.expression
    return expr.source if isinstance(expr, Ref) else expr


# -- key walk -----------------------------------------------------------------------------------------
def qualify_key(prepared, k, item_key, joins_key, where_key):
    """The structural key of a qualified query (mirrors build_qualified)."""
    q = prepared.query
    condition, refs = _plan_for(prepared)
    parts = ["qualify", q.model, q.distinct]
    parts.append(tuple(item_key(item, k) for item in prepared.select))
    parts.append(tuple((label, expr.key(k)) for label, expr in refs))
    parts.append(tuple((_order_source(t).key(k), t.descending, t.nulls_first, t.nulls_last)
                       for t in prepared.order_by))
    parts.append(joins_key(q))
    parts.append(where_key(prepared.where, k))
    parts.append(tuple(e.key(k) for e in prepared.group_by) if q.group_by is not None else None)
    parts.append(where_key(prepared.having, k) if prepared.having is not None else None)
    parts.append(where_key(condition, k))
    if q.high_mark is not None:
        k.param(q.high_mark - q.low_mark)
    if q.low_mark:
        k.param(q.low_mark)
    parts.append((q.high_mark is not None, bool(q.low_mark)))
    return tuple(parts)


# -- build walk ----------------------------------------------------------------------------------------
def build_qualified(prepared, c, build_from, apply_where, setup_tables):
    """The outer SELECT over the derived table."""
    q = prepared.query
    condition, refs = _plan_for(prepared)
    setup_tables(q, c)
    columns = []
    for item in prepared.select:
        if item.kind in ("model", "related"):
            columns.extend(c.column(item.alias, f.column) for f in item.fields)
        else:
            expr = item.expr.as_sa(c)
            if item.name:
                c.annotations[item.name] = expr
            columns.append(expr)
    labelled = [col.label("col%d" % i) for i, col in enumerate(columns)]
    labelled += [expr.as_sa(c).label(label) for label, expr in refs]
    order_labels = []
    for i, term in enumerate(prepared.order_by):
        label = "__o%d" % i
        labelled.append(_order_source(term).as_sa(c).label(label))
        order_labels.append((label, term))
    inner = sa.select(*labelled).select_from(build_from(q, c))
    inner = apply_where(inner, prepared.where, c)
    if q.group_by is not None and prepared.group_by:
        inner = inner.group_by(*[e.as_sa(c) for e in prepared.group_by])
    if prepared.having is not None:
        try:
            inner = inner.having(prepared.having.as_sa(c))
        except FullResultSet:
            pass
    derived = inner.subquery(DERIVED)
    c.tables[DERIVED] = derived
    outer = sa.select(*[derived.c["col%d" % i] for i in range(len(columns))]).select_from(derived)
    outer = apply_where(outer, condition, c)
    order = []
    for label, term in order_labels:
        order.extend(c.connection.ops.order_by_sa(derived.c[label], term.descending, term.nulls_first,
                                                  term.nulls_last))
    if order:
        outer = outer.order_by(*order)
    if q.distinct:
        outer = outer.distinct()
    if q.high_mark is not None:
        outer = outer.limit(c.param(q.high_mark - q.low_mark))
    if q.low_mark:
        outer = outer.offset(c.param(q.low_mark))
    return outer
