"""The one switch and the one invalidation point for everything ormlette learns about query shapes.

This is the foundation half of ``ormlette.db.models.fast`` (the public face): the query layer
registers each learned structure's forget function here and reads ``state.on`` / ``state.verify``;
settings and backends, which sit below the query layer, call :func:`forget` when what they hold
changes the SQL. ``ORMLETTE_FAST`` in the environment sets the starting mode: ``1`` (default),
``0`` (every learned or shortcut path off) or ``verify`` (on, and every hit checked against the
general path).
"""
import os
import threading

ON, OFF, VERIFY = "on", "off", "verify"
_ENV_WORDS = {"": ON, "1": ON, "on": ON, "true": ON, "yes": ON, "0": OFF, "off": OFF, "false": OFF, "no": OFF,
              "verify": VERIFY}


def env_mode():
    """The mode ``ORMLETTE_FAST`` names (a clear error for a word it does not know)."""
    raw = os.environ.get("ORMLETTE_FAST", "1")
    mode = _ENV_WORDS.get(raw.strip().lower())
    if mode is None:
        raise ValueError("ORMLETTE_FAST must be 1, 0 or verify, not %r." % raw)
    return mode


class _State:
    """The current mode as two flags the hot paths read (``state.on``, ``state.verify``)."""

    __slots__ = ("mode", "on", "verify")

    def set(self, mode):
        if mode not in (ON, OFF, VERIFY):
            raise ValueError("fast-path mode must be %r, %r or %r, not %r." % (ON, OFF, VERIFY, mode))
        self.mode, self.on, self.verify = mode, mode != OFF, mode == VERIFY


state = _State()
state.set(env_mode())
_forgetters = []
_servers = {}  # (alias, vendor) -> the server version the learned SQL was made for
_lock = threading.Lock()


def register(forget_function):
    """Add ``forget_function(model_or_None)`` to what :func:`forget` calls; returns it (a decorator)."""
    _forgetters.append(forget_function)
    return forget_function


def forget(model=None):
    """Forget everything learned (``model=None``) or everything that may depend on ``model``."""
    with _lock:
        for forget_function in _forgetters:
            forget_function(model)


def set_mode(mode):
    """Switch to ``mode`` (on, off, verify); everything learned so far is forgotten."""
    state.set(mode)
    forget()


def note_server(alias, vendor, version):
    """Forget everything when a (re)connection of ``alias`` reaches a server of another version."""
    key = (alias, vendor)
    if _servers.get(key, version) != version:
        forget()
    _servers[key] = version
