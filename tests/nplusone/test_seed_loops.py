"""Every "bad" N+1 loop of the seed articles, on their models: the detector names its line and fix;
the forward-FK / one-to-one / deferred-field loops take <= 2 queries under FETCH_PEERS and raise under RAISE.
"""
import sys

import pytest

from ormlette.core.exceptions import FieldFetchBlocked
from ormlette.db import models
from ormlette.db.models import Count
from ormlette import nplusone
from ormlette.test.utils import CaptureQueriesContext
from ormlette.db import connection
from tests.backends import clean_tables, use_models
from tests.nplusone import seed_models as s

tables = use_models(*s.ALL)
cleanup = clean_tables(*s.ALL)
N = 4


@pytest.fixture
def seed(tables, cleanup):
    products = [s.Product.objects.create(name="p%d" % i) for i in range(N)]
    tags = [s.Tag.objects.create(name="t%d" % i) for i in range(2)]
    for i in range(N):
        customer = s.Customer.objects.create(name="c%d" % i)
        order = s.Order.objects.create(customer=customer)
        s.OrderItem.objects.create(order=order, product=products[i])
        author = s.Author.objects.create(name="a%d" % i)
        s.Profile.objects.create(author=author, bio="bio%d" % i)
        post = s.Post.objects.create(title="post%d" % i, body="body%d" % i, author=author)
        post.tags.add(*tags)
        user = s.User.objects.create(email="u%d@x" % i)
        order4 = s.Order4.objects.create(user=user, shipping_address=s.Address.objects.create(city="city%d" % i))
        for product in products[:2]:
            s.OrderItem4.objects.create(order=order4, product=product)


def _line(offset):
    return sys._getframe(1).f_lineno + offset


def _found(detector):
    return sorted((g.lineno, g.model.__name__, g.relation, g.count, g.fix) for g in detector.groups())


def test_000_aggregate_per_customer(seed):
    with nplusone.collect() as detector:
        line = _line(2)
        for customer in s.Customer.objects.all():
            total = customer.orders.aggregate(total=Count("id"))["total"]
            assert total == 1
    assert _found(detector) == [(line, "Customer", "orders", N, 'Customer.objects.annotate(orders_count=Count("orders"))'
                                 '  (or Sum/Avg/Max of "orders__<field>")')]


def test_001_post_author_and_post_tags(seed):
    with nplusone.collect() as detector:
        for post in s.Post.objects.all():
            print(post.author.name)  # each access = 1 SQL query
        authors_line = _line(-1)
        for post in s.Post.objects.all():
            print([t.name for t in post.tags.all()])
        tags_line = _line(-1)
    assert _found(detector) == [
        (authors_line, "Post", "author", N, 'Post.objects.select_related("author")'),
        (tags_line, "Post", "tags", N, 'Post.objects.prefetch_related("tags")')]


def test_001_deferred_fields_and_author_profile(seed):
    with nplusone.collect() as detector:
        for post in s.Post.objects.only("id", "title"):
            post.body  # accessing a deferred field triggers extra SQL
        body_line = _line(-1)
        for author in s.Author.objects.all():
            author.profile.bio  # select_related("author__profile")'s one-to-one, from the author's side
        profile_line = _line(-1)
    assert _found(detector) == [
        (body_line, "Post", "body", N, 'Post.objects.only(..., "body")  (or drop "body" from .defer(...))'),
        (profile_line, "Author", "profile", N, 'Author.objects.select_related("profile")')]


def test_003_posts_author(seed):
    with nplusone.collect() as detector:
        posts = s.Post.objects.all()            # 1 query
        for post in posts:
            print(post.author.name)           # +1 query EACH time -> N+1
        line = _line(-1)
    assert _found(detector) == [(line, "Post", "author", N, 'Post.objects.select_related("author")')]


def test_003_orders_customer_name(seed):
    with nplusone.collect() as detector:
        for order in s.Order.objects.all():
            print(order.customer.name)
        line = _line(-1)
    assert _found(detector) == [(line, "Order", "customer", N, 'Order.objects.select_related("customer")')]


def test_004_orders_items_product(seed):
    with nplusone.collect() as detector:
        orders = s.Order.objects.filter(customer__name__startswith="c")
        for order in orders:
            for item in order.items.all():  # query per order
                print(item.product.name)  # query per item
        line = _line(-2)
    assert _found(detector) == [
        (line, "Order", "items", N, 'Order.objects.prefetch_related("items")'),
        (line + 1, "OrderItem", "product", N, 'OrderItem.objects.select_related("product")')]


def test_004_orders_user_address_items(seed):
    with nplusone.collect() as detector:
        orders = s.Order4.objects.all()
        for order in orders:  # 1 query (SELECT orders)
            user = order.user  # N queries (SELECT user WHERE id=X)
            addr = order.shipping_address  # N queries
            for item in order.items.all():  # N queries (SELECT items WHERE order=X)
                name = item.product.name  # N*M queries
        line = _line(-4)
        assert (user, addr, name) != (None, None, None)
    assert _found(detector) == [
        (line, "Order4", "user", N, 'Order4.objects.select_related("user")'),
        (line + 1, "Order4", "shipping_address", N, 'Order4.objects.select_related("shipping_address")'),
        (line + 2, "Order4", "items", N, 'Order4.objects.prefetch_related("items")'),
        (line + 3, "OrderItem4", "product", 2 * N, 'OrderItem4.objects.select_related("product")')]


# The forward-FK / one-to-one / deferred-field loops: (queryset, what the loop body reads).
FORWARD_LOOPS = {
    "001_post_author": (lambda: s.Post.objects.all(), lambda post: post.author.name),
    "001_deferred_body": (lambda: s.Post.objects.only("id", "title"), lambda post: post.body),
    "001_author_profile": (lambda: s.Author.objects.all(), lambda author: author.profile.bio),
    "003_order_customer": (lambda: s.Order.objects.all(), lambda order: order.customer.name),
    "004_order_user": (lambda: s.Order4.objects.all(), lambda order: order.user.email),
    "004_order_shipping_address": (lambda: s.Order4.objects.all(), lambda order: order.shipping_address.city),
    "004_item_product": (lambda: s.OrderItem4.objects.all(), lambda item: item.product.name),
}


@pytest.mark.parametrize("name", sorted(FORWARD_LOOPS))
def test_forward_loops_fetch_peers_and_raise(seed, name):
    queryset, body = FORWARD_LOOPS[name]
    with CaptureQueriesContext(connection) as plain:
        expected = [body(obj) for obj in queryset()]
    assert len(plain) == 1 + len(expected)  # the N+1 as written
    with CaptureQueriesContext(connection) as peers:
        assert [body(obj) for obj in queryset().fetch_mode(models.FETCH_PEERS)] == expected
    assert len(peers) <= 2
    with pytest.raises(FieldFetchBlocked, match="Fetching of .* blocked"):
        for obj in queryset().fetch_mode(models.RAISE):
            body(obj)
