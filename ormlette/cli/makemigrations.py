"""makemigrations: new migration files from the difference between the models and the migration files."""
import os
import sys

from ormlette.conf.project import app_labels, migration_modules


def makemigrations(project, args, out=None):
    """Write (or with --check/--dry-run only report) the migrations the models need."""
    from ormlette.cli import CommandError
    from ormlette.db import connections
    from ormlette.db.migrations.autodetector import MigrationAutodetector
    from ormlette.db.migrations.loader import MigrationLoader
    from ormlette.db.migrations.migration import Migration
    from ormlette.db.migrations.questioner import InteractiveMigrationQuestioner, MigrationQuestioner, MissingDefault
    from ormlette.db.migrations.state import ProjectState
    from ormlette.db.migrations.writer import migration_source
    from ormlette.db.models.registry import all_models

    out = out or sys.stdout
    apps = app_labels(project)
    unknown = [a for a in args.app_label if a not in apps]
    if unknown:
        raise CommandError("App '%s' could not be found. Is it in [tool.ormlette] models?" % unknown[0])
    loader = MigrationLoader(None, apps, migration_modules(project))
    conflicts = loader.detect_conflicts()
    if conflicts and not args.merge:
        names = "; ".join("%s in %s" % (", ".join(leaves), app) for app, leaves in conflicts.items())
        raise CommandError("Conflicting migrations detected; multiple leaf nodes in the migration graph: (%s).\n"
                           "To fix them run 'ormlette makemigrations --merge'" % names)
    if args.merge:
        return _merge(loader, conflicts, args, out)
    selected = args.app_label or sorted(apps)
    if args.empty:
        changes = {}
        for app in selected:
            leaves = loader.graph.leaf_nodes(app)
            number = int(leaves[-1][1][:4]) + 1 if leaves else 1
            migration = Migration("%04d_%s" % (number, args.name or "auto"), app)
            migration.dependencies = leaves
            changes[app] = [migration]
    else:
        questioner = MigrationQuestioner() if args.noinput else InteractiveMigrationQuestioner()
        models = [m for m in all_models() if m._meta.app_label in apps and m.__module__ == apps[m._meta.app_label]]
        try:
            changes = MigrationAutodetector(loader.project_state(), ProjectState.from_models(models),
                                            questioner).changes(loader.graph, selected, args.name)
        except MissingDefault as exc:
            raise CommandError(str(exc))
    if not changes:
        out.write("No changes detected%s\n" % (" in app '%s'" % selected[0] if len(args.app_label) == 1 else ""))
        return 0
    if args.check:
        _report(changes, loader, out, written=False)
        return 1
    _report(changes, loader, out, written=not args.dry_run)
    if args.dry_run:
        return 0
    for app, migrations in changes.items():
        folder = _folder(loader, app)
        for migration in migrations:
            with open(os.path.join(folder, migration.name + ".py"), "w") as handle:
                handle.write(migration_source(migration))
    return 0


def _folder(loader, app):
    import importlib

    name = loader.migrations_module(app)
    try:
        module = importlib.import_module(name)
        return list(module.__path__)[0]
    except ModuleNotFoundError:
        parent = importlib.import_module(name.rpartition(".")[0])
        folder = os.path.join(list(parent.__path__)[0], name.rpartition(".")[2])
        os.makedirs(folder, exist_ok=True)
        open(os.path.join(folder, "__init__.py"), "a").close()
        return folder


def _report(changes, loader, out, written):
    for app, migrations in changes.items():
        out.write("Migrations for '%s':\n" % app)
        for migration in migrations:
            path = os.path.join(loader.migrations_module(app).replace(".", os.sep), migration.name + ".py")
            out.write("  %s\n" % path)
            for operation in migration.operations:
                out.write("    - %s\n" % operation.describe())


def _merge(loader, conflicts, args, out):
    from ormlette.db.migrations.migration import Migration
    from ormlette.db.migrations.writer import migration_source

    if not conflicts:
        out.write("No conflicts detected to merge.\n")
        return 0
    for app, leaves in conflicts.items():
        number = max(int(name[:4]) for name in leaves if name[:4].isdigit()) + 1
        migration = Migration("%04d_%s" % (number, args.name or "merge_" + "_".join(n[5:] for n in leaves)[:40]), app)
        migration.dependencies = [(app, name) for name in leaves]
        out.write("Merging %s\n" % app)
        if not args.dry_run:
            with open(os.path.join(_folder(loader, app), migration.name + ".py"), "w") as handle:
                handle.write(migration_source(migration))
        out.write("Created new merge migration %s\n" % migration.name)
    return 0
