"""migrate, showmigrations and sqlmigrate, with manage.py's output."""
import sys
import time

from ormlette.conf.project import app_labels, migration_modules


def _executor(project, args, progress=None):
    from ormlette.db import connections
    from ormlette.db.migrations.executor import MigrationExecutor

    return MigrationExecutor(connections[args.alias], app_labels(project), migration_modules(project), progress)


def _error(message):
    from ormlette.cli import CommandError

    return CommandError(message)


def _targets(executor, args):
    loader = executor.loader
    if not args.app_label:
        return executor.leaf_targets(), "Apply all migrations: %s" % ", ".join(sorted(loader.migrated_apps))
    if args.app_label not in loader.migrated_apps:
        raise _error("App '%s' does not have migrations." % args.app_label)
    if not args.migration_name:
        return executor.leaf_targets([args.app_label]), "Apply all migrations: %s" % args.app_label
    if args.migration_name == "zero":
        return [(args.app_label, None)], "Unapply all migrations: %s" % args.app_label
    try:
        migration = loader.get_migration_by_prefix(args.app_label, args.migration_name)
    except KeyError:
        raise _error("Cannot find a migration matching '%s' from app '%s'." % (args.migration_name, args.app_label))
    return [(args.app_label, migration.name)], "Target specific migration: %s, from %s" % (
        migration.name, args.app_label)


class _Progress:
    """Prints ``  Applying app.name... OK (0.012s)`` per migration."""

    def __init__(self, out):
        self.out = out
        self.start = 0.0

    def __call__(self, action, migration, fake):
        if action.endswith("_start"):
            verb = "Applying" if action.startswith("apply") else "Unapplying"
            self.out.write("  %s %s..." % (verb, migration))
            self.out.flush()
            self.start = time.monotonic()
        else:
            self.out.write(" %s (%.3fs)\n" % ("FAKED" if fake else "OK", time.monotonic() - self.start))


def migrate(project, args, out=None):
    """Apply (or unapply) migrations; ``--check`` exits 1 when some are unapplied."""
    out = out or sys.stdout
    executor = _executor(project, args, _Progress(out))
    conflicts = executor.loader.detect_conflicts()
    if conflicts:
        names = "; ".join("%s in %s" % (", ".join(leaves), app) for app, leaves in conflicts.items())
        raise _error("Conflicting migrations detected; multiple leaf nodes in the migration graph: (%s).\n"
                     "To fix them run 'ormlette makemigrations --merge'" % names)
    executor.loader.check_consistent_history()
    targets, summary = _targets(executor, args)
    plan = executor.migration_plan(targets)
    if args.check:
        return 1 if plan else 0
    if args.plan:
        out.write("Planned operations:\n")
        if not plan:
            out.write("  No planned migration operations.\n")
        for migration, backwards in plan:
            out.write("  %s\n" % migration)
            for operation in migration.operations:
                out.write("    %s%s\n" % ("Undo " if backwards else "", operation.describe()))
        return 0
    out.write("Operations to perform:\n  %s\nRunning migrations:\n" % summary)
    if not plan:
        out.write("  No migrations to apply.\n")
        return 0
    from ormlette.db.migrations.executor import OperationFailed

    from ormlette.db.migrations.state import ProjectState

    applied = [key for key in executor.loader.applied_migrations if key in executor.loader.graph]
    before = executor.loader.project_state(nodes=sorted(applied)) if applied else ProjectState()
    _send(executor, "pre_migrate", plan, before)
    try:
        state = executor.migrate(targets, plan=plan, fake=args.fake, fake_initial=args.fake_initial)
    except OperationFailed as exc:
        out.write(" FAILED\n")
        raise _error(str(exc))
    _send(executor, "post_migrate", plan, state)
    return 0


def _send(executor, name, plan, state):
    """pre_migrate / post_migrate once per migrated app (sender: the app label; there is no AppConfig)."""
    from ormlette.db.models import signals

    signal = getattr(signals, name)
    for app_label in sorted(executor.loader.migrated_apps):
        signal.send(sender=app_label, app_label=app_label, verbosity=1, interactive=False,
                    using=executor.connection.alias, plan=plan, apps=state.apps)


def showmigrations(project, args, out=None):
    """Each app's migrations with [X] where applied."""
    out = out or sys.stdout
    executor = _executor(project, args)
    loader = executor.loader
    apps = args.app_label or sorted(app_labels(project))
    for app in apps:
        out.write("%s\n" % app)
        nodes = [key for key in _app_plan(loader, app)]
        if not nodes:
            out.write(" (no migrations)\n")
        for key in nodes:
            migration = loader.graph.nodes[key]
            title = key[1]
            if migration.replaces:
                title += " (%s squashed migrations)" % len(migration.replaces)
            out.write(" [%s] %s\n" % ("X" if key in loader.applied_migrations else " ", title))
    return 0


def _app_plan(loader, app):
    plan = []
    for leaf in loader.graph.leaf_nodes(app):
        for key in loader.graph.forwards_plan(leaf):
            if key[0] == app and key not in plan:
                plan.append(key)
    return plan


def sqlmigrate(project, args, out=None):
    """The SQL statements of one migration (forwards, or ``--backwards``), without touching the schema."""
    out = out or sys.stdout
    executor = _executor(project, args)
    loader = executor.loader
    if args.app_label not in loader.migrated_apps:
        raise _error("App '%s' does not have migrations" % args.app_label)
    try:
        migration = loader.get_migration_by_prefix(args.app_label, args.migration_name)
    except KeyError:
        raise _error("Cannot find a migration matching '%s' from app '%s'. Is it in INSTALLED_APPS?"
                     % (args.migration_name, args.app_label))
    statements = executor.collect_sql([(migration, args.backwards)])
    atomic = migration.atomic and executor.connection.features.can_rollback_ddl
    if atomic:
        out.write("BEGIN;\n")
    out.write("\n".join(statements) + "\n")
    if atomic:
        out.write("COMMIT;\n")
    return 0
