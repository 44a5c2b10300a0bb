"""The contenders: one class per way of talking to the database, one method per workload."""


class NotAvailable(Exception):
    """This contender cannot run this workload (yet); the message says why."""


class Contender:
    """Base class: every workload method defaults to "not available"."""

    name = "?"

    def __init__(self, vendor, db, sizes):
        self.vendor = vendor
        self.db = db
        self.sizes = sizes

    def open(self):
        """Connect (called once per process)."""

    def close(self):
        """Disconnect."""

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)

        def unavailable(*args):
            raise NotAvailable("not applicable to %s" % self.name)

        return unavailable


def load(name):
    """The contender class called ``name``."""
    from importlib import import_module

    module, cls = {
        "raw": ("bench.contenders.raw", "Raw"),
        "raw_obj": ("bench.contenders.raw", "RawObjects"),
        "raw_copy": ("bench.contenders.raw", "RawCopy"),
        "ormlette": ("bench.contenders.c_ormlette", "Ormlette"),
        "django": ("bench.contenders.c_django", "Django"),
        "sqlalchemy": ("bench.contenders.c_sqlalchemy", "SQLAlchemyORM"),
        "peewee": ("bench.contenders.c_peewee", "Peewee"),
    }[name]
    return getattr(import_module(module), cls)


ALL = ("raw", "raw_obj", "raw_copy", "ormlette", "django", "sqlalchemy", "peewee")
