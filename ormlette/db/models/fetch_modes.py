"""Fetch modes (Django 6.1): what a lazy load of a relation or a deferred field does.

``FETCH_ONE`` (the default) fetches for the one instance; ``FETCH_PEERS`` fetches for every live
instance loaded by the same query (its *peers*) in one query; ``RAISE`` raises ``FieldFetchBlocked``.
A queryset's mode (``QuerySet.fetch_mode()``, else ``settings.DEFAULT_FETCH_MODE``) is stored on the
instances it builds (``_state.fetch_mode``, ``_state.peers``) and copied to the objects fetched from them.

A *fetcher* is the descriptor doing the lazy load: it has ``fetch_one(instance)``,
``fetch_many(instances)``, ``is_cached(instance)`` and ``blocked_message(instance)``.
"""
import weakref

from ormlette.core.exceptions import FieldFetchBlocked

__all__ = ["FetchMode", "FETCH_ONE", "FETCH_PEERS", "RAISE", "FETCH_RAISE", "FieldFetchBlocked", "default_fetch_mode", "adopt"]


class FetchMode:
    """A fetch mode: one shared instance per mode (pickled by name)."""

    __slots__ = ()
    name = None
    track_peers = False

    def fetch(self, fetcher, instance):
        """Load the missing value of ``fetcher`` on ``instance``."""
        raise NotImplementedError

    def __reduce__(self):
        return self.name

    def __repr__(self):
        return "<FetchMode %s>" % self.name


class FetchOne(FetchMode):
    """Fetch the missing value for this instance only."""

    __slots__ = ()
    name = "FETCH_ONE"

    def fetch(self, fetcher, instance):
        """One query for ``instance``."""
        fetcher.fetch_one(instance)


class FetchPeers(FetchMode):
    """Fetch the missing value for the instance and all its live peers in one query."""

    __slots__ = ()
    name = "FETCH_PEERS"
    track_peers = True

    def fetch(self, fetcher, instance):
        """One query for every peer still missing the value (or for ``instance`` alone)."""
        peers = [peer for peer in live_peers(instance) if not fetcher.is_cached(peer)]
        if len(peers) > 1 and instance in peers:
            fetcher.fetch_many(peers)
        else:
            fetcher.fetch_one(instance)


class Raise(FetchMode):
    """Block the fetch: raise ``FieldFetchBlocked``."""

    __slots__ = ()
    name = "RAISE"

    def fetch(self, fetcher, instance):
        """Raise, naming the model, the field and the fix."""
        raise FieldFetchBlocked(fetcher.blocked_message(instance))


FETCH_ONE = FetchOne()
FETCH_PEERS = FetchPeers()
RAISE = Raise()
FETCH_RAISE = RAISE  # the name Django 6.1's final release gives RAISE
_BY_NAME = {mode.name: mode for mode in (FETCH_ONE, FETCH_PEERS, RAISE)}
_BY_NAME["FETCH_RAISE"] = RAISE


# Set by ormlette.nplusone while a detector runs: listener(kind, instance, name) before each lazy load
# ("forward", "reverse_one", "deferred", "many"); None costs the lazy-load paths one module lookup.
listener = None
# Set by ormlette.nplusone too: evaluated(queryset) after a queryset fills its result cache.
evaluated = None


def resolve(mode):
    """A FetchMode from a mode or its name (``"FETCH_PEERS"``); a clear error for anything else."""
    if isinstance(mode, FetchMode):
        return mode
    if isinstance(mode, str) and mode.upper() in _BY_NAME:
        return _BY_NAME[mode.upper()]
    raise TypeError("Expected a fetch mode (FETCH_ONE, FETCH_PEERS or RAISE), got %r." % (mode,))


def default_fetch_mode():
    """The process default (``settings.DEFAULT_FETCH_MODE``), or None for FETCH_ONE."""
    from ormlette.conf import settings

    mode = getattr(settings, "DEFAULT_FETCH_MODE", None)
    return None if mode is None else resolve(mode)


def live_peers(instance):
    """The instances loaded with ``instance`` that are still alive (``instance`` alone if none)."""
    refs = instance._state.peers
    if not refs:
        return [instance]
    return [peer for peer in (ref() for ref in refs) if peer is not None]


def adopt(objs, mode):
    """Give freshly loaded ``objs`` (and the objects select_related built with them) ``mode``.

    Objects that already have a mode of their own (a parent attached as a known related object) keep it.
    """
    fresh = [obj for obj in objs if "fetch_mode" not in obj._state.__dict__]
    if not fresh:
        return
    for obj in fresh:
        obj._state.fetch_mode = mode
    if mode.track_peers and len(fresh) > 1:
        refs = tuple(weakref.ref(obj) for obj in fresh)
        for obj in fresh:
            obj._state.peers = refs
    _adopt_cached(fresh, mode)


def _adopt_cached(objs, mode):
    """The related objects cached on ``objs`` by select_related, grouped by relation, as peers."""
    groups = {}
    for obj in objs:
        cache = obj._state.__dict__.get("fields_cache")
        if cache:
            for name, related in cache.items():
                if related is not None and hasattr(related, "_state"):
                    groups.setdefault(name, {})[id(related)] = related
    for related in groups.values():
        adopt(list(related.values()), mode)


def adopt_children(parents, children):
    """Give objects fetched for ``parents`` (prefetch, a lazy load) the parents' mode."""
    if parents and children:
        mode = parents[0]._state.fetch_mode
        if mode is not FETCH_ONE:
            adopt([child for child in children if hasattr(child, "_meta")], mode)  # not values() rows
