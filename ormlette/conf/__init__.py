"""Settings: ``settings.configure(DATABASES=..., TIME_ZONE=..., USE_TZ=...)`` or zero-config defaults."""
import os

from ormlette.core.exceptions import ImproperlyConfigured

DEFAULTS = {
    "DATABASES": None,
    "TIME_ZONE": "UTC",
    "USE_TZ": True,
    "DEBUG": False,
    "DEFAULT_AUTO_FIELD": "ormlette.db.models.BigAutoField",
    "DATABASE_ROUTERS": [],
    "DEFAULT_FETCH_MODE": None,  # FETCH_ONE; or FETCH_PEERS / RAISE (a mode or its name)
    "NPLUSONE": None,  # "warn", "raise" or "log": the N+1 detector on for the whole process
}


def default_databases():
    """The databases used when nothing is configured: ``DATABASE_URL`` or ``db.sqlite3``."""
    from ormlette.db.urls import parse_database_url

    url = os.environ.get("DATABASE_URL")
    if url:
        return {"default": parse_database_url(url)}
    return {"default": {"ENGINE": "ormlette.db.backends.sqlite3", "NAME": "db.sqlite3"}}


class Settings:
    """Process-wide settings; configured explicitly or lazily from defaults on first use."""

    def __init__(self):
        self.__dict__["_values"] = None

    @property
    def configured(self):
        """True once settings were configured (explicitly or by first use)."""
        return self._values is not None

    def configure(self, default_settings=None, **options):
        """Configure settings once, as ``django.conf.settings.configure``."""
        if self._values is not None:
            raise RuntimeError("Settings already configured.")
        self._install(default_settings, options)

    def _install(self, default_settings, options):
        values = dict(DEFAULTS)
        if default_settings is not None:
            values.update({k: getattr(default_settings, k) for k in dir(default_settings) if k.isupper()})
        for name, value in options.items():
            if not name.isupper():
                raise TypeError("Setting %r must be uppercase." % name)
            values[name] = value
        if not values.get("DATABASES"):
            values["DATABASES"] = default_databases()
        if "default" not in values["DATABASES"]:
            raise ImproperlyConfigured("settings.DATABASES is missing a 'default' entry.")
        self._forget_values()
        self.__dict__["_values"] = values
        # Mirrored as instance attributes: reading a setting (DEBUG on every statement) skips __getattr__.
        self.__dict__.update(values)

    def _reset(self):
        """Forget the configuration (used by ``ormlette.setup`` and tests)."""
        self._forget_values()
        self.__dict__["_values"] = None

    def _forget_values(self):
        for name in [name for name in self.__dict__ if name.isupper()]:
            del self.__dict__[name]

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        if self._values is None:
            self._install(None, {})
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError("Setting %r is not defined." % name) from None

    def __delattr__(self, name):
        if self._values is not None:
            self._values.pop(name, None)
        self.__dict__.pop(name, None)

    def __setattr__(self, name, value):
        if self._values is None:
            self._install(None, {})
        self._values[name] = value
        self.__dict__[name] = value


settings = Settings()
