"""Field operations: AddField, RemoveField, AlterField, RenameField."""
from ormlette.db.migrations.operations.base import Operation
from ormlette.db.models.fields import NOT_PROVIDED


class FieldOperation(Operation):
    """An operation on the field ``name`` of the model ``model_name``."""

    def __init__(self, model_name, name, field=None):
        self.model_name = model_name
        self.name = name
        self.field = field

    @property
    def model_name_lower(self):
        """The model name in lower case."""
        return self.model_name.lower()

    @property
    def name_lower(self):
        """The field name in lower case."""
        return self.name.lower()

    def references_model(self, name, app_label):
        return name.lower() == self.model_name_lower

    def _models(self, app_label, schema_editor, from_state, to_state):
        return self.models_to_migrate(app_label, self.model_name, schema_editor, from_state, to_state)


class AddField(FieldOperation):
    """Add a field (``preserve_default=False``: the default only fills the existing rows)."""

    def __init__(self, model_name, name, field, preserve_default=True):
        self.preserve_default = preserve_default
        super().__init__(model_name, name, field)

    def state_forwards(self, app_label, state):
        field = self.field.clone()
        if not self.preserve_default:
            field.default = NOT_PROVIDED
        state.models[app_label, self.model_name_lower].fields[self.name] = field
        state.reload()

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        models = self._models(app_label, schema_editor, from_state, to_state)
        if models is None:
            return
        from_model, to_model = models
        field = to_model._meta.get_field(self.name)
        if not self.preserve_default:
            field.default = self.field.default
        try:
            schema_editor.add_field(to_model, field, from_model=from_model)
        finally:
            if not self.preserve_default:
                field.default = NOT_PROVIDED

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        models = self._models(app_label, schema_editor, from_state, to_state)
        if models is not None:
            from_model, to_model = models
            schema_editor.remove_field(from_model, from_model._meta.get_field(self.name), to_model=to_model)

    def describe(self):
        return "Add field %s to %s" % (self.name, self.model_name)

    @property
    def migration_name_fragment(self):
        return "%s_%s" % (self.model_name_lower, self.name_lower)


class RemoveField(FieldOperation):
    """Remove a field."""

    def state_forwards(self, app_label, state):
        state.models[app_label, self.model_name_lower].fields.pop(self.name)
        state.reload()

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        models = self._models(app_label, schema_editor, from_state, to_state)
        if models is not None:
            from_model, to_model = models
            schema_editor.remove_field(from_model, from_model._meta.get_field(self.name), to_model=to_model)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        models = self._models(app_label, schema_editor, from_state, to_state)
        if models is not None:
            from_model, to_model = models
            schema_editor.add_field(to_model, to_model._meta.get_field(self.name), from_model=from_model)

    def describe(self):
        return "Remove field %s from %s" % (self.name, self.model_name)

    @property
    def migration_name_fragment(self):
        return "remove_%s_%s" % (self.model_name_lower, self.name_lower)


class AlterField(FieldOperation):
    """Change a field's definition."""

    def __init__(self, model_name, name, field, preserve_default=True):
        self.preserve_default = preserve_default
        super().__init__(model_name, name, field)

    def state_forwards(self, app_label, state):
        field = self.field.clone()
        if not self.preserve_default:
            field.default = NOT_PROVIDED
        state.models[app_label, self.model_name_lower].fields[self.name] = field
        state.reload()

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        models = self._models(app_label, schema_editor, from_state, to_state)
        if models is None:
            return
        from_model, to_model = models
        to_field = to_model._meta.get_field(self.name)
        if not self.preserve_default:
            to_field.default = self.field.default
        try:
            schema_editor.alter_field(from_model, from_model._meta.get_field(self.name), to_field, to_model=to_model)
        finally:
            if not self.preserve_default:
                to_field.default = NOT_PROVIDED

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        self.database_forwards(app_label, schema_editor, from_state, to_state)

    def describe(self):
        return "Alter field %s on %s" % (self.name, self.model_name)

    @property
    def migration_name_fragment(self):
        return "alter_%s_%s" % (self.model_name_lower, self.name_lower)


class RenameField(FieldOperation):
    """Rename a field (and its column when the column follows the name)."""

    def __init__(self, model_name, old_name, new_name):
        self.old_name = old_name
        self.new_name = new_name
        super().__init__(model_name, old_name)

    def state_forwards(self, app_label, state):
        model_state = state.models[app_label, self.model_name_lower]
        model_state.fields = {self.new_name if n == self.old_name else n: f for n, f in model_state.fields.items()}
        options = model_state.options
        for key in ("unique_together",):
            if key in options:
                options[key] = {tuple(self.new_name if n == self.old_name else n for n in t) for t in options[key]}
        for index in options.get("indexes", []):
            index.fields = [("-" if f.startswith("-") else "") + (self.new_name if f.lstrip("-") == self.old_name
                                                                   else f.lstrip("-")) for f in index.fields]
        if options.get("order_with_respect_to") == self.old_name:
            options["order_with_respect_to"] = self.new_name
        state.reload()

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        models = self._models(app_label, schema_editor, from_state, to_state)
        if models is not None:
            from_model, to_model = models
            schema_editor.alter_field(from_model, from_model._meta.get_field(self.old_name),
                                      to_model._meta.get_field(self.new_name), to_model=to_model)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        models = self._models(app_label, schema_editor, from_state, to_state)
        if models is not None:
            from_model, to_model = models
            schema_editor.alter_field(from_model, from_model._meta.get_field(self.new_name),
                                      to_model._meta.get_field(self.old_name), to_model=to_model)

    def describe(self):
        return "Rename field %s on %s to %s" % (self.old_name, self.model_name, self.new_name)

    @property
    def migration_name_fragment(self):
        return "rename_%s_%s_%s" % (self.old_name.lower(), self.model_name_lower, self.new_name.lower())
