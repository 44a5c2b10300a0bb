"""Read a database's schema with SQLAlchemy's inspector, in a form two ORMs' schemas compare by.

Generated index and constraint names are left out (Django and ormlette may name them
differently); the definitions stay: columns with types, nullability and defaults, primary
keys, foreign keys, indexes, unique constraints and CHECK conditions.
"""
import re

import sqlalchemy as sa


def engine_url(settings_dict):
    """A SQLAlchemy URL for a Django-format DATABASES entry (either ORM's ENGINE)."""
    engine = settings_dict["ENGINE"]
    if engine.endswith("sqlite3"):
        return "sqlite:///%s" % settings_dict["NAME"]
    scheme = "postgresql+psycopg" if engine.endswith("postgresql") else "mysql+pymysql"
    return sa.engine.URL.create(scheme, username=settings_dict.get("USER") or None,
                                password=settings_dict.get("PASSWORD") or None, host=settings_dict.get("HOST"),
                                port=settings_dict.get("PORT") or None, database=settings_dict["NAME"])


def _normal_sql(text):
    text = re.sub(r'[`"]', "", str(text or "")).lower()
    text = re.sub(r"\s+", " ", text).strip()
    while text.startswith("(") and text.endswith(")") and _balanced(text[1:-1]):
        text = text[1:-1].strip()
    return text


def _balanced(text):
    depth = 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def _default(value):
    if value is None:
        return None
    text = _normal_sql(value)
    return re.sub(r"::[a-z ]+$", "", text).strip("'")


def schema_of(settings_dict, prefix):
    """{table: description} for the tables whose name starts with ``prefix``."""
    engine = sa.create_engine(engine_url(settings_dict), poolclass=sa.pool.NullPool)
    try:
        inspector = sa.inspect(engine)
        return {name: _table(inspector, name) for name in sorted(inspector.get_table_names())
                if name.startswith(prefix)}
    finally:
        engine.dispose()


def _table(inspector, name):
    columns = {}
    for column in inspector.get_columns(name):
        columns[column["name"]] = (str(column["type"]).lower(), column["nullable"], _default(column.get("default")),
                                   bool(column.get("identity")))
    pk = tuple(inspector.get_pk_constraint(name)["constrained_columns"])
    fks = sorted((tuple(fk["constrained_columns"]), fk["referred_table"], tuple(fk["referred_columns"]))
                 for fk in inspector.get_foreign_keys(name))
    indexes = sorted((tuple(str(c) for c in ix["column_names"] if c), bool(ix["unique"]))
                     for ix in inspector.get_indexes(name))
    uniques = sorted(tuple(u["column_names"]) for u in inspector.get_unique_constraints(name))
    try:
        checks = sorted(_normal_sql(c["sqltext"]) for c in inspector.get_check_constraints(name))
    except NotImplementedError:
        checks = []
    return {"columns": columns, "pk": pk, "fks": fks, "indexes": indexes, "uniques": uniques, "checks": checks}


def tables_of(settings_dict, prefix):
    """The names of the tables starting with ``prefix``."""
    return sorted(schema_of(settings_dict, prefix))
