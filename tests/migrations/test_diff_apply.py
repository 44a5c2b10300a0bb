"""Django 5.2's own migration files, renamed, applied by ormlette: the same schema as Django's ``migrate`` at every step.

Each step of tests/migrations/sequence.py writes a models.py, runs Django's ``makemigrations``
and ``migrate`` (subprocess, reference database), copies the new migration file after the
rename django -> ormlette into an ormlette project and runs ormlette's executor on the test
database. The two schemas are compared with SQLAlchemy's inspector; one row per table is
written before each step and every row must still be there after it; finally ormlette
migrates back to zero and no table is left.
"""
import datetime
import decimal
import sys

import pytest

from ormlette.db import connection
from ormlette.db.migrations.executor import MigrationExecutor
from tests import backends
from tests.migrations.django_project import DjangoProject
from tests.migrations.helpers import drop_tables, ormlette_models
from tests.migrations.inspect import schema_of, tables_of
from tests.migrations.sequence import steps

APP = "migr_seq"
PREFIX = APP + "_"


@pytest.fixture(scope="module")
def projects(tmp_path_factory):
    django_project = DjangoProject(tmp_path_factory.mktemp("django_seq"), APP)
    ours = tmp_path_factory.mktemp("ormlette_seq")
    (ours / APP / "migrations").mkdir(parents=True)
    (ours / APP / "__init__.py").write_text("")
    (ours / APP / "migrations" / "__init__.py").write_text("")
    sys.path.insert(0, str(ours))
    try:
        yield django_project, ours
    finally:
        sys.path.remove(str(ours))
        for name in [n for n in sys.modules if n == APP or n.startswith(APP + ".")]:
            del sys.modules[name]
        drop_tables(backends.TEST_DB, PREFIX)
        drop_tables(backends.TEST_DB, "ormlette_migrations")
        drop_tables(backends.REFERENCE_DB, PREFIX)
        drop_tables(backends.REFERENCE_DB, "django_migrations")


def _executor():
    return MigrationExecutor(connection, {APP: APP + ".models"})


def _value(field, apps, made):
    internal = field.get_internal_type()
    if field.is_relation:
        target = field.remote_field.model
        return made.get(target._meta.label_lower) or _make(target, apps, made)
    if internal in ("CharField", "SlugField", "EmailField", "TextField"):
        return "v%d" % len(made)
    if internal in ("DecimalField",):
        return decimal.Decimal("1.5")
    if internal in ("DateTimeField",):
        return datetime.datetime(2024, 1, 2, tzinfo=datetime.timezone.utc)
    return 3


def _make(model, apps, made):
    values = {}
    for field in model._meta.local_concrete_fields:
        if field.primary_key or getattr(field, "generated", False) or field.null:
            continue
        values[field.name] = _value(field, apps, made)
    obj = model.objects.create(**values)
    made[model._meta.label_lower] = obj
    return obj


def _add_rows(state):
    apps = state.apps
    made = {}
    for model in apps.get_models():
        _make(model, apps, made)


def _normal(value):
    """Operations, fields, indexes, constraints and Q objects compared by deconstruction."""
    from ormlette.db.models.fields import Field

    if isinstance(value, Field):
        return ("field",) + tuple(_normal(v) for v in value.deconstruct()[1:])
    if hasattr(value, "state_forwards"):
        name, args, kwargs = value.deconstruct()
        return ("op", name, _normal(list(args)), _normal(kwargs))
    if callable(value) and hasattr(value, "__name__") and not hasattr(value, "deconstruct"):
        return ("callable", value.__name__)
    if hasattr(value, "deconstruct"):
        return ("object",) + tuple(_normal(v) for v in value.deconstruct())
    if isinstance(value, dict):
        return tuple(sorted((k, _normal(v)) for k, v in value.items() if not (k == "options" and v == {})))
    if isinstance(value, (list, tuple)):
        return tuple(_normal(v) for v in value)
    if isinstance(value, (set, frozenset)):
        return ("set",) + tuple(sorted(_normal(v) for v in value))
    return value


def _autodetected(source, executor):
    """ormlette's makemigrations operations for ``source`` against the applied migration files."""
    from ormlette.db.migrations.autodetector import MigrationAutodetector
    from ormlette.db.migrations.questioner import MigrationQuestioner
    from ormlette.db.migrations.state import ProjectState

    module = ormlette_models(source, APP + ".models")
    try:
        loader = executor.loader
        state = loader.project_state(nodes=sorted(loader.applied_migrations)) if loader.applied_migrations \
            else ProjectState()
        questioner = MigrationQuestioner({"ask_rename": True, "ask_rename_model": True})
        changes = MigrationAutodetector(state, ProjectState.from_models(module.declared), questioner).changes(None)
        return [op for migration in changes.get(APP, []) for op in migration.operations]
    finally:
        module.forget()
        sys.modules.pop(APP + ".models", None)


def _counts():
    counts = {}
    for table in connection.introspection.table_names():
        if table.startswith(PREFIX):
            with connection.cursor() as cursor:
                cursor.execute("SELECT COUNT(*) FROM %s" % connection.ops.quote_name(table))
                counts[table] = cursor.fetchone()[0]
    return counts


def test_django_migrations_applied_by_ormlette_give_djangos_schema(projects):
    django_project, ours = projects
    copied = set()
    for number, (description, source) in enumerate(steps(), start=1):
        django_project.write_models(source)
        django_project.call((["makemigrations", APP], {"interactive": False, "verbosity": 0}),
                            (["migrate", APP], {"verbosity": 0}))
        for name in django_project.migration_files():
            if name not in copied:
                text = (django_project.app_dir / "migrations" / (name + ".py")).read_text()
                (ours / APP / "migrations" / (name + ".py")).write_text(text.replace("django", "ormlette"))
                copied.add(name)
        executor = _executor()
        new = [n for n in django_project.migration_files() if (APP, n) not in executor.loader.applied_migrations]
        django_ops = [op for name in new for op in executor.loader.graph.nodes[(APP, name)].operations]
        ours_ops = _autodetected(source, executor)
        assert sorted(map(repr, map(_normal, ours_ops))) == sorted(map(repr, map(_normal, django_ops))), \
            "step %d (%s): makemigrations differs" % (number, description)
        if number > 1:
            _add_rows(executor.loader.project_state(nodes=sorted(executor.loader.applied_migrations)))
        before = _counts()
        executor.migrate(executor.leaf_targets())
        after = _counts()
        kept = {t: n for t, n in before.items() if t in after}
        assert {t: after[t] for t in kept} == kept, "step %d (%s) lost rows" % (number, description)
        ours_schema = schema_of(backends.TEST_DB, PREFIX)
        theirs = schema_of(backends.REFERENCE_DB, PREFIX)
        assert sorted(ours_schema) == sorted(theirs), "step %d (%s)" % (number, description)
        for table, parts in theirs.items():
            for part, value in parts.items():
                assert ours_schema[table][part] == value, "step %d (%s): %s %s" % (number, description, table, part)
    assert len(copied) >= 25
    executor = _executor()
    executor.migrate([(APP, None)])
    assert tables_of(backends.TEST_DB, PREFIX) == []
    assert executor.recorder.applied_migrations() == {}
