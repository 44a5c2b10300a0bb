"""What the pytest plugin knows about the run: the project found, command-line choices, the xdist worker."""
import os

from ormlette.conf.project import load_project


class PluginState:
    """The run's configuration; ``managed`` when the plugin creates test databases and blocks access."""

    def __init__(self, config):
        self.config = config
        self.project = None
        self.managed = False

    # Read when used: while conftests load, the command line is not fully parsed yet.
    @property
    def reuse_db(self):
        """--reuse-db."""
        return self.config.getoption("ormlette_reuse_db", False)

    @property
    def create_db(self):
        """--create-db."""
        return self.config.getoption("ormlette_create_db", False)

    @property
    def nomigrations(self):
        """--nomigrations."""
        return self.config.getoption("ormlette_nomigrations", False)

    def load(self, early):
        """Find the project: a settings module or [tool.ormlette] early, DATABASE_URL alone later."""
        from ormlette.conf import settings

        option = getattr(self.config.known_args_namespace, "ormlette_settings", None)
        environ = dict(os.environ)
        if option:
            environ["ORMLETTE_SETTINGS_MODULE"] = option
        if early:
            if not environ.get("ORMLETTE_SETTINGS_MODULE") and not _has_pyproject():
                return
        elif self.project is not None or settings.configured or not environ.get("DATABASE_URL"):
            return  # a conftest configured ormlette itself: its databases are its own
        self.project = load_project(environ=environ)
        if self.project is not None:
            self.project.configure()
            self.managed = True

    def worker_suffix(self):
        """``gw0``, ``gw1``, ... under pytest-xdist; None otherwise."""
        workerinput = getattr(self.config, "workerinput", None)
        return workerinput.get("workerid") if workerinput else None


def _has_pyproject():
    from ormlette.conf.project import find_pyproject

    return find_pyproject() is not None


def state(config):
    """The PluginState of a pytest run."""
    return config.stash[STATE_KEY]


try:
    import pytest

    STATE_KEY = pytest.StashKey()
except (ImportError, AttributeError):  # pragma: no cover - pytest < 7
    STATE_KEY = None
