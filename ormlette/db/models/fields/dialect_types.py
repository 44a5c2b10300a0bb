"""SQLAlchemy's vendor type modules, imported when a column type first needs one (not at import time)."""
import importlib


def postgresql():
    """``sqlalchemy.dialects.postgresql``."""
    return importlib.import_module("sqlalchemy.dialects.postgresql")


def mysql():
    """``sqlalchemy.dialects.mysql``."""
    return importlib.import_module("sqlalchemy.dialects.mysql")
