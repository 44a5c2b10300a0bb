"""UNION / INTERSECT / EXCEPT: both walks of a combined query (called from sql/compiler.py)."""
import sqlalchemy as sa

from ormlette.core.exceptions import EmptyResultSet
from ormlette.db.errors import DatabaseError, NotSupportedError
from ormlette.db.models.expressions.base import F, OrderBy
from ormlette.db.models.sql.context import CompileContext
from ormlette.db.models.sql.plan import select_plan

_SA_COMBINATORS = {
    ("union", False): sa.union, ("union", True): sa.union_all,
    ("intersection", False): sa.intersect, ("intersection", True): sa.intersect_all,
    ("difference", False): sa.except_, ("difference", True): sa.except_all,
}


def _parts(query, connection):
    """The combined queries as compiled: values() of the combined query applied, empty ones dropped."""
    features = connection.features
    if query.combinator == "intersection" and not features.supports_select_intersection:
        raise NotSupportedError("intersection is not supported on this database backend.")
    if query.combinator == "difference" and not features.supports_select_difference:
        raise NotSupportedError("difference is not supported on this database backend.")
    names = None
    if query.values_select or query.annotation_select_mask is not None or query.extra_select_mask is not None:
        names = (*query.extra_select, *query.values_select, *query.annotation_select)
    parts = []
    for index, part in enumerate(query.combined_queries):
        if not features.supports_slicing_ordering_in_compound and part.is_sliced:
            raise DatabaseError("LIMIT/OFFSET not allowed in subqueries of compound statements.")
        if not features.supports_slicing_ordering_in_compound and (part.order_by or (
                part.default_ordering and part.get_meta().ordering)):
            raise DatabaseError("ORDER BY not allowed in subqueries of compound statements.")
        part = part.clone()
        if names is not None and not part.values_select and not part.has_select_fields:
            part.set_values(names)
        if not part.is_sliced:
            part.clear_ordering(force=True)
        if part.is_empty():
            if query.combinator == "union" or (query.combinator == "difference" and index > 0):
                continue
            raise EmptyResultSet
        parts.append(part)
    if not parts:
        raise EmptyResultSet
    return parts


def _column_names(query):
    """For each SQL column of the combined result, the names an order_by() may use for it."""
    columns = []
    for item in select_plan(query):
        if item.kind in ("model", "related"):
            for field in item.fields:
                names = {field.name, field.attname, field.column}
                if field.primary_key and item.kind == "model":
                    names.add("pk")
                columns.append(names)
        else:
            names = {item.name} if item.name else set()
            target = getattr(item.expr, "target", None)
            if target is not None:
                names |= {target.name, target.attname}
            columns.append(names)
    return columns


def _ordering(query):
    """[(column index, OrderBy)] for the combined query's order_by()."""
    if not query.order_by:
        return []
    columns = _column_names(query)
    result = []
    for term in query.order_by:
        if isinstance(term, str):
            descending = term.startswith("-")
            term = OrderBy(F(term.lstrip("-")), descending=descending)
        elif not isinstance(term, OrderBy):
            term = term.asc()
        if not isinstance(term.expression, F):
            raise DatabaseError("ORDER BY term does not match any column in the result set.")
        name = term.expression.name
        index = next((i for i, names in enumerate(columns) if name in names), None)
        if index is None:
            raise DatabaseError("ORDER BY term does not match any column in the result set.")
        if not query.standard_ordering:
            term = term.copy()
            term.reverse_ordering()
        result.append((index, term))
    return result


def combinator_key(query, k):
    """Structural key of a combined query; part values then LIMIT/OFFSET go to ``k``."""
    parts = tuple(k.subquery_key(part) for part in _parts(query, k.connection))
    order = tuple((i, t.descending, t.nulls_first, t.nulls_last) for i, t in _ordering(query))
    if query.high_mark is not None:
        k.param(query.high_mark - query.low_mark)
    if query.low_mark:
        k.param(query.low_mark)
    return ("combined", query.model, query.combinator, query.combinator_all, parts, order,
            (query.high_mark is not None, bool(query.low_mark)), query.subquery)


def build_combined(query, c):
    """The SQLAlchemy compound SELECT."""
    from ormlette.db.models.sql.compiler import build_select

    selects = []
    for part in _parts(query, c.connection):
        selects.append(build_select(part, CompileContext(c.connection, c.values, outer=c.outer)))
    if len(selects) == 1:
        compound = selects[0]
    else:
        compound = _SA_COMBINATORS[(query.combinator, query.combinator_all)](*selects)
    order = []
    for index, term in _ordering(query):
        column = sa.literal_column(str(index + 1))
        order.extend(c.connection.ops.order_by_sa(column, term.descending, term.nulls_first, term.nulls_last))
    if order:
        compound = compound.order_by(*order)
    if query.high_mark is not None:
        compound = compound.limit(c.param(query.high_mark - query.low_mark))
    if query.low_mark:
        compound = compound.offset(c.param(query.low_mark))
    return compound
