"""Model operations: create, delete, rename, table, options, managers, unique_together, indexes, constraints."""
from ormlette.db.migrations.operations.base import Operation
from ormlette.db.migrations.state import ModelState


class ModelOperation(Operation):
    """An operation on one model, named ``name``."""

    def __init__(self, name):
        self.name = name

    @property
    def name_lower(self):
        """The model name in lower case."""
        return self.name.lower()

    def references_model(self, name, app_label):
        """Whether this is the model named ``name``."""
        return name.lower() == self.name_lower

    def _models(self, app_label, schema_editor, from_state, to_state):
        return self.models_to_migrate(app_label, self.name_lower, schema_editor, from_state, to_state)


class CreateModel(ModelOperation):
    """Create a model's table."""

    def __init__(self, name, fields, options=None, bases=None, managers=None):
        super().__init__(name)
        self.fields = list(fields)
        self.options = dict(options or {})
        self.bases = bases or ("ormlette.db.models.Model",)
        self.managers = list(managers or [])
        names = [n for n, _ in self.fields]
        if len(set(names)) != len(names):
            raise ValueError("Found duplicate value in CreateModel fields argument.")

    def state_forwards(self, app_label, state):
        bases = tuple(b if isinstance(b, str) else _base_label(b) for b in self.bases)
        state.add_model(ModelState(app_label, self.name, {n: f.clone() for n, f in self.fields},
                                   _clone_options(self.options), bases, self.managers))

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        model = to_state.apps.get_model(app_label, self.name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            schema_editor.create_model(model)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        model = from_state.apps.get_model(app_label, self.name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            schema_editor.delete_model(model)

    def describe(self):
        return "Create %smodel %s" % ("proxy " if self.options.get("proxy") else "", self.name)

    @property
    def migration_name_fragment(self):
        return self.name_lower


class DeleteModel(ModelOperation):
    """Drop a model's table."""

    def state_forwards(self, app_label, state):
        state.remove_model(app_label, self.name_lower)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        model = from_state.apps.get_model(app_label, self.name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            schema_editor.delete_model(model)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        model = to_state.apps.get_model(app_label, self.name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            schema_editor.create_model(model)

    def describe(self):
        return "Delete model %s" % self.name

    @property
    def migration_name_fragment(self):
        return "delete_%s" % self.name_lower


class RenameModel(ModelOperation):
    """Rename a model (its table follows when the table name is the default one)."""

    def __init__(self, old_name, new_name):
        self.old_name = old_name
        self.new_name = new_name
        super().__init__(old_name)

    def state_forwards(self, app_label, state):
        _rename_model_state(state, app_label, self.old_name, self.new_name)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        new_model = to_state.apps.get_model(app_label, self.new_name)
        if not self.allow_migrate_model(schema_editor.connection.alias, new_model):
            return
        old_model = from_state.apps.get_model(app_label, self.old_name)
        schema_editor.alter_db_table(new_model, old_model._meta.db_table, new_model._meta.db_table)
        _rename_m2m_tables(schema_editor, old_model, new_model)
        _follow_m2m_pointing_at(schema_editor, old_model, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        new_model = from_state.apps.get_model(app_label, self.new_name)
        old_model = to_state.apps.get_model(app_label, self.old_name)
        if self.allow_migrate_model(schema_editor.connection.alias, old_model):
            schema_editor.alter_db_table(old_model, new_model._meta.db_table, old_model._meta.db_table)
            _rename_m2m_tables(schema_editor, new_model, old_model)
            _follow_m2m_pointing_at(schema_editor, new_model, to_state)

    def references_model(self, name, app_label):
        return name.lower() in (self.old_name.lower(), self.new_name.lower())

    def describe(self):
        return "Rename model %s to %s" % (self.old_name, self.new_name)

    @property
    def migration_name_fragment(self):
        return "rename_%s_%s" % (self.old_name.lower(), self.new_name.lower())


def _rename_m2m_tables(schema_editor, old_model, new_model):
    old_fields = {f.name: f for f in old_model._meta.local_many_to_many}
    for field in new_model._meta.local_many_to_many:
        old = old_fields.get(field.name)
        if old is not None and old.remote_field.through._meta.auto_created:
            schema_editor.alter_db_table(field.remote_field.through, old.remote_field.through._meta.db_table,
                                         field.remote_field.through._meta.db_table)


def _follow_m2m_pointing_at(schema_editor, old_model, to_state):
    """Many-to-many fields of other models pointing at a renamed model: their column follows its name."""
    for rel in old_model._meta.related_objects:
        if not rel.many_to_many or rel.related_model is old_model:
            continue
        owner = rel.related_model._meta
        model = to_state.apps.get_model(owner.app_label, owner.model_name)
        schema_editor.alter_field(rel.related_model, rel.field, model._meta.get_field(rel.field.name), to_model=model)


def _rename_model_state(state, app_label, old_name, new_name):
    old_key = (app_label, old_name.lower())
    model_state = state.models.pop(old_key)
    model_state.name = new_name
    state.models[(app_label, new_name.lower())] = model_state
    old_label, new_label = "%s.%s" % old_key, "%s.%s" % (app_label, new_name.lower())
    for other in state.models.values():
        for name, field in list(other.fields.items()):
            changed = False
            _, path, args, kwargs = field.deconstruct()
            for key in ("to", "through"):
                if isinstance(kwargs.get(key), str) and kwargs[key].lower() in (old_label, old_name.lower()):
                    kwargs[key] = new_label
                    changed = True
            if changed:
                other.fields[name] = type(field)(*args, **kwargs)
    state.reload()


class AlterModelTable(ModelOperation):
    """Change Meta.db_table."""

    def __init__(self, name, table):
        self.table = table
        super().__init__(name)

    def state_forwards(self, app_label, state):
        state.models[app_label, self.name_lower].options["db_table"] = self.table
        state.reload()

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        models = self._models(app_label, schema_editor, from_state, to_state)
        if models is not None:
            old_model, new_model = models
            schema_editor.alter_db_table(new_model, old_model._meta.db_table, new_model._meta.db_table)
            _rename_m2m_tables(schema_editor, old_model, new_model)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        return self.database_forwards(app_label, schema_editor, from_state, to_state)

    def describe(self):
        return "Rename table for %s to %s" % (self.name, self.table if self.table is not None else "(default)")

    @property
    def migration_name_fragment(self):
        return "alter_%s_table" % self.name_lower


class AlterModelTableComment(ModelOperation):
    """Change Meta.db_table_comment."""

    def __init__(self, name, table_comment):
        self.table_comment = table_comment
        super().__init__(name)

    def state_forwards(self, app_label, state):
        state.models[app_label, self.name_lower].options["db_table_comment"] = self.table_comment
        state.reload()

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        models = self._models(app_label, schema_editor, from_state, to_state)
        if models is not None:
            old_model, new_model = models
            schema_editor.alter_db_table_comment(new_model, old_model._meta.db_table_comment,
                                                 new_model._meta.db_table_comment)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        return self.database_forwards(app_label, schema_editor, from_state, to_state)

    def describe(self):
        return "Alter %s table comment" % self.name


class AlterModelOptions(ModelOperation):
    """Change Meta options that need no DDL (ordering, verbose names, permissions, ...)."""

    ALTER_OPTION_KEYS = ["base_manager_name", "default_manager_name", "default_related_name", "get_latest_by",
                         "managed", "ordering", "permissions", "default_permissions", "select_on_save",
                         "verbose_name", "verbose_name_plural"]

    def __init__(self, name, options):
        self.options = options
        super().__init__(name)

    def state_forwards(self, app_label, state):
        model_state = state.models[app_label, self.name_lower]
        model_state.options.update(self.options)
        for key in self.ALTER_OPTION_KEYS:
            if key not in self.options:
                model_state.options.pop(key, None)
        state.reload()

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        pass

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass

    def describe(self):
        return "Change Meta options on %s" % self.name


class AlterModelManagers(ModelOperation):
    """Change the managers a historical model has."""

    def __init__(self, name, managers):
        self.managers = managers
        super().__init__(name)

    def state_forwards(self, app_label, state):
        state.models[app_label, self.name_lower].managers = list(self.managers)
        state.reload()

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        pass

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass

    def describe(self):
        return "Change managers on %s" % self.name


class AlterUniqueTogether(ModelOperation):
    """Change Meta.unique_together."""

    option_name = "unique_together"

    def __init__(self, name, unique_together):
        from ormlette.db.models.options import normalize_together

        if isinstance(unique_together, (set, frozenset)):
            unique_together = sorted(unique_together)
        self.unique_together = {tuple(t) for t in normalize_together(unique_together)}
        super().__init__(name)

    def state_forwards(self, app_label, state):
        state.models[app_label, self.name_lower].options[self.option_name] = self.unique_together
        state.reload()

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        models = self._models(app_label, schema_editor, from_state, to_state)
        if models is not None:
            old_model, new_model = models
            schema_editor.alter_unique_together(new_model, old_model._meta.unique_together,
                                                new_model._meta.unique_together, to_model=new_model)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        return self.database_forwards(app_label, schema_editor, from_state, to_state)

    def describe(self):
        return "Alter unique_together for %s (%s constraint(s))" % (self.name, len(self.unique_together or ()))

    @property
    def migration_name_fragment(self):
        return "alter_%s_unique_together" % self.name_lower


class AlterOrderWithRespectTo(ModelOperation):
    """Change Meta.order_with_respect_to (adds or removes the ``_order`` column)."""

    def __init__(self, name, order_with_respect_to):
        self.order_with_respect_to = order_with_respect_to
        super().__init__(name)

    def state_forwards(self, app_label, state):
        state.models[app_label, self.name_lower].options["order_with_respect_to"] = self.order_with_respect_to
        state.reload()

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        models = self._models(app_label, schema_editor, from_state, to_state)
        if models is None:
            return
        from_model, to_model = models
        had = bool(from_model._meta.order_with_respect_to)
        has = bool(to_model._meta.order_with_respect_to)
        if has and not had:
            schema_editor.add_field(to_model, to_model._meta.get_field("_order"), from_model=from_model)
        elif had and not has:
            schema_editor.remove_field(from_model, from_model._meta.get_field("_order"), to_model=to_model)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        return self.database_forwards(app_label, schema_editor, from_state, to_state)

    def describe(self):
        return "Set order_with_respect_to on %s to %s" % (self.name, self.order_with_respect_to)


class IndexOperation(Operation):
    """An operation on one of a model's indexes or constraints."""

    option_name = "indexes"

    @property
    def model_name_lower(self):
        """The model name in lower case."""
        return self.model_name.lower()

    def _items(self, state, app_label):
        return state.models[app_label, self.model_name_lower].options[self.option_name]

    def _models(self, app_label, schema_editor, from_state, to_state):
        return self.models_to_migrate(app_label, self.model_name, schema_editor, from_state, to_state)


class AddIndex(IndexOperation):
    """Add an index to Meta.indexes."""

    def __init__(self, model_name, index):
        self.model_name = model_name
        if not index.name:
            raise ValueError("Indexes passed to AddIndex operations require a name argument. %r doesn't have one."
                             % index)
        self.index = index

    def state_forwards(self, app_label, state):
        self._items(state, app_label).append(self.index.clone())
        state.reload()

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        models = self._models(app_label, schema_editor, from_state, to_state)
        if models is not None:
            schema_editor.add_index(models[1], self.index)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        models = self._models(app_label, schema_editor, from_state, to_state)
        if models is not None:
            schema_editor.remove_index(models[0], self.index)

    def describe(self):
        return "Create index %s on field(s) %s of model %s" % (self.index.name, ", ".join(self.index.fields),
                                                               self.model_name)

    @property
    def migration_name_fragment(self):
        return "%s_%s" % (self.model_name_lower, self.index.name.lower())


class RemoveIndex(IndexOperation):
    """Remove an index from Meta.indexes."""

    def __init__(self, model_name, name):
        self.model_name = model_name
        self.name = name

    def state_forwards(self, app_label, state):
        items = self._items(state, app_label)
        items[:] = [i for i in items if i.name != self.name]
        state.reload()

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        models = self._models(app_label, schema_editor, from_state, to_state)
        if models is not None:
            index = from_state.models[app_label, self.model_name_lower].get_index_by_name(self.name)
            schema_editor.remove_index(models[0], index)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        models = self._models(app_label, schema_editor, from_state, to_state)
        if models is not None:
            index = to_state.models[app_label, self.model_name_lower].get_index_by_name(self.name)
            schema_editor.add_index(models[1], index)

    def describe(self):
        return "Remove index %s from %s" % (self.name, self.model_name)

    @property
    def migration_name_fragment(self):
        return "remove_%s_%s" % (self.model_name_lower, self.name.lower())


class RenameIndex(IndexOperation):
    """Rename an index (``old_name``; ``old_fields`` for unnamed index_together entries is not supported)."""

    def __init__(self, model_name, new_name, old_name=None, old_fields=None):
        if not old_name:
            raise ValueError("RenameIndex requires old_name (indexes from index_together are not supported).")
        self.model_name = model_name
        self.new_name = new_name
        self.old_name = old_name
        self.old_fields = old_fields

    def state_forwards(self, app_label, state):
        for index in self._items(state, app_label):
            if index.name == self.old_name:
                index.name = self.new_name
        state.reload()

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        models = self._models(app_label, schema_editor, from_state, to_state)
        if models is not None:
            old = from_state.models[app_label, self.model_name_lower].get_index_by_name(self.old_name)
            new = to_state.models[app_label, self.model_name_lower].get_index_by_name(self.new_name)
            schema_editor.rename_index(models[1], old, new)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        models = self._models(app_label, schema_editor, from_state, to_state)
        if models is not None:
            old = from_state.models[app_label, self.model_name_lower].get_index_by_name(self.new_name)
            new = to_state.models[app_label, self.model_name_lower].get_index_by_name(self.old_name)
            schema_editor.rename_index(models[1], old, new)

    def describe(self):
        return "Rename index %s on %s to %s" % (self.old_name, self.model_name, self.new_name)


class AddConstraint(IndexOperation):
    """Add a constraint to Meta.constraints."""

    option_name = "constraints"

    def __init__(self, model_name, constraint):
        self.model_name = model_name
        self.constraint = constraint

    def state_forwards(self, app_label, state):
        self._items(state, app_label).append(self.constraint.clone())
        state.reload()

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        models = self._models(app_label, schema_editor, from_state, to_state)
        if models is not None:
            schema_editor.add_constraint(models[1], self.constraint, from_model=models[0])

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        models = self._models(app_label, schema_editor, from_state, to_state)
        if models is not None:
            schema_editor.remove_constraint(models[0], self.constraint, to_model=models[1])

    def describe(self):
        return "Create constraint %s on model %s" % (self.constraint.name, self.model_name)

    @property
    def migration_name_fragment(self):
        return "%s_%s" % (self.model_name_lower, self.constraint.name.lower())


class RemoveConstraint(IndexOperation):
    """Remove a constraint from Meta.constraints."""

    option_name = "constraints"

    def __init__(self, model_name, name):
        self.model_name = model_name
        self.name = name

    def state_forwards(self, app_label, state):
        items = self._items(state, app_label)
        items[:] = [c for c in items if c.name != self.name]
        state.reload()

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        models = self._models(app_label, schema_editor, from_state, to_state)
        if models is not None:
            constraint = from_state.models[app_label, self.model_name_lower].get_constraint_by_name(self.name)
            schema_editor.remove_constraint(models[0], constraint, to_model=models[1])

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        models = self._models(app_label, schema_editor, from_state, to_state)
        if models is not None:
            constraint = to_state.models[app_label, self.model_name_lower].get_constraint_by_name(self.name)
            schema_editor.add_constraint(models[1], constraint, from_model=models[0])

    def describe(self):
        return "Remove constraint %s from model %s" % (self.name, self.model_name)

    @property
    def migration_name_fragment(self):
        return "remove_%s_%s" % (self.model_name_lower, self.name.lower())


class AlterConstraint(IndexOperation):
    """Change a constraint's options that need no DDL (violation messages)."""

    option_name = "constraints"

    def __init__(self, model_name, name, constraint):
        self.model_name = model_name
        self.name = name
        self.constraint = constraint

    def state_forwards(self, app_label, state):
        items = self._items(state, app_label)
        items[:] = [self.constraint.clone() if c.name == self.name else c for c in items]
        state.reload()

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        pass

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass

    def describe(self):
        return "Alter constraint %s on %s" % (self.name, self.model_name)


def _clone_options(options):
    cloned = dict(options)
    for key in ("indexes", "constraints"):
        if key in cloned:
            cloned[key] = [item.clone() for item in cloned[key]]
    if "unique_together" in cloned:
        from ormlette.db.models.options import normalize_together

        together = cloned["unique_together"]
        together = sorted(together) if isinstance(together, (set, frozenset)) else together
        cloned["unique_together"] = {tuple(t) for t in normalize_together(together)}
    return cloned


def _base_label(base):
    if hasattr(base, "_meta") and not base._meta.abstract:
        return base._meta.label_lower
    return "ormlette.db.models.Model"
