"""Parse ``DATABASE_URL`` style strings into a DATABASES entry."""
from urllib.parse import parse_qsl, unquote, urlsplit

from ormlette.core.exceptions import ImproperlyConfigured

SCHEMES = {
    "sqlite": "ormlette.db.backends.sqlite3",
    "sqlite3": "ormlette.db.backends.sqlite3",
    "postgres": "ormlette.db.backends.postgresql",
    "postgresql": "ormlette.db.backends.postgresql",
    "pgsql": "ormlette.db.backends.postgresql",
    "mysql": "ormlette.db.backends.mysql",
    "mariadb": "ormlette.db.backends.mysql",
}


def parse_database_url(url):
    """Turn ``postgresql://user:pw@host:port/name?opt=v`` into a settings dict."""
    parts = urlsplit(url)
    scheme = parts.scheme.split("+")[0]
    if scheme not in SCHEMES:
        raise ImproperlyConfigured("Unsupported database URL scheme %r in %r." % (parts.scheme, url))
    engine = SCHEMES[scheme]
    if engine.endswith("sqlite3"):
        return {"ENGINE": engine, "NAME": _sqlite_name(url, parts), "OPTIONS": dict(parse_qsl(parts.query))}
    return {
        "ENGINE": engine,
        "NAME": unquote(parts.path.lstrip("/")),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": parts.port or "",
        "OPTIONS": dict(parse_qsl(parts.query)),
    }


def _sqlite_name(url, parts):
    rest = url.split(":", 1)[1]
    if rest in ("", "//", "///", "///:memory:", ":memory:"):
        return ":memory:"
    # sqlite:///relative.db and sqlite:////absolute.db, as SQLAlchemy spells them.
    return unquote(rest[3:] if rest.startswith("///") else parts.path)
