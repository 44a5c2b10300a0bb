"""Find and load a project's configuration (one source for the CLI, ormlette.test and the pytest plugin).

In order: ``ORMLETTE_SETTINGS_MODULE`` (a module with ``DATABASES``, ``MODELS`` and any other setting);
the nearest ``pyproject.toml`` upward from the working directory with a ``[tool.ormlette]`` table
(``models = [...]``, ``database = "URL"`` or ``databases = {alias = "URL" or {...}}``,
``migration_modules = {...}``, other UPPERCASE keys as settings), whose folder goes on ``sys.path``;
or ``DATABASE_URL`` alone.
"""
import importlib
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ormlette.core.exceptions import ImproperlyConfigured

SETTINGS_ENV = "ORMLETTE_SETTINGS_MODULE"


@dataclass
class Project:
    """What a project's configuration says: where it lives, its models modules and its settings."""

    source: str  # "settings module", "pyproject" or "DATABASE_URL"
    root: Path = None
    models: list = field(default_factory=list)
    settings: dict = field(default_factory=dict)

    def configure(self):
        """Put the project on sys.path, configure settings (unless already done) and import the models."""
        from ormlette.conf import settings

        if self.root is not None and str(self.root) not in sys.path:
            sys.path.insert(0, str(self.root))
        if not settings.configured:
            settings.configure(**self.settings)
        for module in self.models:
            importlib.import_module(module)
        return self


def find_pyproject(start=None):
    """The nearest ``pyproject.toml`` upward from ``start`` (the working directory) with [tool.ormlette]."""
    directory = Path(start or os.getcwd()).resolve()
    for folder in (directory, *directory.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            table = _read_toml(candidate).get("tool", {}).get("ormlette")
            if table is not None:
                return candidate, table
    return None


def _read_toml(path):
    try:
        import tomllib
    except ImportError:  # Python 3.10
        try:
            import tomli as tomllib
        except ImportError as exc:
            raise ImproperlyConfigured("Reading %s needs Python 3.11+ or the tomli package." % path) from exc
    with open(path, "rb") as handle:
        try:
            return tomllib.load(handle)
        except tomllib.TOMLDecodeError as exc:
            raise ImproperlyConfigured("%s is not valid TOML: %s" % (path, exc)) from exc


def load_project(start=None, environ=None):
    """The project configuration found from ``start``, or None when nothing configures one."""
    environ = os.environ if environ is None else environ
    if environ.get(SETTINGS_ENV):
        return from_settings_module(environ[SETTINGS_ENV], start)
    found = find_pyproject(start)
    if found is not None:
        return from_pyproject(*found)
    if environ.get("DATABASE_URL"):
        return Project("DATABASE_URL", settings={"DATABASES": {"default": _database(environ["DATABASE_URL"])}})
    return None


def from_settings_module(name, start=None):
    """A Project from a settings module (``DATABASES``, ``MODELS``, any other UPPERCASE setting)."""
    root = Path(start or os.getcwd()).resolve()
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    try:
        module = importlib.import_module(name)
    except ImportError as exc:
        raise ImproperlyConfigured("%s=%r cannot be imported: %s" % (SETTINGS_ENV, name, exc)) from exc
    values = {key: getattr(module, key) for key in dir(module) if key.isupper()}
    models = list(values.pop("MODELS", []))
    return Project("settings module", root=None, models=models, settings=values)


def from_pyproject(path, table):
    """A Project from a ``[tool.ormlette]`` table of ``path``."""
    root = Path(path).parent
    unknown = [key for key in table if not key.isupper()
               and key not in ("models", "database", "databases", "migration_modules")]
    if unknown:
        raise ImproperlyConfigured("%s: unknown key(s) in [tool.ormlette]: %s" % (path, ", ".join(sorted(unknown))))
    if "database" in table and "databases" in table:
        raise ImproperlyConfigured("%s: [tool.ormlette] sets both 'database' and 'databases'." % path)
    models = table.get("models", [])
    if isinstance(models, str) or not all(isinstance(m, str) for m in models):
        raise ImproperlyConfigured("%s: [tool.ormlette] models must be a list of module names." % path)
    settings = {key: value for key, value in table.items() if key.isupper()}
    if "database" in table:
        settings["DATABASES"] = {"default": _database(table["database"], root)}
    elif "databases" in table:
        settings["DATABASES"] = {alias: _database(value, root) for alias, value in table["databases"].items()}
    elif os.environ.get("DATABASE_URL"):
        settings["DATABASES"] = {"default": _database(os.environ["DATABASE_URL"])}
    if "migration_modules" in table:
        settings["MIGRATION_MODULES"] = dict(table["migration_modules"])
    return Project("pyproject", root=root, models=list(models), settings=settings)


def _database(value, root=None):
    """A DATABASES entry from a URL or a table (``url`` plus Django keys such as ``TEST``)."""
    from ormlette.db.urls import parse_database_url

    if isinstance(value, str):
        entry = parse_database_url(value)
    elif isinstance(value, dict):
        value = dict(value)
        entry = parse_database_url(value.pop("url")) if "url" in value else {}
        entry.update(value)
    else:
        raise ImproperlyConfigured("A database must be a URL or a table, not %r." % (value,))
    name = entry.get("NAME")
    if (root is not None and entry.get("ENGINE", "").endswith("sqlite3") and name and name != ":memory:"
            and not str(name).startswith("file:") and not os.path.isabs(name)):
        entry["NAME"] = str(root / name)  # relative SQLite files live beside pyproject.toml
    return entry


def migration_modules(project):
    """The project's MIGRATION_MODULES ({app_label: module}; None: the app has no migrations)."""
    return dict(project.settings.get("MIGRATION_MODULES") or {}) if project is not None else {}


def app_labels(project):
    """{app_label: models module} of the project's models modules (Meta.app_label wins over the package name)."""
    from ormlette.db.models.registry import all_models

    apps = {}
    for name in project.models:
        labels = {m._meta.app_label for m in all_models() if m.__module__ == name and not m._meta.auto_created}
        if not labels:
            labels = {name.rpartition(".")[0].rpartition(".")[2] or name}
        for label in labels:
            apps[label] = name
    return apps
