"""Async twins (``aget``, ``acreate``, ``aadd``, ...): coroutines that run the sync method through the bridge."""
from ormlette.db.async_bridge import run_sync

# The related managers' write methods that get twins (Django's acreate, aadd, aset, ...).
RELATED_WRITES = ("create", "get_or_create", "update_or_create", "add", "remove", "clear", "set")


def add_async_twins(cls, names):
    """Give ``cls`` an ``a<name>`` coroutine for each of its methods ``names``, running the sync method."""
    for name in names:
        if hasattr(cls, name):
            setattr(cls, "a" + name, _twin(name))


def _twin(method_name):
    async def twin(self, *args, **kwargs):
        return await run_sync(lambda: getattr(self, method_name)(*args, **kwargs), using=self.db)

    twin.__name__ = "a" + method_name
    twin.__doc__ = "Async twin of %s()." % method_name
    return twin
