"""Test databases for a run: created fresh (or kept), tables from the models, destroyed afterwards.

``setup_databases`` / ``teardown_databases`` are django.test.utils' functions of the same names. Apps with
a ``migrations`` package are handed to :func:`run_migrations` (the seam for ``ormlette.db.migrations``);
the others get their tables straight from the models, as Django's ``--run-syncdb``.
"""
import importlib.util
import warnings

from ormlette.conf import settings
from ormlette.db import DEFAULT_DB_ALIAS, connections, router


def setup_databases(aliases=None, keepdb=False, suffix=None, verbosity=0, migrate=True):
    """Create the test database of each alias (``suffix`` per parallel worker); return what teardown needs.

    ``settings.DATABASES[alias]["NAME"]`` points at the test database until :func:`teardown_databases`.
    Aliases whose ``TEST["MIRROR"]`` names another alias use that alias's test database.
    """
    aliases = list(connections) if aliases is None else list(aliases)
    aliases.sort(key=lambda alias: (alias != DEFAULT_DB_ALIAS, alias))
    created, by_signature, mirrors = [], {}, {}
    names = {alias: settings.DATABASES[alias].get("NAME", "") for alias in aliases}
    for alias in aliases:
        test_settings = settings.DATABASES[alias].get("TEST") or {}
        if test_settings.get("MIRROR"):
            mirrors[alias] = test_settings["MIRROR"]
            continue
        creation = connections[alias].creation
        signature = creation.test_db_signature()
        if signature in by_signature and not creation.test_db_name(suffix) == ":memory:":
            name = by_signature[signature]
        else:
            name = creation.create_test_db(keepdb=keepdb, suffix=suffix, verbosity=verbosity)
            by_signature[signature] = name
            created.append((alias, name))
        settings.DATABASES[alias]["NAME"] = name
    for alias, target in mirrors.items():
        settings.DATABASES[alias]["NAME"] = settings.DATABASES[target]["NAME"]
    _forget_connections()
    for alias in aliases:
        if alias not in mirrors:
            create_tables(alias, migrate=migrate)
    return {"created": created, "names": names, "keepdb": keepdb}


def teardown_databases(old_config, verbosity=0, keepdb=None):
    """Destroy the databases :func:`setup_databases` created (unless kept) and restore the names."""
    keepdb = old_config["keepdb"] if keepdb is None else keepdb
    creations = {alias: connections[alias].creation for alias, _ in old_config["created"]}
    _forget_connections()
    for alias, name in old_config["created"]:
        creations[alias].destroy_test_db(name, keepdb=keepdb, verbosity=verbosity)
    for alias, name in old_config["names"].items():
        settings.DATABASES[alias]["NAME"] = name
    connections.reset()


def _forget_connections():
    """Close every connection and pool so the next use reads the (changed) NAMEs."""
    connections.close_all()
    connections.reset()


def models_for(alias):
    """The registered concrete, managed models the routers allow on ``alias``, referenced models first."""
    from ormlette.db.models.registry import all_models

    candidates = [m for m in all_models() if not m._meta.abstract and not m._meta.proxy and m._meta.managed
                  and not m._meta.auto_created and router.allow_migrate_model(alias, m)]
    return _dependency_order(candidates)


def _dependency_order(models):
    """Models ordered so a model's foreign-key and many-to-many targets come before it (cycles kept as is)."""
    ordered, placed, visiting = [], set(), set()
    present = set(models)

    def visit(model):
        if model in placed or model in visiting:
            return
        visiting.add(model)
        opts = model._meta
        for f in (*opts.local_fields, *opts.local_many_to_many):
            target = getattr(getattr(f, "remote_field", None), "model", None)
            if f.is_relation and isinstance(target, type) and target in present and target is not model:
                visit(target)
        visiting.discard(model)
        placed.add(model)
        ordered.append(model)

    for model in models:
        visit(model)
    return ordered


def apps_with_migrations(models):
    """The app labels among ``models`` whose models module has a ``migrations`` package beside it."""
    labels = set()
    for model in models:
        package = model.__module__.rpartition(".")[0]
        if package and _has_module(package + ".migrations"):
            labels.add(model._meta.app_label)
    return labels


def _has_module(name):
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def run_migrations(connection, app_labels):
    """Seam for ``ormlette.db.migrations``: migrate ``app_labels`` on ``connection``; return the labels done.

    Until that package offers ``migrate_for_tests(connection, app_labels)``, nothing is migrated and the
    apps' tables are created from their models (with a warning).
    """
    try:
        from ormlette.db import migrations
    except ImportError:
        migrations = None
    migrate = getattr(migrations, "migrate_for_tests", None)
    if migrate is None:
        warnings.warn("Apps %s have migrations, but ormlette.db.migrations cannot run them yet: their test "
                      "tables are created from the models." % ", ".join(sorted(app_labels)), stacklevel=3)
        return set()
    migrate(connection, app_labels)
    return set(app_labels)


def create_tables(alias, migrate=True):
    """Create the tables of ``alias``'s models that do not exist yet (migrating apps that have migrations)."""
    connection = connections[alias]
    models = models_for(alias)
    migrated = set()
    if migrate:
        labels = apps_with_migrations(models)
        if labels:
            migrated = run_migrations(connection, labels)
    existing = connection.creation.table_names()
    missing = [m for m in models if m._meta.app_label not in migrated and m._meta.db_table not in existing]
    if missing:
        with connection.schema_editor() as editor:
            for model in missing:
                editor.create_model(model)
    return missing
