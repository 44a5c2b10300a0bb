"""Questions makemigrations asks (renames, a one-off default); ``--noinput`` takes the safe answer."""
import sys

from ormlette.db.migrations.exceptions import MigrationError


class MissingDefault(MigrationError):
    """A non-null field without a default is added (or made non-null) and no default can be asked."""


class MigrationQuestioner:
    """Non-interactive: no renames; a new non-null field without a default is an error naming it."""

    def __init__(self, defaults=None):
        self.defaults = dict(defaults or {})

    def ask_rename(self, model_name, old_name, new_name, field):
        """Was ``old_name`` renamed to ``new_name``?"""
        return self.defaults.get("ask_rename", False)

    def ask_rename_model(self, old_state, new_state):
        """Was the model renamed?"""
        return self.defaults.get("ask_rename_model", False)

    def ask_not_null_addition(self, field_name, model_name):
        """A one-off default for existing rows of a new non-null field."""
        raise MissingDefault("It is impossible to add a non-nullable field '%s' to %s without specifying a default. "
                             "Give the field a default or null=True, or run makemigrations interactively."
                             % (field_name, model_name.lower()))

    def ask_not_null_alteration(self, field_name, model_name):
        """A one-off default for rows where a field that becomes non-null is NULL (None: leave them)."""
        return None


class InteractiveMigrationQuestioner(MigrationQuestioner):
    """Asks on the terminal."""

    def __init__(self, defaults=None, prompt_input=input, out=sys.stdout):
        super().__init__(defaults)
        self.input = prompt_input
        self.out = out

    def _yes(self, question):
        while True:
            answer = self.input("%s [y/N] " % question).strip().lower()
            if answer in ("y", "yes"):
                return True
            if answer in ("", "n", "no"):
                return False

    def ask_rename(self, model_name, old_name, new_name, field):
        return self._yes("Was %s.%s renamed to %s.%s (a %s)?" % (model_name, old_name, model_name, new_name,
                                                                  type(field).__name__))

    def ask_rename_model(self, old_state, new_state):
        return self._yes("Was the model %s.%s renamed to %s?" % (old_state.app_label, old_state.name, new_state.name))

    def ask_not_null_addition(self, field_name, model_name):
        self.out.write("It is impossible to add a non-nullable field '%s' to %s without specifying a default.\n"
                       "Please enter the default value as valid Python (evaluated with datetime and timezone):\n"
                       % (field_name, model_name))
        import datetime

        from ormlette.utils import timezone

        while True:
            code = self.input(">>> ").strip()
            if code:
                return eval(code, {}, {"datetime": datetime, "timezone": timezone})  # noqa: S307 - developer input
