"""Differential tests (ormlette vs Django 5.2) for nested prefetch levels through foreign keys (``items__product``).

What a prefetch leaves on the objects is compared as well as the results: which relations are cached (and that
reading them runs no query), the prefetch caches, identities, and the shapes that take the general path (objects
of other models, deferred keys, ``to_attr``, custom querysets). Pickling and chunked IN lists:
test_prefetch_levels.py.
"""
import textwrap

from tests.differential.harness import Differential, case, parametrize

SOURCE = textwrap.dedent('''
    from django.db import models


    class Category(models.Model):
        name = models.CharField(max_length=50)

        class Meta:
            ordering = ["-name"]


    class Supplier(models.Model):
        code = models.CharField(max_length=10, unique=True)
        name = models.CharField(max_length=50)


    class Product(models.Model):
        name = models.CharField(max_length=50)
        stock = models.IntegerField(default=0)
        category = models.ForeignKey(Category, null=True, on_delete=models.SET_NULL, related_name="products")
        supplier = models.ForeignKey(Supplier, null=True, to_field="code", on_delete=models.SET_NULL,
                                     related_name="products")


    class Order(models.Model):
        status = models.CharField(max_length=10, default="new")


    class OrderItem(models.Model):
        order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="items")
        product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="order_items")
        quantity = models.IntegerField(default=1)


    class Note(models.Model):
        product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="notes")
        text = models.CharField(max_length=50, default="")

        def __setattr__(self, name, value):
            super().__setattr__(name, value)
''')


def load(ns):
    """The same rows through each ORM."""
    tools = ns.Category.objects.create(name="tools")
    books = ns.Category.objects.create(name="books")
    acme = ns.Supplier.objects.create(code="ACME", name="Acme")
    ns.Supplier.objects.create(code="NONE", name="Nobody")
    products = [
        ns.Product.objects.create(name="dune", stock=3, category=books, supplier=acme),
        ns.Product.objects.create(name="pen", stock=10, category=tools),
        ns.Product.objects.create(name="drill", stock=1, category=tools, supplier=acme),
        ns.Product.objects.create(name="loose", stock=0),
    ]
    orders = [ns.Order.objects.create(status=s) for s in ("paid", "new", "paid", "empty")]
    for order, product, quantity in [(0, 0, 2), (0, 1, 5), (0, 2, 1), (1, 1, 1), (2, 0, 4), (2, 3, 2)]:
        ns.OrderItem.objects.create(order=orders[order], product=products[product], quantity=quantity)
    ns.OrderItem.objects.create(order=orders[1], product=products[2], quantity=3)
    ns.Note.objects.create(product=products[0], text="classic")
    ns.Note.objects.create(product=products[3], text="lost")


diff = Differential(SOURCE, label="prefetchlevels", data=load)
levels = diff.fixture("levels")

CASES = []


def fn(name, **options):
    """A case from a function taking the namespace."""
    def wrap(func):
        CASES.append(case(name, func, **options))
        return func
    return wrap


def _orders(ns, *lookups):
    return list(ns.Order.objects.prefetch_related(*lookups).order_by("id"))


def _items(orders):
    return [i for o in orders for i in o.items.all()]


def _cached(obj):
    """What a prefetch left on ``obj``: its cached relations and prefetch caches."""
    data = vars(obj)
    return (sorted(obj._state.fields_cache), "_prefetched_objects_cache" in data,
            sorted(data.get("_prefetched_objects_cache", ())), obj._state.db, obj._state.adding)


@fn("nested_results_parents_and_shared_products")
def _nested(ns):
    orders = _orders(ns, "items__product")
    items = _items(orders)
    return ([(o.id, [(i.id, i.quantity, i.product.name, i.product.stock, i.order is o) for i in o.items.all()])
             for o in orders],
            len({id(i.product) for i in items}), len({i.product_id for i in items}))


@fn("nested_leaves_the_same_caches")
def _nested_caches(ns):
    orders = _orders(ns, "items__product")
    items = _items(orders)
    return [_cached(o) for o in orders], [_cached(i) for i in items], [_cached(i.product) for i in items]


@fn("three_levels_with_null_and_to_field_keys")
def _three_levels(ns):
    orders = _orders(ns, "items__product__category", "items__product__supplier")
    return [(i.product.name, i.product.category and i.product.category.name,
             i.product.supplier and i.product.supplier.name, _cached(i.product)) for i in _items(orders)]


@fn("level_already_done_by_an_earlier_lookup")
def _already_done(ns):
    orders = _orders(ns, "items", "items__product", "items__product")
    return [(i.product.name, _cached(i)) for i in _items(orders)]


@fn("one_level_leaves_children_without_prefetch_caches")
def _one_level(ns):
    orders = _orders(ns, "items")
    return [(i.id, i.order is o, _cached(i)) for o in orders for i in o.items.all()]


@fn("next_level_through_the_parents_key")
def _parent_key_level(ns):
    orders = _orders(ns, "items__order", "items__product")
    return [(i.order is o, i.product.name, _cached(i)) for o in orders for i in o.items.all()]


@fn("next_level_key_deferred_by_the_level_queryset")
def _next_key_deferred(ns):
    lookup = ns.models.Prefetch("items", queryset=ns.OrderItem.objects.only("order", "quantity"))
    orders = _orders(ns, lookup, "items__product")
    return [(i.quantity, i.product.name, _cached(i)) for o in orders for i in o.items.all()]


@fn("next_level_after_select_related_children")
def _next_after_select_related(ns):
    lookup = ns.models.Prefetch("items", queryset=ns.OrderItem.objects.select_related("product"))
    orders = _orders(ns, lookup, "items__product__category")
    return [(i.product.name, i.product.category and i.product.category.name, _cached(i), _cached(i.product))
            for o in orders for i in o.items.all()]


@fn("next_level_with_a_custom_leaf_queryset")
def _next_custom_leaf(ns):
    lookup = ns.models.Prefetch("items__product", queryset=ns.Product.objects.filter(stock__lt=5))
    orders = _orders(ns, lookup)
    return [(i.id, i._state.fields_cache["product"] and i.product.name, _cached(i)) for i in _items(orders)]


@fn("forward_relation_partly_cached")
def _partly_cached(ns):
    first = list(ns.OrderItem.objects.select_related("product").filter(quantity__gt=1).order_by("id"))
    rest = list(ns.OrderItem.objects.filter(quantity__lte=1).order_by("id"))
    before = [i.product for i in first]
    ns.models.prefetch_related_objects(first + rest, "product")
    return ([(i.id, i.product.name, i.product is p) for i, p in zip(first, before)],
            [(i.id, i.product.name, _cached(i)) for i in first + rest])


@fn("forward_relation_all_cached_runs_no_query")
def _all_cached(ns):
    items = list(ns.OrderItem.objects.select_related("product").order_by("id"))
    ns.models.prefetch_related_objects(items, "product")
    return [(i.product.name, _cached(i)) for i in items]


@fn("forward_relation_repeated_objects")
def _repeated(ns):
    items = list(ns.OrderItem.objects.order_by("id"))
    ns.models.prefetch_related_objects(items + items[:2], "product")
    return [(i.product.name, _cached(i)) for i in items]


@fn("forward_relation_null_keys")
def _null_keys(ns):
    products = list(ns.Product.objects.prefetch_related("supplier", "category").order_by("id"))
    return [(p.name, p.supplier and p.supplier.code, p.category and p.category.name, _cached(p)) for p in products]


@fn("forward_relation_all_keys_null")
def _all_null(ns):
    products = list(ns.Product.objects.filter(supplier__isnull=True).prefetch_related("supplier").order_by("id"))
    return [(p.name, p.supplier, _cached(p)) for p in products]


@fn("forward_custom_queryset_leaves_missing_parents")
def _custom_queryset(ns):
    lookup = ns.models.Prefetch("items__product", queryset=ns.Product.objects.filter(stock__gt=2))
    out = []
    for item in _items(_orders(ns, lookup)):
        try:
            out.append((item.id, item.product.name))
        except ns.Product.DoesNotExist as exc:
            out.append((item.id, type(exc).__name__, str(exc)))
    return out


@fn("forward_custom_queryset_ordered_and_select_related")
def _custom_ordered(ns):
    lookup = ns.models.Prefetch("product", queryset=ns.Product.objects.select_related("category").order_by("-name"))
    items = list(ns.OrderItem.objects.prefetch_related(lookup).order_by("id"))
    return [(i.product.name, i.product.category and i.product.category.name) for i in items]


@fn("forward_target_with_default_ordering")
def _target_ordering(ns):
    products = list(ns.Product.objects.prefetch_related("category").order_by("id"))
    return [(p.name, p.category and p.category.name) for p in products]


@fn("forward_to_attr_takes_the_general_path")
def _to_attr(ns):
    orders = _orders(ns, ns.models.Prefetch("items__product", to_attr="prefetched_product"))
    return [(i.prefetched_product.name, _cached(i)) for i in _items(orders)]


@fn("forward_deferred_key_loads_it_first")
def _deferred_key(ns):
    items = list(ns.OrderItem.objects.only("quantity").prefetch_related("product").order_by("id"))
    return [(i.quantity, i.product.name) for i in items]


@fn("forward_model_with_own_setattr")
def _own_setattr(ns):
    notes = list(ns.Note.objects.prefetch_related("product__category").order_by("id"))
    return [(n.text, n.product.name, _cached(n)) for n in notes]


@fn("forward_objects_of_two_models")
def _two_models(ns):
    objs = [ns.OrderItem.objects.order_by("id").first(), ns.Note.objects.order_by("id").first()]
    ns.models.prefetch_related_objects(objs, "product")
    return [(o.product.name, _cached(o)) for o in objs]


@fn("forward_object_of_a_model_without_the_key")
def _missing_key(ns):
    objs = [ns.OrderItem.objects.order_by("id").first(), ns.Order.objects.order_by("id").first()]
    ns.models.prefetch_related_objects(objs, "product")


@fn("nested_prefetch_through_iterator_chunks")
def _iterator(ns):
    orders = ns.Order.objects.prefetch_related("items__product").order_by("id").iterator(chunk_size=2)
    return [(o.id, [(i.product.name, i.order is o) for i in o.items.all()]) for o in orders]


@fn("nested_prefetched_item_refetches_after_key_change")
def _key_change(ns):
    item = _items(_orders(ns, "items__product"))[0]
    before = item.product.name
    item.product_id = ns.Product.objects.get(name="loose").pk
    return before, item.product.name, _cached(item)


@parametrize(CASES)
def test_prefetch_levels_differential(levels, case):
    levels.check(case)
