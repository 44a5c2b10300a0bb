"""The ormlette version stamped into pickled model instances and querysets, checked on unpickling."""
import warnings

import ormlette
from ormlette.db.utils import VERSION_PICKLE_KEY


def stamp(state):
    """Record the running ormlette version in a pickled state dict."""
    state[VERSION_PICKLE_KEY] = ormlette.__version__
    return state


def check(state, what):
    """Remove the version from ``state``; warn (as Django does) when it is missing or differs."""
    pickled = state.pop(VERSION_PICKLE_KEY, None)
    if not pickled:
        warnings.warn("Pickled %s instance's ormlette version is not specified." % what, RuntimeWarning,
                      stacklevel=3)
    elif pickled != ormlette.__version__:
        warnings.warn("Pickled %s instance's ormlette version %s does not match the current version %s."
                      % (what, pickled, ormlette.__version__), RuntimeWarning, stacklevel=3)
