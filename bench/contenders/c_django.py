"""Django 5.2 (the reference ORM)."""
from bench.contenders.django_style import DjangoStyle, database_settings, define_models

ENGINES = {"sqlite": "django.db.backends.sqlite3", "postgresql": "django.db.backends.postgresql",
           "mysql": "django.db.backends.mysql"}


class Django(DjangoStyle):
    """Django's ORM on its own connection."""

    name = "django"

    def open(self):
        if self.vendor == "mysql":
            from bench.config import mysql_driver

            # Django's MySQL backend imports MySQLdb (mysqlclient, its recommended driver); where
            # ormlette runs on PyMySQL, Django gets PyMySQL too.
            if mysql_driver().__name__ == "pymysql":
                import sys

                # With mysqlclient installed too, its MySQLdb.* submodules must not be mixed with PyMySQL.
                for name in [n for n in sys.modules if n == "MySQLdb" or n.startswith("MySQLdb.")]:
                    del sys.modules[name]
                mysql_driver().install_as_MySQLdb()
        import django
        from django.conf import settings

        settings.configure(
            DATABASES={"default": database_settings(self.vendor, self.db, ENGINES)}, USE_TZ=True,
            TIME_ZONE="UTC", DEFAULT_AUTO_FIELD="django.db.models.BigAutoField", DEBUG=False,
            INSTALLED_APPS=["bench"])  # an installed app: reverse relations (orders__status) resolve
        django.setup()
        from django.db import models, transaction

        self.models = models
        self.atomic = transaction.atomic
        self.m = define_models(models, "bench")

    def close(self):
        from django.db import connections

        connections.close_all()
