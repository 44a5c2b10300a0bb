"""Preparing a Query for compilation: select list, ordering, grouping (shared by both walks)."""
from ormlette.core.exceptions import FieldError
from ormlette.db.models.expressions.base import Col, F, OrderBy, Random, Ref, Value
from ormlette.db.models.query_utils import LOOKUP_SEP
from ormlette.db.models.sql.query import get_order_dir


class SelectItem:
    """One block or column of the SELECT list."""

    __slots__ = ("kind", "name", "expr", "model", "fields", "alias", "path", "nullable", "reverse", "related")

    def __init__(self, kind, name=None, expr=None, model=None, fields=None, alias=None, path=None,
                 nullable=False, reverse=False, related=None):
        self.kind = kind
        self.name = name
        self.expr = expr
        self.model = model
        self.fields = fields
        self.alias = alias
        self.path = path
        self.nullable = nullable
        self.reverse = reverse
        self.related = related

    def width(self):
        """Number of SQL columns this item occupies."""
        return len(self.fields) if self.kind in ("model", "related") else 1


class Prepared:
    """A query plus everything derived from it that compilation needs."""

    __slots__ = ("query", "select", "where", "having", "qualify", "group_by", "order_by", "meta_ordering")

    def __init__(self, query):
        self.query = query
        self.meta_ordering = False
        if query.model is not None and not query.alias_map and getattr(query, "inner_query", None) is None:
            # Nothing referenced a column (e.g. COUNT(*) without a filter): the model's table is still the FROM.
            query.get_initial_alias()
        self.select = select_plan(query)
        self.order_by = resolve_ordering(query, self)
        if query.distinct and not query.distinct_fields and self.order_by:
            self.select = self.select + hidden_ordering_items(self)
        must_group_by = query.group_by is not None
        self.where, self.having, self.qualify = query.where.split_having_qualify(must_group_by=must_group_by)
        self.group_by = compute_group_by(query, self)


def prepare(query):
    """The cached Prepared form of ``query`` (queries are not changed once executed)."""
    prepared = query.__dict__.get("_prepared")
    if prepared is None:
        # Resolving the ordering may add joins to the query itself, as Django's compiler does;
        # later QuerySet methods clone the query (dropping this plan) before changing it.
        prepared = Prepared(query)
        query.__dict__["_prepared"] = prepared
    return prepared


def hidden_ordering_items(prepared):
    """Ordering columns a DISTINCT query must also select (Django adds them; rows then differ by them)."""
    selected = set()
    for item in prepared.select:
        if item.kind in ("model", "related"):
            selected.update(Col(item.alias, f).identity for f in item.fields)
        elif item.expr is not None:
            selected.add(_ident(item.expr))
    hidden = []
    for term in prepared.order_by:
        expr = term.expression
        if isinstance(expr, Ref) or _ident(expr) in selected:
            continue
        selected.add(_ident(expr))
        hidden.append(SelectItem("hidden", "__orderbycol%d" % len(hidden), expr))
    return hidden


def select_plan(query):
    """The SELECT list in SQL order."""
    items = []
    if query.default_cols:
        alias = query.get_initial_alias()
        mask = query.get_select_mask()
        fields = list(mask) if mask is not None else list(query.get_meta().concrete_fields)
        items.append(SelectItem("model", model=query.model, fields=fields, alias=alias))
        if query.select_related:
            from ormlette.db.models.sql.related_select import related_select_items

            items.extend(related_select_items(query, alias))
        items.extend(SelectItem("extra", name, expr) for name, expr in query.extra_select.items())
        items.extend(SelectItem("annotation", name, expr) for name, expr in query.annotation_select.items())
        return items
    cols = dict(zip(query.values_select, query.select)) if query.values_select else {}
    extra = query.extra_select
    annotations = query.annotation_select
    if query.selected:
        for name in query.selected:
            if name in extra:
                items.append(SelectItem("extra", name, extra[name]))
            elif name in cols:
                items.append(SelectItem("col", name, cols[name]))
            elif name in annotations:
                items.append(SelectItem("annotation", name, annotations[name]))
        seen = {item.name for item in items}
        items.extend(SelectItem("extra", n, e) for n, e in extra.items() if n not in seen)
        items.extend(SelectItem("col", n, e) for n, e in cols.items() if n not in seen)
        items.extend(SelectItem("annotation", n, e) for n, e in annotations.items() if n not in seen)
        if not query.values_select:
            items.extend(SelectItem("col", None, e) for e in query.select)
        return items
    items.extend(SelectItem("extra", name, expr) for name, expr in extra.items())
    if query.values_select:
        items.extend(SelectItem("col", n, e) for n, e in cols.items())
    else:
        items.extend(SelectItem("col", None, e) for e in query.select)
    items.extend(SelectItem("annotation", name, expr) for name, expr in annotations.items())
    return items


def _ordering_source(query, prepared):
    if query.extra_order_by:
        return query.extra_order_by
    if not query.default_ordering:
        return query.order_by
    if query.order_by:
        return query.order_by
    if query.get_meta().ordering:
        prepared.meta_ordering = True
        return query.get_meta().ordering
    return ()


def resolve_ordering(query, prepared):
    """ORDER BY terms as resolved OrderBy expressions (joins added to ``query``)."""
    ordering = _ordering_source(query, prepared)
    if prepared.meta_ordering and query.group_by is not None:
        # Django ignores Meta.ordering in GROUP BY queries.
        prepared.meta_ordering = True
        return []
    terms = []
    seen = set()
    for field in ordering:
        for term in _resolve_one_ordering(query, field):
            if not query.standard_ordering:
                term = term.copy()
                term.reverse_ordering()
            ident = _ident(term)
            if ident in seen:
                continue
            seen.add(ident)
            terms.append(term)
    return terms


def _ident(term):
    try:
        return term.identity
    except Exception:  # noqa: BLE001 - unhashable expressions are simply not deduplicated
        return id(term)


def _resolve_one_ordering(query, field):
    if hasattr(field, "resolve_expression"):
        if isinstance(field, Value):
            raise FieldError("Ordering by a constant is not supported (use an expression).")
        if not isinstance(field, OrderBy):
            field = field.asc()
        field = field.copy()
        if isinstance(field.expression, F) and field.expression.name in query.annotation_select:
            field.expression = Ref(field.expression.name, query.annotation_select[field.expression.name])
        elif isinstance(field.expression, F) and field.expression.name in query.annotations:
            field.expression = query.annotations[field.expression.name]
        else:
            field.expression = field.expression.resolve_expression(query, allow_joins=True, reuse=None)
        return [field]
    if field == "?":
        return [OrderBy(Random())]
    col, order = get_order_dir(field)
    descending = order == "DESC"
    if col in query.annotation_select:
        return [OrderBy(Ref(col, query.annotation_select[col]), descending=descending)]
    if col in query.annotations:
        return [OrderBy(query.annotations[col], descending=descending)]
    if col in query.extra_select:
        return [OrderBy(Ref(col, query.extra_select[col]), descending=descending)]
    return find_ordering_name(query, col, descending)


def find_ordering_name(query, name, descending, already_seen=None):
    """Resolve an ordering path; a relation orders by the related model's ordering (or pk)."""
    pieces = name.split(LOOKUP_SEP)
    opts = query.get_meta()
    alias = query.get_initial_alias()
    join_info = query.setup_joins(pieces, opts, alias)
    field = join_info.final_field
    if field.is_relation and opts.ordering is not None and join_info.opts.ordering and \
            getattr(field, "attname", None) != name and name != "pk" and not name.endswith("_id"):
        already_seen = already_seen or set()
        join_tuple = tuple(query.alias_map[j].table_name for j in join_info.joins)
        if join_tuple in already_seen:
            raise FieldError("Infinite loop caused by ordering.")
        already_seen.add(join_tuple)
        results = []
        for item in join_info.opts.ordering:
            if hasattr(item, "resolve_expression"):
                results.extend(_resolve_one_ordering(query, item))
                continue
            sub, sub_order = get_order_dir(item)
            sub_desc = (sub_order == "DESC") != descending
            results.extend(find_ordering_name(query, "%s%s%s" % (name, LOOKUP_SEP, sub), sub_desc, already_seen))
        return results
    targets, final_alias, _ = query.trim_joins(join_info.targets, join_info.joins, join_info.path)
    return [OrderBy(join_info.transform_function(t, final_alias), descending=descending) for t in targets]


def compute_group_by(query, prepared):
    """GROUP BY expressions following Django's inference."""
    if query.group_by is None:
        return []
    expressions = []
    group_by_refs = set()
    if query.group_by is not True:
        for expr in query.group_by:
            if isinstance(expr, Ref):
                if expr.refs not in group_by_refs:
                    group_by_refs.add(expr.refs)
                    expressions.append(expr.source)
            else:
                expressions.append(expr)
    for item in prepared.select:
        if item.kind in ("model", "related"):
            expressions.extend(Col(item.alias, f) for f in item.fields)
        elif item.name in group_by_refs:
            continue
        else:
            expressions.extend(item.expr.get_group_by_cols())
    if not prepared.meta_ordering:
        for term in prepared.order_by:
            if isinstance(term.expression, Ref):
                continue
            expressions.extend(term.get_group_by_cols())
    if prepared.having is not None:
        expressions.extend(prepared.having.get_group_by_cols())
    result, seen = [], set()
    for expr in expressions:
        if isinstance(expr, Ref):
            expr = expr.source
        ident = _ident(expr)
        if ident in seen:
            continue
        seen.add(ident)
        result.append(expr)
    return result
