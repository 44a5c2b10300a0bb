"""Compares the project state of the migration files with the models' state: Django's operations, in Django's order."""
from ormlette.db.migrations import operations
from ormlette.db.migrations.migration import Migration
from ormlette.db.migrations.questioner import MigrationQuestioner
from ormlette.db.models.fields import NOT_PROVIDED


def _comparable(value):
    """A value with every deconstructible object replaced by its deconstruction (expressions have no __eq__)."""
    if isinstance(value, dict):
        return {k: _comparable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_comparable(v) for v in value)
    deconstruct = getattr(value, "deconstruct", None)
    if deconstruct is not None and not isinstance(value, type) and not callable(getattr(value, "contribute_to_class",
                                                                                        None)):
        return ("<object>",) + tuple(_comparable(part) for part in deconstruct())
    if hasattr(value, "deconstruct") and hasattr(value, "contribute_to_class") and not isinstance(value, type):
        return ("<field>",) + tuple(_comparable(part) for part in value.deconstruct()[1:])
    return value


def _definition(field):
    _, path, args, kwargs = field.deconstruct()
    return path, _comparable(list(args)), _comparable(kwargs)


def _without_relation(field):
    path, args, kwargs = _definition(field)
    kwargs = {k: v for k, v in kwargs.items() if k not in ("to", "db_column")}
    return path, args, kwargs


class MigrationAutodetector:
    """Django's autodetector for one set of apps: ``changes()`` -> {app_label: [Migration]}."""

    def __init__(self, from_state, to_state, questioner=None):
        self.from_state = from_state
        self.to_state = to_state
        self.questioner = questioner or MigrationQuestioner()

    def changes(self, graph, trim_to_apps=None, migration_name=None):
        """New migrations per app, numbered after the app's leaf, depending on it."""
        ops = self._detect()
        changes = {}
        for app_label, app_ops in ops.items():
            if trim_to_apps and app_label not in trim_to_apps or not app_ops:
                continue
            leaves = graph.leaf_nodes(app_label) if graph is not None else []
            number = int(leaves[-1][1][:4]) + 1 if leaves and leaves[-1][1][:4].isdigit() else 1
            migration = Migration("auto", app_label)
            migration.operations = app_ops
            migration.dependencies = [leaf for leaf in leaves]
            migration.dependencies += sorted(self._external_dependencies(app_label, app_ops))
            migration.initial = not leaves or None
            migration.name = "%04d_%s" % (number, migration_name or migration.suggest_name())
            changes[app_label] = [migration]
        return changes

    def _external_dependencies(self, app_label, app_ops):
        found = set()
        for op in app_ops:
            fields = [f for _, f in getattr(op, "fields", [])] + ([op.field] if getattr(op, "field", None) else [])
            for field in fields:
                target = getattr(getattr(field, "remote_field", None), "model", None)
                if isinstance(target, str) and "." in target and target.split(".")[0] != app_label:
                    found.add((target.split(".")[0], "__first__"))
        return found

    # -- detection ---------------------------------------------------------------------------------------
    def _detect(self):
        self.ops = {}
        old_keys = set(self.from_state.models)
        new_keys = set(self.to_state.models)
        self.renamed_models = {}
        self._renamed_models(old_keys, new_keys)
        old_keys = {self.renamed_models.get(k, k) for k in old_keys}
        self.kept = sorted(old_keys & new_keys)
        self._deleted_models(sorted(old_keys - new_keys))
        self._created_models(sorted(new_keys - old_keys))
        for key in self.kept:
            self._model_changes(key)
        return self.ops

    def add(self, app_label, operation, first=False):
        """Queue an operation for an app."""
        queue = self.ops.setdefault(app_label, [])
        queue.insert(0, operation) if first else queue.append(operation)

    def _old(self, key):
        reverse = {new: old for old, new in self.renamed_models.items()}
        return self.from_state.models[reverse.get(key, key)]

    def _renamed_models(self, old_keys, new_keys):
        added = sorted(new_keys - old_keys)
        for removed in sorted(old_keys - new_keys):
            old = self.from_state.models[removed]
            shape = sorted((n, _without_relation(f)) for n, f in old.fields.items())
            for key in added:
                new = self.to_state.models[key]
                if key[0] != removed[0] or key in self.renamed_models.values():
                    continue
                if sorted((n, _without_relation(f)) for n, f in new.fields.items()) == shape and \
                        self.questioner.ask_rename_model(old, new):
                    self.add(key[0], operations.RenameModel(old_name=old.name, new_name=new.name))
                    self.renamed_models[removed] = key
                    break

    def _deleted_models(self, keys):
        for key in keys:
            state = self.from_state.models[key]
            for name, field in state.fields.items():
                if getattr(field, "remote_field", None) is not None and name in state.fields and \
                        _target_key(field, key[0]) in self.to_state.models and not field.many_to_many:
                    self.add(key[0], operations.RemoveField(model_name=state.name_lower, name=name))
            self.add(key[0], operations.DeleteModel(name=state.name))

    def _created_models(self, keys):
        pending = list(keys)
        done = set(self.kept)
        while pending:
            ready = [k for k in pending if all(t in done or t == k or t not in pending for t in self._fk_targets(k))]
            key = ready[0] if ready else pending[0]
            pending.remove(key)
            done.add(key)
            state = self.to_state.models[key]
            later = [] if ready else [n for n, f in state.fields.items() if _target_key(f, key[0]) in pending]
            fields = [(n, f) for n, f in state.fields.items() if n not in later]
            options = {k: v for k, v in state.options.items() if k not in ("indexes", "constraints") and v != []}
            indexes, constraints = state.options.get("indexes", []), state.options.get("constraints", [])
            if indexes:
                options["indexes"] = list(indexes)
            if constraints:
                options["constraints"] = list(constraints)
            kwargs = {"name": state.name, "fields": fields}
            if options:
                kwargs["options"] = options
            if state.bases != ("ormlette.db.models.Model",):
                kwargs["bases"] = state.bases
            self.add(key[0], operations.CreateModel(**kwargs))
            for name in later:
                self.add(key[0], operations.AddField(model_name=state.name_lower, name=name, field=state.fields[name]))

    def _fk_targets(self, key):
        state = self.to_state.models[key]
        return [t for t in (_target_key(f, key[0]) for f in state.fields.values()) if t is not None]

    def _model_changes(self, key):
        old, new = self._old(key), self.to_state.models[key]
        app = key[0]
        self._options(app, old, new)
        renamed = self._renamed_fields(app, old, new)
        self._removed_indexes_constraints(app, old, new, renamed)
        old_names = {renamed.get(n, n) for n in old.fields}
        if old.options.get("unique_together", set()) != new.options.get("unique_together", set()) and \
                old.options.get("unique_together"):
            kept = set(old.options.get("unique_together")) & set(new.options.get("unique_together") or ())
            if kept != set(old.options.get("unique_together")):
                self.add(app, operations.AlterUniqueTogether(name=new.name_lower, unique_together=kept))
        for name in old.fields:
            if renamed.get(name, name) not in new.fields:
                self.add(app, operations.RemoveField(model_name=new.name_lower, name=name))
        for name, field in new.fields.items():
            if name not in old_names:
                self._added_field(app, new, name, field)
        for name, old_field in old.fields.items():
            new_name = renamed.get(name, name)
            if new_name in new.fields and self._old_definition(old_field) != _definition(new.fields[new_name]):
                self._altered_field(app, new, new_name, old_field, new.fields[new_name])
        if set(old.options.get("unique_together") or ()) != set(new.options.get("unique_together") or ()) and \
                new.options.get("unique_together"):
            self.add(app, operations.AlterUniqueTogether(name=new.name_lower,
                                                         unique_together=set(new.options["unique_together"])))
        self._added_indexes_constraints(app, old, new)
        if old.options.get("db_table") != new.options.get("db_table"):
            self.add(app, operations.AlterModelTable(name=new.name_lower, table=new.options.get("db_table")))

    def _old_definition(self, field):
        """An old field's definition with its targets renamed as the renamed models were."""
        path, args, kwargs = _definition(field)
        labels = {"%s.%s" % old: "%s.%s" % new for old, new in self.renamed_models.items()}
        for key in ("to", "through"):
            if isinstance(kwargs.get(key), str) and kwargs[key].lower() in labels:
                kwargs[key] = labels[kwargs[key].lower()]
        return path, args, kwargs

    def _options(self, app, old, new):
        keys = operations.AlterModelOptions.ALTER_OPTION_KEYS
        old_options = {k: v for k, v in old.options.items() if k in keys}
        new_options = {k: v for k, v in new.options.items() if k in keys}
        if old_options != new_options:
            self.add(app, operations.AlterModelOptions(name=new.name_lower, options=new_options))
        if old.options.get("db_table_comment") != new.options.get("db_table_comment"):
            self.add(app, operations.AlterModelTableComment(name=new.name_lower,
                                                            table_comment=new.options.get("db_table_comment")))

    def _renamed_fields(self, app, old, new):
        renamed = {}
        removed = [n for n in old.fields if n not in new.fields]
        for name in [n for n in new.fields if n not in old.fields]:
            field = new.fields[name]
            for old_name in removed:
                old_field = old.fields[old_name]
                if old_name in renamed:
                    continue
                if _without_relation(old_field) == _without_relation(field) or \
                        _definition(old_field)[2] == {**_definition(field)[2], "db_column": old_field.column}:
                    if self.questioner.ask_rename(new.name, old_name, name, field):
                        self.add(app, operations.RenameField(model_name=new.name_lower, old_name=old_name, new_name=name))
                        renamed[old_name] = name
                        break
        return renamed

    def _added_field(self, app, state, name, field):
        preserve = True
        needs_default = not field.null and not field.many_to_many and not field.has_default() and \
            not field.has_db_default() and not (field.blank and field.empty_strings_allowed) and \
            not getattr(field, "auto_now", False) and not getattr(field, "generated", False)
        if needs_default:
            field = field.clone()
            field.default = self.questioner.ask_not_null_addition(name, state.name)
            field._constructor_args[1]["default"] = field.default
            preserve = False
        kwargs = {"model_name": state.name_lower, "name": name, "field": field}
        if not preserve:
            kwargs["preserve_default"] = False
        self.add(app, operations.AddField(**kwargs))

    def _altered_field(self, app, state, name, old_field, new_field):
        if old_field.many_to_many and new_field.many_to_many and \
                _definition(old_field)[2].get("to") == _definition(new_field)[2].get("to") and \
                {k: v for k, v in _definition(old_field)[2].items() if k != "to"} == \
                {k: v for k, v in _definition(new_field)[2].items() if k != "to"}:
            return
        if old_field.many_to_many != new_field.many_to_many:
            self.add(app, operations.RemoveField(model_name=state.name_lower, name=name))
            self._added_field(app, state, name, new_field)
            return
        kwargs = {"model_name": state.name_lower, "name": name, "field": new_field}
        if old_field.null and not new_field.null and not new_field.has_default() and not new_field.has_db_default():
            default = self.questioner.ask_not_null_alteration(name, state.name)
            if default is not None:
                new_field = new_field.clone()
                new_field.default = default
                kwargs.update(field=new_field, preserve_default=False)
        self.add(app, operations.AlterField(**kwargs))

    def _removed_indexes_constraints(self, app, old, new, renamed):
        new_indexes = {i.name: i for i in new.options.get("indexes", [])}
        for index in old.options.get("indexes", []):
            if index.name not in new_indexes or index.deconstruct() != new_indexes[index.name].deconstruct():
                self.add(app, operations.RemoveIndex(model_name=new.name_lower, name=index.name))
        new_constraints = {c.name: c for c in new.options.get("constraints", [])}
        for constraint in old.options.get("constraints", []):
            if constraint.name not in new_constraints or \
                    constraint.deconstruct() != new_constraints[constraint.name].deconstruct():
                self.add(app, operations.RemoveConstraint(model_name=new.name_lower, name=constraint.name))

    def _added_indexes_constraints(self, app, old, new):
        old_indexes = {i.name: i for i in old.options.get("indexes", [])}
        for index in new.options.get("indexes", []):
            if index.name not in old_indexes or index.deconstruct() != old_indexes[index.name].deconstruct():
                self.add(app, operations.AddIndex(model_name=new.name_lower, index=index))
        old_constraints = {c.name: c for c in old.options.get("constraints", [])}
        for constraint in new.options.get("constraints", []):
            if constraint.name not in old_constraints or \
                    constraint.deconstruct() != old_constraints[constraint.name].deconstruct():
                self.add(app, operations.AddConstraint(model_name=new.name_lower, constraint=constraint))


def _target_key(field, app_label):
    remote = getattr(field, "remote_field", None)
    if remote is None or getattr(field, "many_to_many", False):
        return None
    target = remote.model
    label = target if isinstance(target, str) else target._meta.label_lower
    if "." not in label:
        label = "%s.%s" % (app_label, label)
    app, _, name = label.partition(".")
    return app, name.lower()


__all__ = ["MigrationAutodetector", "NOT_PROVIDED"]
