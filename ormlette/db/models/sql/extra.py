"""QuerySet.extra(): legacy raw SQL fragments in SELECT, WHERE, FROM and ORDER BY."""
from ormlette.db.models.expressions.base import OrderBy, RawSQL
from ormlette.db.models.sql.where import AND


class ExtraWhere:
    """``extra(where=[...], params=[...])``: the fragments ANDed, with their parameters."""

    contains_aggregate = False
    contains_over_clause = False
    is_summary = False
    conditional = True

    def __init__(self, sqls, params):
        self.sqls = list(sqls)
        self.params = list(params or ())

    def _sql(self):
        return " AND ".join("(%s)" % sql for sql in self.sqls)

    def key(self, k):
        for value in self.params:
            k.param(value)
        return (ExtraWhere, self._sql(), len(self.params))

    def as_sa(self, c):
        return c.raw_sql(self._sql(), self.params)

    def relabeled_clone(self, change_map):
        return self

    def get_group_by_cols(self):
        return []

    def get_refs(self):
        return set()

    def resolve_expression(self, *args, **kwargs):
        return self


def add_extra(query, select, select_params, where, params, tables, order_by):
    """Add extra(select=..., where=..., tables=..., order_by=...) to ``query``."""
    if select:
        values = iter(select_params or ())
        for name, entry in select.items():
            entry = str(entry)
            query.extra[name] = RawSQL(entry, [next(values) for _ in range(_placeholders(entry))])
    if where or params:
        query.where.add(ExtraWhere(where or (), params), AND)
    if tables:
        query.extra_tables += tuple(tables)
    if order_by:
        query.extra_order_by = tuple(_ordering(item) for item in order_by)


def _placeholders(sql):
    """How many ``%s`` placeholders (``%%s`` is a literal) the fragment holds."""
    return sql.replace("%%", "").count("%s")


def _ordering(item):
    # "table.column" is raw SQL in Django's extra(order_by=...); other names resolve as usual.
    if isinstance(item, str) and "." in item:
        descending = item.startswith("-")
        return OrderBy(RawSQL(item.lstrip("-"), []), descending=descending)
    return item
