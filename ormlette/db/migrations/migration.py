"""The Migration class migration files subclass (Django's format)."""
from ormlette.db.migrations.exceptions import IrreversibleError


class Migration:
    """A migration: ``dependencies``, ``operations``, ``initial``, ``replaces``, ``atomic``, ``run_before``."""

    operations = []
    dependencies = []
    run_before = []
    replaces = []
    initial = None
    atomic = True

    def __init__(self, name, app_label):
        self.name = name
        self.app_label = app_label
        self.operations = list(self.__class__.operations)
        self.dependencies = list(self.__class__.dependencies)
        self.run_before = list(self.__class__.run_before)
        self.replaces = list(self.__class__.replaces)

    def __eq__(self, other):
        return isinstance(other, Migration) and (self.name, self.app_label) == (other.name, other.app_label)

    def __hash__(self):
        return hash("%s.%s" % (self.app_label, self.name))

    def __repr__(self):
        return "<Migration %s.%s>" % (self.app_label, self.name)

    def __str__(self):
        return "%s.%s" % (self.app_label, self.name)

    def mutate_state(self, project_state, preserve=True):
        """The project state after this migration (a copy unless ``preserve`` is False)."""
        state = project_state.clone() if preserve else project_state
        for operation in self.operations:
            operation.state_forwards(self.app_label, state)
        return state

    def apply(self, project_state, schema_editor, on_operation=None):
        """Run every operation forwards; return the state after them."""
        for operation in self.operations:
            if on_operation is not None:
                on_operation(operation)
            old_state = project_state.clone()
            operation.state_forwards(self.app_label, project_state)
            if self._collected(operation, schema_editor):
                continue
            operation.database_forwards(self.app_label, schema_editor, old_state, project_state)
        return project_state

    @staticmethod
    def _collected(operation, schema_editor):
        """In sqlmigrate, write the operation's description; True when it cannot be written as SQL."""
        if not getattr(schema_editor, "collect_sql", False):
            return False
        schema_editor.collected_sql.append("--")
        if not operation.reduces_to_sql:
            schema_editor.collected_sql.append("-- MIGRATION NOW PERFORMS OPERATION THAT CANNOT BE WRITTEN AS SQL:")
        schema_editor.collected_sql.append("-- %s" % operation.describe())
        schema_editor.collected_sql.append("--")
        return not operation.reduces_to_sql

    def unapply(self, project_state, schema_editor, on_operation=None):
        """Run every operation backwards (from the state this migration leaves); return the state before it."""
        to_run = []
        new_state = project_state
        for operation in self.operations:
            if not operation.reversible:
                raise IrreversibleError("Operation %s in %s is not reversible" % (operation, self))
            new_state = new_state.clone()
            old_state = new_state.clone()
            operation.state_forwards(self.app_label, new_state)
            to_run.insert(0, (operation, old_state, new_state))
        for operation, to_state, from_state in to_run:
            if on_operation is not None:
                on_operation(operation)
            if self._collected(operation, schema_editor):
                continue
            operation.database_backwards(self.app_label, schema_editor, from_state, to_state)
        return project_state

    def suggest_name(self):
        """A name from the operations (Django's rule), or ``auto_<timestamp>``."""
        if self.initial:
            return "initial"
        fragments = [op.migration_name_fragment for op in self.operations]
        if fragments and all(fragments):
            name = "_".join(sorted(fragments)) if len(fragments) > 1 and all(
                type(op).__name__ == "CreateModel" for op in self.operations) else "_".join(fragments)
            if len(name) <= 52:
                return name
        from ormlette.utils import timezone

        return "auto_%s" % timezone.now().strftime("%Y%m%d_%H%M")


class SwappableTuple(tuple):
    """A dependency tuple that remembers its setting."""

    def __new__(cls, value, setting):
        self = tuple.__new__(cls, value)
        self.setting = setting
        return self


def swappable_dependency(value):
    """A dependency on the first migration of a swappable model's app (``"app.Model"`` -> ``("app", "__first__")``)."""
    return SwappableTuple((value.split(".", 1)[0], "__first__"), value)
