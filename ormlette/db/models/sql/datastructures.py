"""FROM-clause items: the base table and joins (plain data)."""
from collections import namedtuple

INNER = "INNER JOIN"
LOUTER = "LEFT OUTER JOIN"

PathInfo = namedtuple("PathInfo", "from_opts to_opts target_fields join_field m2m direct filtered_relation")


class MultiJoin(Exception):
    """A lookup crossed a multi-valued relation where that is not allowed."""

    def __init__(self, names_pos, path_with_names):
        self.level = names_pos
        self.names_with_path = path_with_names


class BaseTable:
    """The query's main table."""

    join_type = None
    parent_alias = None
    filtered_relation = None
    nullable = False

    def __init__(self, table_name, alias):
        self.table_name = table_name
        self.table_alias = alias

    def key(self):
        """Structural shape."""
        return (self.table_name, self.table_alias)

    def relabeled_clone(self, change_map):
        """A copy with the alias renamed."""
        return self.__class__(self.table_name, change_map.get(self.table_alias, self.table_alias))

    @property
    def identity(self):
        return self.__class__, self.table_name, self.table_alias

    def __eq__(self, other):
        return isinstance(other, BaseTable) and self.identity == other.identity

    def __hash__(self):
        return hash(self.identity)

    def equals(self, other):
        return self.identity == other.identity

    def __repr__(self):
        return "BaseTable(%s AS %s)" % (self.table_name, self.table_alias)


class Join:
    """``<join_type> table_name AS table_alias ON parent.col = table_alias.col [AND ...]``."""

    def __init__(self, table_name, parent_alias, table_alias, join_type, join_field, nullable,
                 filtered_relation=None):
        self.table_name = table_name
        self.parent_alias = parent_alias
        self.table_alias = table_alias
        self.join_type = join_type
        self.join_cols = join_field.get_joining_columns()
        self.join_field = join_field
        self.nullable = nullable
        self.filtered_relation = filtered_relation

    def key(self):
        """Structural shape (what changes the SQL)."""
        return (self.table_name, self.parent_alias, self.table_alias, self.join_type, self.join_cols,
                self.filtered_relation is not None)

    def relabeled_clone(self, change_map):
        """A copy with aliases renamed."""
        parent_alias = change_map.get(self.parent_alias, self.parent_alias)
        table_alias = change_map.get(self.table_alias, self.table_alias)
        return self.__class__(self.table_name, parent_alias, table_alias, self.join_type, self.join_field,
                              self.nullable, self.filtered_relation)

    @property
    def identity(self):
        return (self.__class__, self.table_name, self.parent_alias, self.join_field, self.filtered_relation)

    def __eq__(self, other):
        if not isinstance(other, Join):
            return NotImplemented
        return self.identity == other.identity

    def __hash__(self):
        return hash(self.identity)

    def equals(self, other):
        """Equal ignoring filtered relation (for reuse)."""
        return self.identity[:-1] == other.identity[:-1]

    def demote(self):
        """An INNER copy."""
        new = self.relabeled_clone({})
        new.join_type = INNER
        return new

    def promote(self):
        """A LEFT OUTER copy."""
        new = self.relabeled_clone({})
        new.join_type = LOUTER
        return new

    def __repr__(self):
        return "Join(%s %s AS %s)" % (self.join_type, self.table_name, self.table_alias)
