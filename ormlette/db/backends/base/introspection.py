"""``connection.introspection``: what is in the database (Django's names), read with SQLAlchemy's inspector."""
from collections import namedtuple

import sqlalchemy as sa

FieldInfo = namedtuple("FieldInfo", "name type_code display_size internal_size precision scale null_ok default "
                                    "collation")
TableInfo = namedtuple("TableInfo", "name type")


class BaseDatabaseIntrospection:
    """Tables, columns, constraints, relations and sequences of the connection's database."""

    def __init__(self, connection):
        self.connection = connection

    def table_names(self, cursor=None, include_views=False):
        """Table names (views too when asked), sorted; read on the connection itself (its transaction included)."""
        sql = self.connection.ops.table_names_sql(include_views)
        with self.connection.cursor() as own:
            own.execute(sql)
            return sorted(row[0] for row in own.fetchall())

    def get_table_list(self, cursor=None):
        """TableInfo(name, 't') per table."""
        return [TableInfo(name, "t") for name in self.table_names()]

    def _inspect(self, method, *args):
        engine = self.connection.engine
        with engine.connect() as conn:
            return getattr(sa.inspect(conn), method)(*args)

    def get_table_description(self, cursor, table_name):
        """FieldInfo per column."""
        columns = self._inspect("get_columns", table_name)
        return [FieldInfo(c["name"], c["type"], None, getattr(c["type"], "length", None),
                          getattr(c["type"], "precision", None), getattr(c["type"], "scale", None), c["nullable"],
                          c.get("default"), getattr(c["type"], "collation", None)) for c in columns]

    def get_relations(self, cursor, table_name):
        """{column: (referenced column, referenced table)}."""
        relations = {}
        for fk in self._inspect("get_foreign_keys", table_name):
            for column, referred in zip(fk["constrained_columns"], fk["referred_columns"]):
                relations[column] = (referred, fk["referred_table"])
        return relations

    def get_primary_key_columns(self, cursor, table_name):
        """The primary key's columns."""
        return list(self._inspect("get_pk_constraint", table_name)["constrained_columns"])

    def get_constraints(self, cursor, table_name):
        """{name: {columns, primary_key, unique, foreign_key, check, index}} as Django's."""
        found = {}
        pk = self._inspect("get_pk_constraint", table_name)
        if pk["constrained_columns"]:
            found[pk.get("name") or "__primary__"] = _constraint(pk["constrained_columns"], primary_key=True,
                                                                 unique=True)
        for fk in self._inspect("get_foreign_keys", table_name):
            found[fk.get("name") or "__fk_%s" % "_".join(fk["constrained_columns"])] = _constraint(
                fk["constrained_columns"], foreign_key=(fk["referred_table"], fk["referred_columns"][0]))
        for unique in self._inspect("get_unique_constraints", table_name):
            found[unique.get("name") or "__unique_%s" % "_".join(unique["column_names"])] = _constraint(
                unique["column_names"], unique=True)
        for index in self._inspect("get_indexes", table_name):
            found.setdefault(index["name"], _constraint([c for c in index["column_names"] if c],
                                                        unique=bool(index["unique"]), index=True))
        try:
            checks = self._inspect("get_check_constraints", table_name)
        except NotImplementedError:
            checks = []
        for position, check in enumerate(checks):
            found[check.get("name") or "__check_%d" % position] = _constraint([], check=True)
        return found

    def get_sequences(self, cursor, table_name, table_fields=()):
        """[{"table", "column"}] for the auto-incrementing primary key."""
        for column in self._inspect("get_columns", table_name):
            if column.get("autoincrement") is True or column.get("identity") or \
                    "nextval" in str(column.get("default") or ""):
                return [{"table": table_name, "column": column["name"], "name": None}]
        pk = self.get_primary_key_columns(cursor, table_name)
        return [{"table": table_name, "column": pk[0]}] if len(pk) == 1 else []


def _constraint(columns, primary_key=False, unique=False, foreign_key=None, check=False, index=False):
    return {"columns": list(columns), "primary_key": primary_key, "unique": unique, "foreign_key": foreign_key,
            "check": check, "index": index, "type": "idx" if index else None, "orders": [], "definition": None,
            "options": None}
