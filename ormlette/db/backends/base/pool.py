"""Pool settings in Django's and SQLAlchemy's words, and pool-wide invalidation after a disconnect.

A DATABASES entry can size and tune the pool with Django's settings (``CONN_MAX_AGE``,
``CONN_HEALTH_CHECKS``, ``OPTIONS["pool"]`` as Django 5.1+ takes it for psycopg_pool) or with
SQLAlchemy's ``create_engine`` names in ``OPTIONS`` (``pool_size``, ``max_overflow``,
``pool_timeout``, ``pool_recycle``, ``pool_pre_ping``); a database URL's query parameters land in
``OPTIONS`` as strings and are coerced here. The pool keys are taken off ``OPTIONS``: the driver sees
only the rest.
"""
import time

import sqlalchemy

from ormlette.core.exceptions import ImproperlyConfigured

DEFAULT_POOL_SIZE = 10
DEFAULT_MAX_OVERFLOW = 50
DEFAULT_POOL_TIMEOUT = 30.0

_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off", "")


def _as_bool(name, value):
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in _TRUE or lowered in _FALSE:
            return lowered in _TRUE
        raise ImproperlyConfigured("Database option %s=%r is not a boolean (true/false)." % (name, value))
    return bool(value)


def _as_number(kind):
    def convert(name, value):
        if isinstance(value, bool):
            raise ImproperlyConfigured("Database option %s=%r must be a number." % (name, value))
        try:
            number = kind(value)
        except (TypeError, ValueError):
            raise ImproperlyConfigured("Database option %s=%r must be a number." % (name, value)) from None
        if number < 0:
            raise ImproperlyConfigured("Database option %s=%r must not be negative." % (name, value))
        return number

    return convert


# SQLAlchemy's create_engine() pool arguments accepted in OPTIONS (and in a URL's query).
SQLALCHEMY_NAMES = {
    "pool_size": _as_number(int), "max_overflow": _as_number(int), "pool_timeout": _as_number(float),
    "pool_recycle": _as_number(int), "pool_pre_ping": _as_bool,
}
# OPTIONS["pool"] as a dict: psycopg_pool.ConnectionPool's names that map onto SQLAlchemy's pool.
DJANGO_POOL_NAMES = {
    "min_size": _as_number(int), "max_size": _as_number(int), "timeout": _as_number(float),
    "max_lifetime": _as_number(float), "check": lambda name, value: bool(value),
}
# psycopg_pool's own defaults, which Django's OPTIONS["pool"] = True uses.
DJANGO_POOL_MIN_SIZE = 4


class PoolConfig:
    """The pool part of one DATABASES entry, as SQLAlchemy ``create_engine`` keyword arguments."""

    def __init__(self, pooled=True, pool_size=DEFAULT_POOL_SIZE, max_overflow=DEFAULT_MAX_OVERFLOW,
                 pool_timeout=DEFAULT_POOL_TIMEOUT, pool_recycle=-1, pool_pre_ping=False):
        self.pooled = pooled
        self.pool_size = pool_size
        self.max_overflow = max_overflow
        self.pool_timeout = pool_timeout
        self.pool_recycle = pool_recycle
        self.pool_pre_ping = pool_pre_ping

    def engine_kwargs(self):
        """Keyword arguments for ``create_engine`` (a QueuePool, or a NullPool when pooling is off)."""
        if not self.pooled:
            return {"poolclass": sqlalchemy.pool.NullPool, "pool_pre_ping": self.pool_pre_ping}
        return {"pool_size": self.pool_size, "max_overflow": self.max_overflow, "pool_timeout": self.pool_timeout,
                "pool_recycle": self.pool_recycle, "pool_pre_ping": self.pool_pre_ping}

    def describe(self):
        """``pool_size=10, max_overflow=0, pool_timeout=30`` for error messages."""
        return "pool_size=%s, max_overflow=%s, pool_timeout=%g" % (self.pool_size, self.max_overflow, self.pool_timeout)


def split_settings(settings_dict):
    """``(settings_dict with OPTIONS minus the pool keys, PoolConfig)``; the input is not modified."""
    options = dict(settings_dict.get("OPTIONS") or {})
    config = PoolConfig()
    max_age = settings_dict.get("CONN_MAX_AGE", None)
    if max_age is not None:
        max_age = _as_number(float)("CONN_MAX_AGE", max_age)
        if max_age == 0:
            config.pooled = False
        else:
            config.pool_recycle = max(1, int(max_age))
    if settings_dict.get("CONN_HEALTH_CHECKS"):
        config.pool_pre_ping = True
    if "pool" in options:
        _apply_django_pool(config, options.pop("pool"))
    for name, convert in SQLALCHEMY_NAMES.items():
        if name in options:
            setattr(config, name, convert(name, options.pop(name)))
    if config.pooled is False and "pool_size" in (settings_dict.get("OPTIONS") or {}):
        config.pooled = True  # an explicit pool size asks for a pool whatever CONN_MAX_AGE says
    cleaned = dict(settings_dict)
    cleaned["OPTIONS"] = options
    return cleaned, config


def _apply_django_pool(config, pool):
    if isinstance(pool, str):
        pool = _as_bool("pool", pool)
    if pool is False or pool is None:
        config.pooled = False
        return
    config.pooled = True
    config.pool_size, config.max_overflow = DJANGO_POOL_MIN_SIZE, 0
    if pool is True:
        return
    if not isinstance(pool, dict):
        raise ImproperlyConfigured("OPTIONS['pool'] must be True, False or a dict, not %r." % (pool,))
    unknown = sorted(set(pool) - set(DJANGO_POOL_NAMES))
    if unknown:
        raise ImproperlyConfigured(
            "OPTIONS['pool'] got unsupported key(s) %s; supported: %s (or SQLAlchemy's %s directly in OPTIONS)."
            % (", ".join(unknown), ", ".join(sorted(DJANGO_POOL_NAMES)), ", ".join(SQLALCHEMY_NAMES)))
    values = {name: DJANGO_POOL_NAMES[name](name, value) for name, value in pool.items()}
    min_size = values.get("min_size", DJANGO_POOL_MIN_SIZE)
    max_size = values.get("max_size", min_size)
    if max_size < min_size:
        raise ImproperlyConfigured("OPTIONS['pool']: max_size (%s) is smaller than min_size (%s)." % (max_size, min_size))
    config.pool_size, config.max_overflow = min_size, max_size - min_size
    if "timeout" in values:
        config.pool_timeout = values["timeout"]
    if "max_lifetime" in values:
        config.pool_recycle = max(1, int(values["max_lifetime"]))
    if values.get("check"):
        config.pool_pre_ping = True


class PoolEpoch:
    """When a disconnect was last seen for one alias: connections opened before it are stale."""

    def __init__(self):
        self.invalidated_at = 0.0

    def invalidate(self):
        """Mark every connection opened until now as stale (they are replaced on checkout)."""
        self.invalidated_at = time.monotonic()


_EPOCHS = {}


def epoch_for(alias):
    """The PoolEpoch shared by the sync and async pools of ``alias``."""
    epoch = _EPOCHS.get(alias)
    if epoch is None:
        epoch = _EPOCHS.setdefault(alias, PoolEpoch())
    return epoch


def watch_pool(engine, alias, on_checkout=None):
    """Stamp new connections and replace the stale ones on checkout (sync or async engine's sync face)."""
    epoch = epoch_for(alias)

    def connected(dbapi_connection, record):
        record.info["ormlette_opened_at"] = time.monotonic()

    def checked_out(dbapi_connection, record, proxy):
        if record.info.get("ormlette_opened_at", 0.0) < epoch.invalidated_at:
            # SQLAlchemy reconnects this record and recycles every older one on its next checkout.
            raise sqlalchemy.exc.InvalidatePoolError("a disconnect was seen on this pool")
        if on_checkout is not None:
            on_checkout(dbapi_connection, record, proxy)

    sqlalchemy.event.listen(engine, "connect", connected)
    sqlalchemy.event.listen(engine, "checkout", checked_out)
