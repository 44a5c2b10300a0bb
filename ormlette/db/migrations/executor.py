"""Plans and runs migrations: each atomic where DDL is transactional, one statement at a time elsewhere."""
import time

from ormlette.db.migrations.editor import MigrationSchemaEditor
from ormlette.db.migrations.exceptions import InvalidMigrationPlan, MigrationError
from ormlette.db.migrations.loader import MigrationLoader
from ormlette.db.migrations.recorder import MigrationRecorder


class OperationFailed(MigrationError):
    """An operation of a migration failed; names the migration, the operation and the statement."""

    def __init__(self, migration, position, operation, statement, error, committed):
        self.migration = migration
        self.position = position
        self.operation = operation
        self.statement = statement
        self.error = error
        kept = " Statements before it stay applied (this database cannot roll back DDL)." if committed else \
            " The migration was rolled back."
        super().__init__("Migration %s failed at operation %d (%s)%s: %s.%s" % (
            migration, position, operation.describe(), " running %r" % statement if statement else "", error, kept))


class MigrationExecutor:
    """Runs migration plans against one connection and records them."""

    def __init__(self, connection, apps, migration_modules=None, progress_callback=None):
        self.connection = connection
        self.loader = MigrationLoader(connection, apps, migration_modules)
        self.recorder = MigrationRecorder(connection)
        self.progress_callback = progress_callback

    def _progress(self, action, migration=None, fake=False):
        if self.progress_callback is not None:
            self.progress_callback(action, migration, fake)

    def migration_plan(self, targets, clean_start=False):
        """[(migration, backwards)] reaching every (app_label, name or None = zero) target."""
        plan = []
        applied = {} if clean_start else dict(self.loader.applied_migrations)
        graph = self.loader.graph
        for target in targets:
            if target[1] is None:
                for root in graph.root_nodes(target[0]):
                    for key in graph.backwards_plan(root):
                        if key in applied and key[0] == target[0]:
                            plan.append((graph.nodes[key], True))
                            applied.pop(key)
            elif target in applied:
                children = sorted(c for c in graph.children[target] if c[0] == target[0])
                for child in children:
                    for key in graph.backwards_plan(child):
                        if key in applied:
                            plan.append((graph.nodes[key], True))
                            applied.pop(key)
            else:
                for key in graph.forwards_plan(target):
                    if key not in applied:
                        plan.append((graph.nodes[key], False))
                        applied[key] = True
        return plan

    def leaf_targets(self, app_labels=None):
        """The leaf migration of every app (or of the given apps)."""
        return [key for key in self.loader.graph.leaf_nodes()
                if app_labels is None or key[0] in app_labels]

    def migrate(self, targets, plan=None, fake=False, fake_initial=False):
        """Run the plan; return the ProjectState of the files (after the plan)."""
        if plan is None:
            plan = self.migration_plan(targets)
        directions = {backwards for _, backwards in plan}
        if len(directions) > 1:
            raise InvalidMigrationPlan("Migration plans with both forwards and backwards migrations are not supported.")
        if plan and not plan[0][1]:
            self.recorder.ensure_schema()
        for migration, backwards in plan:
            key = (migration.app_label, migration.name)
            if backwards:
                state = self.loader.graph.make_state(nodes=[key], at_end=False)
                self.unapply_migration(state, migration, fake=fake)
            else:
                state = self.loader.graph.make_state(nodes=[key], at_end=False)
                self.apply_migration(state, migration, fake=fake, fake_initial=fake_initial)
        return self.loader.project_state()

    def apply_migration(self, state, migration, fake=False, fake_initial=False):
        """Apply one migration (or only record it: fake, or fake-initial when its tables exist)."""
        self._progress("apply_start", migration, fake)
        if not fake and fake_initial and self.detect_soft_applied(state, migration):
            fake = True
        if not fake:
            self._run(migration, lambda editor, on_op: migration.apply(state, editor, on_op),
                      lambda: self.record(migration, applied=True))
        else:
            self.record(migration, applied=True)
        self._progress("apply_success", migration, fake)
        return state

    def unapply_migration(self, state, migration, fake=False):
        """Reverse one migration (or only forget it)."""
        self._progress("unapply_start", migration, fake)
        if not fake:
            self._run(migration, lambda editor, on_op: migration.unapply(state, editor, on_op),
                      lambda: self.record(migration, applied=False))
        else:
            self.record(migration, applied=False)
        self._progress("unapply_success", migration, fake)
        return state

    def record(self, migration, applied):
        """Record (or forget) a migration and the ones it replaces."""
        names = [tuple(r) for r in migration.replaces] or [(migration.app_label, migration.name)]
        for app_label, name in names:
            if applied:
                self.recorder.record_applied(app_label, name)
            else:
                self.recorder.record_unapplied(app_label, name)

    def _run(self, migration, body, record):
        current = {"position": 0, "operation": None}

        def on_operation(operation):
            current["position"] += 1
            current["operation"] = operation
            current["statements"] = len(editor.executed)

        editor = MigrationSchemaEditor(self.connection, atomic=migration.atomic)
        self.connection.disable_constraint_checking()
        try:
            try:
                with editor:
                    body(editor, on_operation)
                    record()
            except MigrationError:
                raise
            except Exception as exc:
                if current["operation"] is None:
                    raise
                failed = editor.executed[-1] if len(editor.executed) > current.get("statements", 0) else None
                raise OperationFailed(migration, current["position"], current["operation"], failed, exc,
                                      committed=not editor.atomic_migration) from exc
        finally:
            self.connection.enable_constraint_checking()

    def detect_soft_applied(self, state, migration):
        """Whether an initial migration's tables (and added columns) already exist (``--fake-initial``)."""
        from ormlette.db.migrations.operations import AddField, CreateModel

        creates = [op for op in migration.operations if isinstance(op, (CreateModel, AddField))]
        if not (migration.initial is True or (migration.initial is None and creates and all(
                isinstance(op, CreateModel) for op in creates))):
            return False
        after = migration.mutate_state(state)
        tables = set(self.connection.introspection.table_names())
        found = False
        for operation in creates:
            model = after.apps.get_model(migration.app_label, getattr(operation, "model_name", None) or operation.name)
            if not model._meta.managed or model._meta.proxy:
                continue
            if model._meta.db_table not in tables:
                return False
            if isinstance(operation, AddField):
                columns = {c.name for c in self.connection.introspection.get_table_description(None,
                                                                                             model._meta.db_table)}
                if model._meta.get_field(operation.name).column not in columns:
                    return False
            found = True
        return found

    def collect_sql(self, plan):
        """The SQL a plan would run, without a database round trip (``sqlmigrate``)."""
        statements = []
        for migration, backwards in plan:
            editor = MigrationSchemaEditor(self.connection, collect_sql=True, atomic=migration.atomic)
            key = (migration.app_label, migration.name)
            with editor:
                if backwards:
                    migration.unapply(self.loader.graph.make_state(nodes=[key], at_end=False), editor)
                else:
                    migration.apply(self.loader.graph.make_state(nodes=[key], at_end=False), editor)
            statements.extend(editor.collected_sql)
        return statements


def timed(function):
    """(result, seconds) of a call."""
    start = time.monotonic()
    result = function()
    return result, time.monotonic() - start
