"""The fast paths: code that exists only for speed, each one a shortcut around a general path.

Every module here computes what the general code would compute, faster, for the common case it
recognises; anything it does not recognise is handed back to the general path, which stays the
reference (and is what a reader of ``query/`` sees, with a one-line hand-off at each seam).

===================  =====================================  ======================================
module               what it shortcuts                       reached from
===================  =====================================  ======================================
recipes              a repeated filter()/order_by()/slice     ``query.queryset`` (recorded querysets)
                     chain: clone a learned template query    and ``sql.compiler`` (statement reuse)
                     instead of rebuilding and recompiling
recipe_aggregates    aggregate()/count() of such a chain      ``query.queryset``
recipe_signatures    values()/values_list()/annotate()/       ``query.shape``
                     alias() calls a recipe can replay
lookup_twins         a recorded filter's new lookup, made     ``recipes``
                     without re-running its constructor
get_shortcut         ``Model.objects.get(<field>=value)``     ``manager`` and ``query.queryset``
                     with a kept statement and row layout
row_builders         per-row-layout generated hydration       ``query.iterables``
init_fields          a generated ``Model.__init__`` per       ``base``, ``options``
                     model (keyword binding in C)
bulk_values          bulk_create()'s INSERT parameter rows    ``query.bulk``
                     by a generated per-shape function
unchanged            which stock field preparations return    ``persistence``, ``lookups.in_range``,
                     a value as it is (so calls are skipped)  ``bulk_values``, ``lookup_twins``
gc_pause             pausing the cyclic GC during bulk        ``query.bulk``, ``query.queryset``,
                     allocation; promoting survivors after    ``query.prefetch``
overrides            whether a user class overrides a method  ``recipes`` (via ``query.queryset``),
                     a shortcut would skip (then: no shortcut) ``get_shortcut``
verify               verify mode's checks of every hit        ``recipes``, ``get_shortcut``,
                     against the general path                 ``recipe_aggregates``, ``sql.compiler``
===================  =====================================  ======================================

The switch: ``ORMLETTE_FAST=0`` (or :func:`disable`) turns off every learned or shortcut path:
recorded querysets and their statements, lookup twins, the get() shortcut, recorded aggregates, the
shape-keyed statement cache, the simple-filter path cache, the IN-list shortcut, the kept cursor and
the prefetch shortcuts; every query then takes the general path from QuerySet to compile. Generated
builders (row_builders, init_fields, bulk_values) and GC pauses stay on: they cache no query shape.
``ORMLETTE_FAST=verify`` keeps everything on and checks every hit against the general path (an
AssertionError naming the shape when the SQL text or the parameters differ). :func:`forget` is the
one invalidation point (its registry lives in ``ormlette.utils.learned``, so that settings and
backends can call it). This package imports only that foundation module at import time, so every
fast module can still be loaded on its own.
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
