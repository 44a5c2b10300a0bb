"""Shared by the migration tests: ormlette models from Django source, and dropping a test's tables."""
import sys
import types

import sqlalchemy as sa

from tests.migrations.inspect import engine_url


def ormlette_models(source, module_name):
    """Execute Django model source after the rename (django -> ormlette) as module ``module_name``."""
    from ormlette.db.models import registry

    module = types.ModuleType(module_name)
    module.__file__ = "<%s>" % module_name
    sys.modules[module_name] = module
    exec(compile(source.replace("django", "ormlette"), module.__file__, "exec"), module.__dict__)
    declared = [v for v in vars(module).values() if isinstance(v, type) and hasattr(v, "_meta")
                and v.__module__ == module_name and not v._meta.abstract]
    module.declared = declared
    module.forget = lambda: [registry.unregister(m) for m in declared]
    return module


def drop_tables(settings_dict, prefix):
    """Drop every table whose name starts with ``prefix`` (foreign keys first where they exist)."""
    engine = sa.create_engine(engine_url(settings_dict), poolclass=sa.pool.NullPool)
    try:
        metadata = sa.MetaData()
        metadata.reflect(engine, only=lambda name, _: name.startswith(prefix))
        with engine.begin() as conn:
            if engine.dialect.name == "mysql":
                conn.exec_driver_sql("SET FOREIGN_KEY_CHECKS = 0")
            for table in reversed(list(metadata.tables.values())):
                conn.exec_driver_sql("DROP TABLE %s%s" % (engine.dialect.identifier_preparer.quote(table.name),
                                                          " CASCADE" if engine.dialect.name == "postgresql" else ""))
            if engine.dialect.name == "mysql":
                conn.exec_driver_sql("SET FOREIGN_KEY_CHECKS = 1")
    finally:
        engine.dispose()
