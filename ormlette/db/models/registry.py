"""Registries of declared models (no INSTALLED_APPS): lookups by label and pending string references.

Models go to the default registry; a model whose ``Meta.apps`` names another :class:`Registry`
(the migrations' historical models) lives only there, and its string references resolve there.
"""
from collections import defaultdict


class ModelLookups:
    """``get_model``/``get_models`` (Django's ``apps`` API) over a ``models`` mapping {(app_label, name): model}."""

    def get_model(self, app_label, model_name=None, require_ready=True):
        """Find a model by ``"app.Model"`` or by (app_label, model_name)."""
        if model_name is None:
            app_label, model_name = app_label.split(".")
        try:
            return self.models[(app_label, model_name.lower())]
        except KeyError:
            raise LookupError("No installed model '%s.%s'." % (app_label, model_name)) from None

    def get_models(self, include_auto_created=False):
        """The concrete models (auto-created many-to-many tables only when asked)."""
        return [m for m in self.models.values() if not m._meta.abstract
                and (include_auto_created or not m._meta.auto_created)]


class Registry(ModelLookups):
    """Models by (app_label, model_name), and callbacks waiting for models not declared yet."""

    def __init__(self):
        self.models = {}
        self.pending = defaultdict(list)

    def register_model(self, model):
        """Record a model class under its label and run the callbacks waiting for it."""
        opts = model._meta
        key = (opts.app_label, opts.model_name)
        self.models[key] = model
        for callback in self.pending.pop(key, []):
            callback(model)
        for callback in self.pending.pop((None, opts.model_name), []):
            callback(model)

    def all_models(self):
        """Every registered model class."""
        return list(self.models.values())

    def lazy_model_operation(self, callback, app_label, model_name):
        """Call ``callback(model)`` now if the model exists, or once it is declared."""
        key = (app_label, model_name.lower())
        model = self.models.get(key)
        if model is not None:
            callback(model)
            return
        self.pending[key].append(callback)

    def when_declared(self, model, callback):
        """Call ``callback(model)`` once this very class is the registered one for its label."""
        key = (model._meta.app_label, model._meta.model_name)
        if self.models.get(key) is model:
            callback(model)
        else:
            self.pending[key].append(lambda registered: callback(model))

    def pending_references(self):
        """Model names still referenced but not declared."""
        return sorted("%s.%s" % key for key, callbacks in self.pending.items() if callbacks)

    def unregister(self, model):
        """Forget a model (tests that redeclare models)."""
        self.models.pop((model._meta.app_label, model._meta.model_name), None)


apps = Registry()
_models = apps.models
_pending = apps.pending


def registry_of(model):
    """The registry a model belongs to (its ``Meta.apps``, else the default one)."""
    found = getattr(model._meta, "apps", None)
    return found if isinstance(found, Registry) else apps


def register_model(model):
    """Record a concrete or abstract model class in its registry."""
    registry_of(model).register_model(model)


def all_models():
    """Every model of the default registry."""
    return apps.all_models()


def get_model(app_label, model_name=None):
    """Find a model of the default registry by ``"app.Model"`` or by (app_label, model_name)."""
    return apps.get_model(app_label, model_name)


def lazy_model_operation(callback, app_label, model_name):
    """Call ``callback(model)`` once the default registry has the model."""
    apps.lazy_model_operation(callback, app_label, model_name)


def pending_references():
    """Model names the default registry still waits for."""
    return apps.pending_references()


def unregister(model):
    """Forget a model (tests that redeclare models)."""
    registry_of(model).unregister(model)


Apps = Registry
