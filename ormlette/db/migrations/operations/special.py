"""Operations with user code: RunSQL, RunPython, SeparateDatabaseAndState."""
from ormlette.db.migrations.operations.base import Operation


class SeparateDatabaseAndState(Operation):
    """Database operations and state operations kept apart."""

    def __init__(self, database_operations=None, state_operations=None):
        self.database_operations = list(database_operations or [])
        self.state_operations = list(state_operations or [])

    def state_forwards(self, app_label, state):
        for operation in self.state_operations:
            operation.state_forwards(app_label, state)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        for operation in self.database_operations:
            to_state = from_state.clone()
            operation.state_forwards(app_label, to_state)
            operation.database_forwards(app_label, schema_editor, from_state, to_state)
            from_state = to_state

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        states = [to_state]
        for operation in self.database_operations[:-1]:
            state = states[-1].clone()
            operation.state_forwards(app_label, state)
            states.append(state)
        for operation, state in zip(reversed(self.database_operations), reversed(states)):
            after = state.clone()
            operation.state_forwards(app_label, after)
            operation.database_backwards(app_label, schema_editor, after, state)

    def describe(self):
        return "Custom state/database change combination"


class RunSQL(Operation):
    """Raw SQL forwards (and ``reverse_sql`` backwards); ``state_operations`` say what it changes."""

    noop = ""

    def __init__(self, sql, reverse_sql=None, state_operations=None, hints=None, elidable=False):
        self.sql = sql
        self.reverse_sql = reverse_sql
        self.state_operations = list(state_operations or [])
        self.hints = hints or {}
        self.elidable = elidable

    @property
    def reversible(self):
        return self.reverse_sql is not None

    def state_forwards(self, app_label, state):
        for operation in self.state_operations:
            operation.state_forwards(app_label, state)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if self._allowed(app_label, schema_editor):
            self._run(schema_editor, self.sql)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if self.reverse_sql is None:
            from ormlette.db.migrations.exceptions import IrreversibleError

            raise IrreversibleError("You cannot reverse this operation")
        if self._allowed(app_label, schema_editor):
            self._run(schema_editor, self.reverse_sql)

    def _allowed(self, app_label, schema_editor):
        from ormlette.db import router

        return router.allow_migrate(schema_editor.connection.alias, app_label, **self.hints)

    @staticmethod
    def _run(schema_editor, sqls):
        if sqls == RunSQL.noop:
            return
        if isinstance(sqls, (list, tuple)):
            for sql in sqls:
                if isinstance(sql, (list, tuple)):
                    schema_editor.execute(sql[0], sql[1] if len(sql) > 1 else None)
                else:
                    schema_editor.execute(sql)
            return
        for statement in split_statements(sqls):
            schema_editor.execute(statement)

    def describe(self):
        return "Raw SQL operation"


def split_statements(sql):
    """Statements of a SQL script, split at semicolons outside quotes and comments."""
    statements, current, quote = [], [], None
    i = 0
    while i < len(sql):
        char = sql[i]
        if quote:
            current.append(char)
            if char == quote:
                quote = None
        elif char in ("'", '"', "`"):
            quote = char
            current.append(char)
        elif sql.startswith("--", i):
            end = sql.find("\n", i)
            i = len(sql) if end < 0 else end
            continue
        elif char == ";":
            statements.append("".join(current).strip())
            current = []
        else:
            current.append(char)
        i += 1
    statements.append("".join(current).strip())
    return [s for s in statements if s]


class RunPython(Operation):
    """A Python function ``code(apps, schema_editor)`` (and ``reverse_code``) on the historical models."""

    reduces_to_sql = False

    def __init__(self, code, reverse_code=None, atomic=None, hints=None, elidable=False):
        if not callable(code):
            raise ValueError("RunPython must be supplied with a callable")
        if reverse_code is not None and not callable(reverse_code):
            raise ValueError("RunPython must be supplied with callable arguments")
        self.code = code
        self.reverse_code = reverse_code
        self.atomic = atomic
        self.hints = hints or {}
        self.elidable = elidable

    @property
    def reversible(self):
        return self.reverse_code is not None

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        from ormlette.db import router

        schema_editor.flush_deferred()
        if router.allow_migrate(schema_editor.connection.alias, app_label, **self.hints):
            self.code(from_state.apps, schema_editor)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        from ormlette.db import router

        if self.reverse_code is None:
            from ormlette.db.migrations.exceptions import IrreversibleError

            raise IrreversibleError("You cannot reverse this operation")
        if router.allow_migrate(schema_editor.connection.alias, app_label, **self.hints):
            self.reverse_code(from_state.apps, schema_editor)

    def describe(self):
        return "Raw Python operation"

    @staticmethod
    def noop(apps, schema_editor):
        """Does nothing (a reverse_code for data migrations with nothing to undo)."""
        return None
