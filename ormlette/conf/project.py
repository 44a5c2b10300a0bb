"""Project configuration for the CLI and the test tools: ``[tool.ormlette]`` in the nearest pyproject.toml.

Found upward from the working directory: ``models = ["shop.models", ...]``, ``database = "URL"``
or ``databases = {default = "URL", ...}``, ``migration_modules = {app = "module"}``; its folder
goes on ``sys.path``. ``ORMLETTE_SETTINGS_MODULE`` names a settings module instead (``DATABASES``,
``MODELS``, ``MIGRATION_MODULES``); ``DATABASE_URL`` or SQLite is the database otherwise.
"""
import importlib
import os
import pathlib
import sys

try:
    import tomllib
except ImportError:  # pragma: no cover - Python 3.10
    tomllib = None


class Project:
    """What a project declares: its models modules, databases and migration modules."""

    def __init__(self, root=None, models=(), databases=None, migration_modules=None, settings=None):
        self.root = root
        self.models = list(models)
        self.databases = databases
        self.migration_modules = dict(migration_modules or {})
        self.settings = dict(settings or {})


def find_pyproject(start=None):
    """The nearest pyproject.toml upward from ``start`` (the working directory) with a [tool.ormlette] table."""
    here = pathlib.Path(start or os.getcwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file() and _table(candidate) is not None:
            return candidate
    return None


def _table(path):
    if tomllib is None:
        raise RuntimeError("Reading pyproject.toml needs Python 3.11+ (tomllib).")
    with open(path, "rb") as handle:
        return tomllib.load(handle).get("tool", {}).get("ormlette")


def _databases(value):
    from ormlette.db.urls import parse_database_url

    if value is None:
        return None
    if isinstance(value, str):
        return {"default": parse_database_url(value)}
    return {alias: parse_database_url(url) if isinstance(url, str) else url for alias, url in value.items()}


def load_project(start=None):
    """The Project from ORMLETTE_SETTINGS_MODULE, else from the nearest pyproject.toml, else an empty one."""
    module_name = os.environ.get("ORMLETTE_SETTINGS_MODULE")
    if module_name:
        module = importlib.import_module(module_name)
        settings = {k: getattr(module, k) for k in dir(module) if k.isupper()}
        return Project(None, settings.pop("MODELS", ()), settings.pop("DATABASES", None),
                       settings.pop("MIGRATION_MODULES", None), settings)
    path = find_pyproject(start)
    if path is None:
        return Project()
    table = _table(path)
    root = str(path.parent)
    if root not in sys.path:
        sys.path.insert(0, root)
    databases = _databases(table.get("databases", table.get("database")))
    return Project(root, table.get("models", ()), databases, table.get("migration_modules"))


def setup_project(project, database=None):
    """Configure the settings from a Project (``database``: a URL overrides the default alias) and import its models."""
    import ormlette
    from ormlette.db.urls import parse_database_url

    databases = dict(project.databases) if project.databases else None
    if database and "://" in database:
        databases = dict(databases or {})
        databases["default"] = parse_database_url(database)
    options = dict(project.settings)
    if databases is not None:
        options["DATABASES"] = databases
    ormlette.setup(**options)
    for name in project.models:
        importlib.import_module(name)
    return project


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
