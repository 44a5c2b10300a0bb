"""The Operation base class: a state change plus the DDL forwards and backwards."""
from ormlette.utils.deconstruct import Deconstructible


class Operation(Deconstructible):
    """One step of a migration (Django's operation API: state_forwards, database_forwards/backwards)."""

    reversible = True
    reduces_to_sql = True
    atomic = False
    elidable = False
    category = None

    def deconstruct(self):
        """(class name, args, kwargs) as written in a migration file."""
        args, kwargs = self.constructor_kwargs()
        return type(self).__name__, list(args), kwargs

    def state_forwards(self, app_label, state):
        """Apply the change to a ProjectState."""
        raise NotImplementedError("%s must provide state_forwards()" % type(self).__name__)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        """Change the database schema forwards."""
        raise NotImplementedError("%s must provide database_forwards()" % type(self).__name__)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        """Change the database schema backwards."""
        raise NotImplementedError("%s must provide database_backwards()" % type(self).__name__)

    def describe(self):
        """A one-line human description."""
        return "%s: %s" % (type(self).__name__, self.constructor_kwargs()[1])

    @property
    def migration_name_fragment(self):
        """A name fragment for an auto-named migration, or None."""
        return None

    def references_model(self, name, app_label):
        """Whether the operation may touch the model (conservative: yes)."""
        return True

    def allow_migrate_model(self, connection_alias, model):
        """Routers' allow_migrate for a model (unmanaged, proxy and swapped models are never migrated)."""
        from ormlette.db import router

        opts = model._meta
        if not opts.managed or opts.proxy:
            return False
        return router.allow_migrate_model(connection_alias, model)

    def models_to_migrate(self, app_label, model_name, schema_editor, from_state, to_state):
        """(from model, to model) of ``model_name`` when the routers let it migrate on the connection, else None."""
        to_model = to_state.apps.get_model(app_label, model_name)
        if not self.allow_migrate_model(schema_editor.connection.alias, to_model):
            return None
        return from_state.apps.get_model(app_label, model_name), to_model

    def __repr__(self):
        args, kwargs = self.constructor_kwargs()
        parts = [repr(a) for a in args] + ["%s=%r" % item for item in kwargs.items()]
        return "<%s %s>" % (type(self).__name__, ", ".join(parts))

    def __eq__(self, other):
        return type(self) is type(other) and self.deconstruct() == other.deconstruct()

    __hash__ = object.__hash__
