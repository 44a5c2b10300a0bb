"""Turn nested containers into hashable equivalents."""
from collections.abc import Iterable


def make_hashable(value):
    """Return a hashable stand-in for value (dicts become sorted item tuples)."""
    if isinstance(value, dict):
        return tuple((key, make_hashable(item)) for key, item in sorted(value.items()))
    try:
        hash(value)
    except TypeError:
        if not isinstance(value, Iterable):
            raise
        return tuple(make_hashable(item) for item in value)
    # Already hashable values (str, frozenset, ...) are kept as they are.
    return value
