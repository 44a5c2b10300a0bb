"""Query -> shape key -> cached SQL (built once through SQLAlchemy Core) -> DB-API execution."""
import sqlalchemy as sa

from ormlette.core.exceptions import EmptyResultSet, FullResultSet
from ormlette.db.errors import NotSupportedError
from ormlette.db.models.sql.cache import compile_statement, statement_cache
from ormlette.db.models.sql.context import CompileContext, KeyContext
from ormlette.db.models.sql.datastructures import LOUTER
from ormlette.db.models.sql.plan import prepare

MULTI, SINGLE, CURSOR, NO_RESULTS = "multi", "single", "cursor", "no results"


# -- the key walk --------------------------------------------------------------------------------------
def select_item_key(item, k):
    """The cache-key part of one select item (values go to ``k``)."""
    if item.kind in ("model", "related"):
        return (item.kind, item.model, item.alias, tuple(f.attname for f in item.fields), item.path)
    return (item.kind, item.name, item.expr.key(k), item.expr.output_key())


def _joins_key(query):
    return tuple(join.key() for join in query.alias_map.values() if query.alias_refcount.get(
        join.table_alias, 1) or join.join_type is None)


def query_key(query, k):
    """The structural key of a SELECT; literal values are appended to ``k.params`` in walk order."""
    if query.combinator:
        from ormlette.db.models.sql.combinators import combinator_key

        return combinator_key(query, k)
    prepared = prepare(query)
    q = prepared.query
    if prepared.qualify is not None:
        from ormlette.db.models.sql.qualify import qualify_key

        return qualify_key(prepared, k, select_item_key, _joins_key, _where_key)
    inner = getattr(q, "inner_query", None)
    parts = [q.model, q.distinct, q.distinct_fields and tuple(q.distinct_fields)]
    # Same order as build_select: a derived inner query is built before the select list.
    parts.append(query_key(inner, k) if inner is not None else _joins_key(q))
    parts.append(tuple(select_item_key(item, k) for item in prepared.select))
    parts.append(_where_key(prepared.where, k))
    parts.append(tuple(e.key(k) for e in prepared.group_by) if q.group_by is not None else None)
    parts.append(_where_key(prepared.having, k) if prepared.having is not None else None)
    parts.append(tuple(t.key(k) for t in prepared.order_by))
    if q.distinct_fields:
        # DISTINCT ON expressions may hold parameters (JSON key names): registered where build_select compiles them.
        parts.append(tuple(q.resolve_ref(name).key(k) for name in q.distinct_fields))
    if q.high_mark is not None:
        k.param(q.high_mark - q.low_mark)
    if q.low_mark:
        k.param(q.low_mark)
    parts.append((q.high_mark is not None, bool(q.low_mark)))
    if q.select_for_update:
        from ormlette.db.models.sql.locking import check_select_for_update

        check_select_for_update(q, k.connection)
    parts.append((q.select_for_update, q.select_for_update_nowait, q.select_for_update_skip_locked,
                  tuple(q.select_for_update_of), q.select_for_no_key_update) if q.select_for_update else None)
    parts.append(q.subquery)
    if q.extra_tables:
        parts.append(("extra_tables", tuple(q.extra_tables)))
    return tuple(parts)


def _where_key(node, k):
    if node is None:
        return None
    try:
        return node.key(k)
    except FullResultSet:
        return "full"


# -- the build walk (cache misses only) ---------------------------------------------------------------
def sa_table(name, alias, columns):
    """A lightweight SQLAlchemy table clause, aliased when ``alias`` differs from ``name``."""
    table = sa.table(name, *[sa.column(col) for col in columns])
    return table if alias == name else table.alias(alias)


def columns_of(query, table_name):
    """The column names of ``table_name`` as the models know it (the query's own model first)."""
    from ormlette.db.models.registry import all_models

    if table_name == query.get_meta().db_table:
        return _model_columns(query.model)
    for model in all_models():
        if not model._meta.abstract and model._meta.db_table == table_name:
            return _model_columns(model)
    for model in all_models():
        for field in model._meta.local_many_to_many:
            through = getattr(field.remote_field, "through", None)
            if through is not None and not isinstance(through, str) and through._meta.db_table == table_name:
                return _model_columns(through)
    raise KeyError(table_name)


def _model_columns(model):
    return [f.column for f in model._meta.concrete_fields]


def build_select(query, c):
    """The SQLAlchemy SELECT for ``query``; parameters are numbered through ``c``."""
    if query.combinator:
        from ormlette.db.models.sql.combinators import build_combined

        return build_combined(query, c)
    prepared = prepare(query)
    q = prepared.query
    c.query = q
    if prepared.qualify is not None:
        from ormlette.db.models.sql.qualify import build_qualified

        return build_qualified(prepared, c, _build_from, _apply_where, _setup_tables)
    inner = getattr(q, "inner_query", None)
    if inner is None:
        _setup_tables(q, c)
    if inner is not None:
        inner_select = build_select(inner, CompileContext(c.connection, c.values, outer=c.outer))
        sub = inner_select.subquery("subquery")
        c.tables["subquery"] = sub
    columns = _build_columns(prepared, c)
    from_clause = sub if inner is not None else _build_from(q, c)
    stmt = sa.select(*columns) if columns else sa.select(sa.literal_column("1"))
    if from_clause is not None:
        stmt = stmt.select_from(from_clause)
    for name in q.extra_tables:
        stmt = stmt.select_from(sa.table(name))  # extra(tables=[...]): a plain cross join, as Django
    stmt = _apply_where(stmt, prepared.where, c)
    if c.outer is not None and c.tables:
        # Correlate with every enclosing query (not just the nearest), as nested OuterRefs need.
        stmt = stmt.correlate_except(*c.tables.values())
    if q.group_by is not None and prepared.group_by:
        stmt = stmt.group_by(*[e.as_sa(c) for e in prepared.group_by])
    if prepared.having is not None:
        try:
            stmt = stmt.having(prepared.having.as_sa(c))
        except FullResultSet:
            pass
    order = []
    for term in prepared.order_by:
        order.extend(term.as_sa(c))
    if order:
        stmt = stmt.order_by(*order)
    stmt = _apply_distinct(stmt, q, c)
    if q.high_mark is not None:
        stmt = stmt.limit(c.param(q.high_mark - q.low_mark))
    if q.low_mark:
        stmt = stmt.offset(c.param(q.low_mark))
    if q.select_for_update:
        stmt = _apply_for_update(stmt, q, c)
    return stmt


def _setup_tables(q, c):
    for alias, item in q.alias_map.items():
        c.tables[alias] = sa_table(item.table_name, alias, columns_of(q, item.table_name))


def _build_columns(prepared, c):
    columns = []
    for item in prepared.select:
        if item.kind in ("model", "related"):
            columns.extend(c.column(item.alias, f.column) for f in item.fields)
        elif item.kind == "annotation":
            labelled = item.expr.as_sa(c).label(item.name)
            c.annotations[item.name] = labelled
            columns.append(labelled)
        elif item.kind == "extra":
            labelled = item.expr.as_sa(c).label(item.name)
            c.annotations[item.name] = labelled
            columns.append(labelled)
        else:
            expr = item.expr.as_sa(c)
            columns.append(expr.label(item.name) if item.name and not isinstance(expr, sa.ColumnClause) else expr)
    return columns


def _build_from(q, c):
    from_clause = None
    for alias, item in q.alias_map.items():
        if item.join_type is None:
            if from_clause is None:
                from_clause = c.tables[alias]
            continue
        if not q.alias_refcount.get(alias, 1):
            continue
        onclause = sa.and_(*[c.column(item.parent_alias, lhs) == c.column(alias, rhs) for lhs, rhs in item.join_cols])
        if item.filtered_relation is not None:
            onclause = sa.and_(onclause, item.filtered_relation.condition_sa(q, c, alias))
        from_clause = from_clause.join(c.tables[alias], onclause, isouter=item.join_type == LOUTER)
    return from_clause


def _apply_where(stmt, where, c):
    if where is None:
        return stmt
    try:
        return stmt.where(where.as_sa(c))
    except FullResultSet:
        return stmt


def _apply_distinct(stmt, q, c):
    if q.distinct_fields:
        if not c.connection.features.supports_distinct_on_fields:
            raise NotSupportedError("DISTINCT ON fields is not supported by this database backend")
        exprs = []
        for name in q.distinct_fields:
            exprs.append(q.resolve_ref(name).as_sa(c))
        return stmt.distinct(*exprs)
    if q.distinct:
        return stmt.distinct()
    return stmt


def _apply_for_update(stmt, q, c):
    features = c.connection.features
    if not features.has_select_for_update:
        return stmt
    of = None
    if q.select_for_update_of:
        of = []
        for name in q.select_for_update_of:
            alias = q.base_table if name == "self" else _alias_for_path(q, name)
            of.append(c.tables[alias])
    return stmt.with_for_update(nowait=q.select_for_update_nowait, skip_locked=q.select_for_update_skip_locked,
                                of=of, key_share=q.select_for_no_key_update)


def _alias_for_path(q, name):
    join_info = q.setup_joins(name.split("__"), q.get_meta(), q.get_initial_alias())
    return join_info.joins[-1]


# -- compile + execute ------------------------------------------------------------------------------------
_compile_recorded = None  # fast/recipes registers itself (set_recorded_compiler); sql/ never imports fast/


def set_recorded_compiler(compile_recorded):
    """Install ``compile_recorded(query, connection, hint)`` for queries carrying a recipe hint."""
    global _compile_recorded
    _compile_recorded = compile_recorded


def compile_query(query, connection):
    """(CompiledStatement, params) for a SELECT; (None, None) when it can match no rows."""
    hint = query.__dict__.get("_recipe_hint")
    if hint is not None and _compile_recorded is not None:
        compiled = _compile_recorded(query, connection, hint)
        if compiled is not None:
            return compiled
    entry, params = compile_with_key_params(query, connection)
    return (None, None) if entry is None else (entry, entry.arrange(params))


def compile_with_key_params(query, connection):
    """(CompiledStatement, values in key-walk order), or (None, None) when it can match no rows."""
    k = KeyContext(connection)
    try:
        key = query_key(query, k)
    except EmptyResultSet:
        return None, None
    cache = statement_cache(connection)
    entry = cache.get(key)
    if entry is None:
        entry = _build_entry(query, connection, k.params, lambda c: build_select(query, c))
        cache.put(key, entry)
    return entry, k.params


def _build_entry(query, connection, key_params, builder):
    c = CompileContext(connection)
    stmt = builder(c)
    check_walks_agree(key_params, c.values)
    entry = compile_statement(stmt, connection, len(c.values))
    entry.layout = None
    return entry


def check_walks_agree(key_params, compile_params):
    """Raise if the key walk and the build walk collected different parameters."""
    # A disagreement would bind values to the wrong placeholders on every later cache hit.
    if len(key_params) != len(compile_params) or any(
            a is not b and not same_value(a, b) for a, b in zip(key_params, compile_params)):
        raise AssertionError("ormlette internal error: key and compile walks disagree on parameters: %r != %r"
                             % (key_params, compile_params))


def same_value(a, b):
    """Whether two parameter values of the key and build walks are the same value."""
    try:
        if bool(a == b) or (a != a and b != b):
            return True
    except Exception:  # noqa: BLE001 - values that cannot compare are checked by type
        return type(a) is type(b)
    # Driver wrappers without __eq__ (psycopg's Jsonb, ...) are new objects in each walk: compare contents.
    return type(a) is type(b) and _contents(a) is not None and _contents(a) == _contents(b)


def _contents(value):
    if hasattr(value, "__dict__"):
        return vars(value)
    slots = [name for cls in type(value).__mro__ for name in getattr(cls, "__slots__", ())]
    return tuple(getattr(value, name, None) for name in slots) if slots else None


def execute_compiled(connection, entry, params, chunked=False):
    """Run a compiled statement; return the DB-API cursor."""
    cursor = connection.new_cursor()
    connection.execute_sql(cursor, entry.sql, params)
    return cursor


def fetch_rows(query, connection):
    """(CompiledStatement, rows) for a SELECT, or (None, []) when nothing can match."""
    entry, params = compile_query(query, connection)
    if entry is None:
        return None, []
    cursor = execute_compiled(connection, entry, params)
    try:
        rows = cursor.fetchall()
    finally:
        cursor.close()
    return entry, rows


def display_sql(query, connection):
    """(SQL with %s placeholders, params) as Django's ``sql_with_params``."""
    entry, params = compile_query(query, connection)
    if entry is None:
        raise EmptyResultSet
    return entry.display_sql(), list(params)


class SQLCompiler:
    """Django-style compiler facade (``query.get_compiler(using)``)."""

    def __init__(self, query, connection, using):
        self.query = query
        self.connection = connection
        self.using = using

    def as_sql(self):
        """(sql, params) with %s placeholders."""
        return display_sql(self.query, self.connection)

    def execute_sql(self, result_type=MULTI):
        """Run the query; rows (MULTI), one row (SINGLE) or the cursor."""
        entry, params = compile_query(self.query, self.connection)
        if entry is None:
            if result_type == MULTI:
                return iter([])
            return None
        cursor = execute_compiled(self.connection, entry, params)
        if result_type == CURSOR:
            return cursor
        try:
            if result_type == SINGLE:
                return cursor.fetchone()
            if result_type == NO_RESULTS:
                return None
            return iter([cursor.fetchall()])
        finally:
            if result_type != CURSOR:
                cursor.close()

    def has_results(self):
        """Whether the query returns at least one row."""
        return bool(self.execute_sql(SINGLE))


