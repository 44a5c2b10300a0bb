"""A registry of declared models (no INSTALLED_APPS): lookups by label and pending string references."""
from collections import defaultdict

_models = {}
_pending = defaultdict(list)


def register_model(model):
    """Record a concrete or abstract model class under its label."""
    opts = model._meta
    key = (opts.app_label, opts.model_name)
    _models[key] = model
    for callback in _pending.pop(key, []):
        callback(model)
    _pending_by_name = _pending.pop((None, opts.model_name), [])
    for callback in _pending_by_name:
        callback(model)


def all_models():
    """Every registered model class."""
    return list(_models.values())


def get_model(app_label, model_name=None):
    """Find a model by ``"app.Model"`` or by (app_label, model_name)."""
    if model_name is None:
        app_label, model_name = app_label.split(".")
    try:
        return _models[(app_label, model_name.lower())]
    except KeyError:
        raise LookupError("No installed model '%s.%s'." % (app_label, model_name)) from None


def lazy_model_operation(callback, app_label, model_name):
    """Call ``callback(model)`` now if the model exists, or once it is declared."""
    key = (app_label, model_name.lower())
    model = _models.get(key)
    if model is not None:
        callback(model)
        return
    _pending[key].append(callback)


def pending_references():
    """Model names still referenced but not declared."""
    return sorted("%s.%s" % key for key, callbacks in _pending.items() if callbacks)


def unregister(model):
    """Forget a model (tests that redeclare models)."""
    _models.pop((model._meta.app_label, model._meta.model_name), None)


class Apps:
    """Minimal ``apps`` object for code that calls ``apps.get_model``."""

    def get_model(self, app_label, model_name=None, require_ready=True):
        """Find a model by label."""
        return get_model(app_label, model_name)

    def get_models(self, include_auto_created=False):
        """All models."""
        return [m for m in all_models() if not m._meta.abstract]


apps = Apps()
