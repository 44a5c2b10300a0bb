"""Small helpers under the names Django's ``db.models.utils`` gives them."""


def make_model_tuple(model):
    """(app_label, model_name) for a model class or an ``"app_label.ModelName"`` string."""
    try:
        if isinstance(model, tuple):
            return model
        if isinstance(model, str):
            app_label, model_name = model.split(".")
            return app_label, model_name.lower()
        return model._meta.app_label, model._meta.model_name
    except (ValueError, AttributeError):
        raise ValueError("Invalid model reference '%s'. String model references must be of the form "
                         "'app_label.ModelName'." % (model,)) from None


def resolve_callables(mapping):
    """(key, value) pairs of ``mapping`` with callable values called."""
    for key, value in mapping.items():
        yield key, value() if callable(value) else value


def create_namedtuple_class(*names):
    """The cached, picklable namedtuple class ``Row`` with these fields (values_list(named=True))."""
    from ormlette.db.models.iterables import create_namedtuple_class as create

    return create(*names)


class AltersData:
    """Marks the methods a subclass overrides as altering data when the base's methods are marked."""

    def __init_subclass__(cls, **kwargs):
        for name, method in list(vars(cls).items()):
            if not callable(method) or hasattr(method, "alters_data"):
                continue
            for base in cls.__mro__[1:]:
                base_method = base.__dict__.get(name)
                if base_method is not None:
                    if getattr(base_method, "alters_data", False):
                        method.alters_data = True
                    break
        super().__init_subclass__(**kwargs)
