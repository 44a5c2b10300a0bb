"""Fresh databases ("default" and "other", as Django's runtests settings) for one app's run."""
import os
import shutil
import tempfile

ALIASES = ("default", "other")
_created = []


def _server(backend):
    from tests.backends import server_params

    return server_params(backend)


def create(backend, side):
    """Create one empty database per alias; return {alias: name or path}."""
    names = {}
    if backend == "sqlite":
        directory = tempfile.mkdtemp(prefix="djsuite-%s-" % side)
        _created.append(("dir", directory))
        return {alias: os.path.join(directory, "%s.sqlite3" % alias) for alias in ALIASES}
    from tests.backends import _ADMIN

    connect, create_db, _ = _ADMIN[backend]
    admin = connect(_server(backend))
    try:
        for alias in ALIASES:
            name = "djsuite_%s_%s_%d" % (side, alias, os.getpid())
            create_db(admin, name)
            _created.append(("db", name))
            names[alias] = name
    finally:
        admin.close()
    return names


def drop_created(backend):
    """Drop every database (or directory) this process created."""
    if not _created:
        return
    admin = None
    if backend != "sqlite":
        from tests.backends import _ADMIN

        connect, _, drop_db = _ADMIN[backend]
        admin = connect(_server(backend))
    try:
        while _created:
            kind, name = _created.pop()
            if kind == "dir":
                shutil.rmtree(name, ignore_errors=True)
            else:
                drop_db(admin, name)
    finally:
        if admin is not None:
            admin.close()


def settings_for(backend, names, ormlette):
    """The settings of Django's test_sqlite.py, with DATABASES for ``backend`` on ``names``."""
    engine_prefix = "ormlette" if ormlette else "django"
    engine = {"sqlite": "sqlite3", "postgresql": "postgresql", "mysql": "mysql"}[backend]
    databases = {}
    for alias, name in names.items():
        entry = {"ENGINE": "%s.db.backends.%s" % (engine_prefix, engine), "NAME": name}
        if backend != "sqlite":
            server = _server(backend)
            entry.update({key: server[key] for key in ("HOST", "PORT", "USER", "PASSWORD")})
        if backend == "mysql":
            entry["OPTIONS"] = {"charset": "utf8mb4"}
        if not ormlette:
            # The database above already exists: Django's test-database step reuses it (keepdb).
            entry["TEST"] = {"NAME": name}
        databases[alias] = entry
    extra = {}
    if ormlette:
        import importlib.util

        # Django finds its own catalogs next to the settings module, here ormlette.conf: point at them
        # (found without importing django, which must wait for the bridge).
        django_dir = importlib.util.find_spec("django").submodule_search_locations[0]
        extra["LOCALE_PATHS"] = [os.path.join(django_dir, "conf", "locale")]
    return {
        **extra,
        "DATABASES": databases,
        "SECRET_KEY": "django_tests_secret_key",
        "DEFAULT_AUTO_FIELD": "django.db.models.AutoField",
        "USE_TZ": False,
        "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
    }
