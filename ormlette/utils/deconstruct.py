"""Objects that remember how they were constructed, so migrations can write them back (``deconstruct()``)."""
import inspect
from typing import TYPE_CHECKING


class Deconstructible:
    """Records the constructor call; ``constructor_kwargs()`` maps it to keyword arguments."""

    if not TYPE_CHECKING:
        # Hidden from type checkers: an unannotated __new__ would hide the fields' typed __init__ overloads.
        def __new__(cls, *args, **kwargs):
            obj = super().__new__(cls)
            obj._constructor_args = (args, kwargs)
            return obj

    def constructor_kwargs(self, drop_defaults=True):
        """The recorded call as keywords, without the values equal to the parameter defaults."""
        args, kwargs = getattr(self, "_constructor_args", ((), {}))
        params = init_parameters(type(self))
        named = [p for p in params.values() if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        result = {}
        extra = []
        for position, value in enumerate(args):
            if position < len(named):
                result[named[position].name] = value
            else:
                extra.append(value)
        result.update(kwargs)
        if drop_defaults:
            for name in list(result):
                param = params.get(name)
                if param is not None and param.default is not param.empty and _same(result[name], param.default):
                    del result[name]
        return extra, result


def _same(value, default):
    try:
        return type(value) is type(default) and value == default or value is default
    except Exception:  # noqa: BLE001 - values without a usable == are kept
        return False


_PARAMS = {}


def init_parameters(cls):
    """{name: Parameter} of ``cls.__init__`` and of the ``__init__`` methods its ``**kwargs`` lead to."""
    found = _PARAMS.get(cls)
    if found is not None:
        return found
    found = {}
    for klass in cls.__mro__:
        init = klass.__dict__.get("__init__")
        if init is None:
            continue
        signature = inspect.signature(init)
        for name, param in list(signature.parameters.items())[1:]:
            if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
                continue
            found.setdefault(name, param)
        if not any(p.kind is p.VAR_KEYWORD for p in signature.parameters.values()):
            break
    _PARAMS[cls] = found
    return found


def public_path(obj_class, package, names):
    """``package.Name`` when ``package`` exports the class under its name (Django's short paths), else its module."""
    if names.get(obj_class.__name__) is obj_class:
        return "%s.%s" % (package, obj_class.__name__)
    return "%s.%s" % (obj_class.__module__, obj_class.__qualname__)
