"""ormlette: the same code as the Django contender, on ormlette's packages."""
from bench.contenders.django_style import DjangoStyle, database_settings, define_models

ENGINES = {"sqlite": "ormlette.db.backends.sqlite3", "postgresql": "ormlette.db.backends.postgresql",
           "mysql": "ormlette.db.backends.mysql"}


class Ormlette(DjangoStyle):
    """ormlette on its own connection."""

    name = "ormlette"

    def open(self):
        import ormlette

        ormlette.setup(DATABASES={"default": database_settings(self.vendor, self.db, ENGINES)},
                       USE_TZ=True, TIME_ZONE="UTC")
        from ormlette.db import models, transaction

        self.models = models
        self.atomic = transaction.atomic
        self.m = define_models(models, "bench")

    def close(self):
        from ormlette.db import connections

        connections.close_all()
