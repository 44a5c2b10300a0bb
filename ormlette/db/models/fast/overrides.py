"""Whether user classes override a method the general path would call: the fast paths then step aside.

Recording, the get() shortcut and recorded aggregates replace calls to these methods; a subclass
overriding one (to validate, log or rewrite) must see every call, so its querysets are never
recorded. Checked once per class (``forget()`` checks again).
"""
from ormlette.utils import learned

QUERYSET_METHODS = (
    "__init__", "filter", "exclude", "_filter_or_exclude", "_filter_or_exclude_inplace", "get", "_chain", "_clone",
    "iterator", "_fetch_all", "__iter__", "__getitem__", "order_by", "all", "using", "values", "values_list",
    "_values", "annotate", "alias", "_annotate", "aggregate", "count",
)
MANAGER_METHODS = ("get_queryset", "get")
MODEL_METHODS = ("from_db",)
_stock = {}  # class -> whether it overrides none of the methods above


@learned.register
def _forget_classes(model):
    _stock.clear()


def stock_queryset(queryset_class, model):
    """Whether ``queryset_class`` and ``model`` override nothing the fast paths replace."""
    known = _stock.get(queryset_class)
    if known is None:
        from ormlette.db.models.query.queryset import QuerySet

        known = _stock[queryset_class] = _same_methods(queryset_class, QuerySet, QUERYSET_METHODS)
    if not known:
        return False
    known = _stock.get(model)
    if known is None:
        from ormlette.db.models.base import Model

        known = _stock[model] = _same_methods(model, Model, MODEL_METHODS)
    return known


def stock_manager(manager):
    """Whether ``manager`` (its class and the instance) overrides none of the methods the get() shortcut skips."""
    manager_class = type(manager)
    known = _stock.get(manager_class)
    if known is None:
        from ormlette.db.models.manager import BaseManager

        known = _stock[manager_class] = _same_methods(manager_class, BaseManager, MANAGER_METHODS)
    return known and "get_queryset" not in manager.__dict__


def _same_methods(cls, base, names):
    return all(_underlying(getattr(cls, name, None)) is _underlying(getattr(base, name, None)) for name in names)


def _underlying(attribute):
    return getattr(attribute, "__func__", attribute)
