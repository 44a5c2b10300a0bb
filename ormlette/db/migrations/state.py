"""Project state: the models as the migration files describe them, and historical model classes built from it."""
import copy

from ormlette.db.models.registry import Registry

# Meta options a ModelState keeps (Django's DEFAULT_NAMES minus the registry's own ones).
STATE_OPTIONS = (
    "verbose_name", "verbose_name_plural", "db_table", "db_table_comment", "ordering", "unique_together",
    "permissions", "get_latest_by", "order_with_respect_to", "db_tablespace", "abstract", "managed", "proxy",
    "swappable", "default_permissions", "select_on_save", "default_related_name", "required_db_features",
    "required_db_vendor", "base_manager_name", "default_manager_name", "indexes", "constraints",
)


class ModelState:
    """One model as migrations know it: app label, name, unbound fields, Meta options, bases, managers."""

    def __init__(self, app_label, name, fields, options=None, bases=None, managers=None):
        self.app_label = app_label
        self.name = name
        self.fields = dict(fields)
        self.options = dict(options or {})
        self.options.setdefault("indexes", [])
        self.options.setdefault("constraints", [])
        self.bases = tuple(bases or ("ormlette.db.models.Model",))
        self.managers = list(managers or [])
        for name, field in self.fields.items():
            if getattr(field, "model", None) is not None:
                raise ValueError("ModelState.fields cannot be bound to a model - %r is." % name)

    @property
    def name_lower(self):
        """The model name in lower case (the state's key)."""
        return self.name.lower()

    def get_field(self, name):
        """A field by name (``_order`` for order_with_respect_to included)."""
        return self.fields[name]

    def get_index_by_name(self, name):
        """The index called ``name``."""
        for index in self.options["indexes"]:
            if index.name == name:
                return index
        raise ValueError("No index named %s on model %s" % (name, self.name))

    def get_constraint_by_name(self, name):
        """The constraint called ``name``."""
        for constraint in self.options["constraints"]:
            if constraint.name == name:
                return constraint
        raise ValueError("No constraint named %s on model %s" % (name, self.name))

    @classmethod
    def from_model(cls, model):
        """The state of a declared model class (fields cloned unbound)."""
        opts = model._meta
        fields = {f.name: f.clone() for f in opts.local_fields}
        fields.update({f.name: f.clone() for f in opts.local_many_to_many})
        options = {}
        for name in STATE_OPTIONS:
            if name in ("indexes", "constraints"):
                options[name] = [item.clone() for item in getattr(opts, name)]
            elif name in opts.original_attrs:
                value = opts.original_attrs[name]
                if name == "unique_together":
                    value = {tuple(t) for t in opts.unique_together}
                options[name] = value
        bases = tuple(b._meta.label_lower if hasattr(b, "_meta") and not b._meta.abstract else
                      "ormlette.db.models.Model" for b in model.__bases__ if hasattr(b, "_meta") or b is object)
        return cls(opts.app_label, opts.object_name, fields, options, bases or None)

    def clone(self):
        """An independent copy (fields and indexes cloned)."""
        return ModelState(self.app_label, self.name, {n: f.clone() for n, f in self.fields.items()},
                          {k: ([i.clone() for i in v] if k in ("indexes", "constraints") else copy.copy(v))
                           for k, v in self.options.items()}, self.bases, list(self.managers))

    def render(self, apps):
        """Build the historical model class in ``apps`` (a Registry)."""
        from ormlette.db import models

        meta = {"app_label": self.app_label, "apps": apps}
        for key, value in self.options.items():
            if key in ("indexes", "constraints"):
                value = [item.clone() for item in value]
            elif key == "unique_together":
                value = tuple(sorted(tuple(t) for t in value))
            meta[key] = value
        attrs = {name: field.clone() for name, field in self.fields.items()}
        attrs["Meta"] = type("Meta", (), meta)
        attrs["__module__"] = "__fake__"
        for name, manager in self.managers:
            attrs[name] = copy.copy(manager)
        bases = tuple(apps.get_model(b) if isinstance(b, str) and b.count(".") == 1 and
                      not b.startswith("ormlette.") else models.Model for b in self.bases)
        return type(self.name, bases, attrs)

    def __eq__(self, other):
        return isinstance(other, ModelState) and (self.app_label, self.name, self.options, self.bases) == \
            (other.app_label, other.name, other.options, other.bases) and \
            {n: f.deconstruct()[1:] for n, f in self.fields.items()} == \
            {n: f.deconstruct()[1:] for n, f in other.fields.items()}

    def __repr__(self):
        return "<ModelState: '%s.%s'>" % (self.app_label, self.name)


class ProjectState:
    """Every model's state, keyed by (app_label, model_name); ``apps`` renders them as historical models."""

    def __init__(self, models=None, real_apps=None):
        self.models = dict(models or {})
        self.real_apps = set(real_apps or ())
        self._apps = None

    def add_model(self, model_state):
        """Add or replace one model's state."""
        self.models[(model_state.app_label, model_state.name_lower)] = model_state
        self.reload()

    def remove_model(self, app_label, model_name):
        """Forget a model's state."""
        del self.models[(app_label, model_name.lower())]
        self.reload()

    def reload(self):
        """Drop the rendered models (the next ``apps`` renders them again)."""
        self._apps = None

    def clone(self):
        """An independent copy."""
        return ProjectState({key: state.clone() for key, state in self.models.items()}, self.real_apps)

    @property
    def apps(self):
        """A Registry holding a historical model class per model state (RunPython's ``apps``)."""
        if self._apps is None:
            apps = Registry()
            for state in _base_first(self.models.values()):
                state.render(apps)
            missing = apps.pending_references()
            if missing:
                raise ValueError("The migration state refers to models it does not hold: %s" % ", ".join(missing))
            self._apps = apps
        return self._apps

    @classmethod
    def from_models(cls, models):
        """The state of declared model classes (auto-created through models left out)."""
        return cls({(m._meta.app_label, m._meta.model_name): ModelState.from_model(m)
                    for m in models if not m._meta.auto_created and not m._meta.abstract})

    def __eq__(self, other):
        return isinstance(other, ProjectState) and self.models == other.models


def _base_first(states):
    states = list(states)
    order = []
    names = {"%s.%s" % (s.app_label, s.name_lower): s for s in states}
    seen = set()

    def visit(state):
        key = "%s.%s" % (state.app_label, state.name_lower)
        if key in seen:
            return
        seen.add(key)
        for base in state.bases:
            if isinstance(base, str) and base in names:
                visit(names[base])
        order.append(state)

    for state in states:
        visit(state)
    return order
