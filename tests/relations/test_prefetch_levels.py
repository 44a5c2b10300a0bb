"""Nested prefetch levels through foreign keys: pickling, chunked IN lists, and the objects' states.

The results and caches are compared with Django in test_diff_prefetch_levels.py.
"""
import copy
import pickle

from ormlette.db import connection
from ormlette.db.models import prefetch_related_objects
from ormlette.db.models.base import ModelState
from ormlette.test.utils import CaptureQueriesContext, assert_num_queries
from tests.relations import models as m


def _nested():
    return list(m.Customer.objects.prefetch_related("orders__items__product").order_by("id"))


def _summary(customers):
    return [(c.name, [(o.status, [(i.product.name, i.order is o, o.customer is c) for i in o.items.all()])
                      for o in c.orders.all()]) for c in customers]


def test_nested_prefetch_survives_pickling_without_queries(data):
    customers = _nested()
    expected = _summary(customers)
    restored = pickle.loads(pickle.dumps(customers))
    with assert_num_queries(0):
        assert _summary(restored) == expected
        items = [i for c in restored for o in c.orders.all() for i in o.items.all()]
        assert [sorted(i._state.fields_cache) for i in items] == [["order", "product"]] * 3
        assert all(i._prefetched_objects_cache == {} for i in items)
    assert expected[0][1][0][1] == [("dune", True, True), ("pen", True, True)]


def test_nested_prefetch_states_are_plain_loaded_states(data):
    items = [i for c in _nested() for o in c.orders.all() for i in o.items.all()]
    products = [i.product for i in items]
    for obj in items + products:
        assert type(obj._state) is ModelState
        assert (obj._state.db, obj._state.adding) == ("default", False)
    copied = copy.copy(items[0])
    assert copied._state is not items[0]._state
    assert copied._state.fields_cache == items[0]._state.fields_cache


def test_forward_level_in_list_is_chunked_to_the_parameter_limit(data, monkeypatch):
    items = list(m.OrderItem.objects.order_by("id"))
    monkeypatch.setattr(connection.ops, "max_query_params", lambda: 66)  # two objects per query
    with CaptureQueriesContext(connection) as ctx:
        prefetch_related_objects(items, "product", "product__category")
    # product: items 1-2, then item 3 (pen again); category: dune's only (pen has none).
    assert len(ctx) == 3
    with assert_num_queries(0):
        assert [(i.product.name, i.product.category and i.product.category.name) for i in items] == [
            ("dune", "scifi"), ("pen", None), ("pen", None)]


def test_forward_level_chunks_keep_a_custom_queryset(data, monkeypatch):
    from ormlette.db.models import Prefetch

    items = list(m.OrderItem.objects.order_by("id"))
    monkeypatch.setattr(connection.ops, "max_query_params", lambda: 66)
    lookup = Prefetch("product", queryset=m.Product.objects.filter(name="pen"))
    with assert_num_queries(2):
        prefetch_related_objects(items, lookup)
    assert [i._state.fields_cache["product"] and i.product.name for i in items] == [None, "pen", "pen"]


def test_plain_forward_levels_take_the_two_pass_path(data, monkeypatch):
    from ormlette.db.models import Prefetch
    from ormlette.db.models.query import prefetch_forward

    used = []
    original = prefetch_forward.ForwardLevel.prefetch_level

    def spy(self, *args):
        used.append(self.cache_name)
        return original(self, *args)

    monkeypatch.setattr(prefetch_forward.ForwardLevel, "prefetch_level", spy)
    _nested()
    list(m.Product.objects.prefetch_related(Prefetch("category", to_attr="cat")))  # to_attr: the general path
    list(m.Book.objects.only("title").prefetch_related("author"))  # deferred key: the general path
    assert used == ["product"]


def test_children_prime_the_next_level_across_chunks(data, monkeypatch):
    from ormlette.db.models.query import prefetch_forward

    primed = []
    original = prefetch_forward.ForwardLevel.unfetched

    def spy(self, obj_list):
        primed.append((self.cache_name, self.primed_objects, len(obj_list)))
        return original(self, obj_list)

    monkeypatch.setattr(prefetch_forward.ForwardLevel, "unfetched", spy)
    monkeypatch.setattr(connection.ops, "max_query_params", lambda: 66)  # two parents per query
    with assert_num_queries(1 + 2 + 2 + 1):
        orders = list(m.Order.objects.prefetch_related("items__product__category").order_by("id"))
    assert primed == [("product", 3, 3), ("category", 0, 3)]  # products are not children: walked
    with assert_num_queries(0):
        assert [[(i.product.name, i.product.category and i.product.category.name) for i in o.items.all()]
                for o in orders] == [[("dune", "scifi"), ("pen", None)], [], [("pen", None)]]
        assert all(i._prefetched_objects_cache == {} for o in orders for i in o.items.all())
