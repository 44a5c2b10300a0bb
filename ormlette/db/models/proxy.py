"""Proxy models (``Meta.proxy = True``): a second Python class over a concrete model's table."""
from ormlette.core.exceptions import FieldError

# Meta options a proxy (like any child of a concrete model) takes from its parent when it sets none.
INHERITED_FROM_CONCRETE_PARENT = ("ordering", "get_latest_by")


def concrete_parent(name, parents):
    """The one concrete model a proxy stands for (Django's errors for none or several)."""
    bases = [p for p in parents if hasattr(p, "_meta") and not p._meta.abstract]
    for parent in parents:
        meta = getattr(parent, "_meta", None)
        if meta is not None and meta.abstract and meta.local_fields:
            raise TypeError("Abstract base class containing model fields not permitted for proxy model '%s'."
                            % name)
    concrete = {base._meta.concrete_model for base in bases}
    if not bases:
        raise TypeError("Proxy model '%s' has no non-abstract model base class." % name)
    if len(concrete) > 1:
        raise TypeError("Proxy model '%s' has more than one non-abstract model base class." % name)
    return bases[0]


def attach_proxy(new_class, meta, parents):
    """Point the proxy's options at its concrete model: same table, primary key and fields."""
    opts = new_class._meta
    base = concrete_parent(new_class.__name__, parents)
    opts.proxy_for_model = base
    opts.concrete_model = base._meta.concrete_model
    opts.db_table = opts.concrete_model._meta.db_table
    opts.pk = opts.concrete_model._meta.pk
    opts.auto_field = opts.concrete_model._meta.auto_field
    for name in INHERITED_FROM_CONCRETE_PARENT:
        if meta is None or not hasattr(meta, name):
            setattr(opts, name, getattr(base._meta, name))


def check_no_fields(new_class):
    """A proxy declares no fields of its own."""
    opts = new_class._meta
    if opts.local_fields or opts.local_many_to_many:
        raise FieldError("Proxy model '%s' contains model fields." % new_class.__name__)
