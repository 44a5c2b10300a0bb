"""Everything ormlette learns to run repeated queries faster, behind one switch.

``ORMLETTE_FAST=0`` (or :func:`disable`) turns off every learned or shortcut path: recorded
querysets and their statements, lookup twins, the get() shortcut, recorded aggregates, the
shape-keyed statement cache, the simple-filter path cache, the kept cursor and the prefetch
shortcuts; every query then takes the general path from QuerySet to compile.
``ORMLETTE_FAST=verify`` keeps them on and checks every hit against the general path
(an AssertionError naming the shape when the SQL text or the parameters differ).
:func:`forget` is the one invalidation point.
"""
from ormlette.utils import learned
from ormlette.utils.learned import OFF, ON, VERIFY, env_mode, forget, state

__all__ = ["OFF", "ON", "VERIFY", "disable", "enable", "enabled", "forget", "mode", "verifying"]


def disable():
    """Turn every learned and shortcut path off (and forget what was learned)."""
    learned.set_mode(OFF)


def enable():
    """Turn the fast paths back on, in the environment's mode (``verify`` stays ``verify``)."""
    mode_from_env = env_mode()
    learned.set_mode(VERIFY if mode_from_env == VERIFY else ON)


def mode():
    """The current mode: ``"on"``, ``"off"`` or ``"verify"``."""
    return state.mode


def enabled():
    """Whether learned and shortcut paths may run."""
    return state.on


def verifying():
    """Whether every fast-path hit is checked against the general path."""
    return state.verify
