"""Shared fixtures: the relation tables and a small shop/library/blog data set."""
from decimal import Decimal

import pytest

from tests.backends import clean_tables, use_models
from tests.relations import models as m

tables = use_models(*m.ALL)
cleanup = clean_tables(*m.ALL)


@pytest.fixture
def data(tables, cleanup):
    """Rows for every model; returns a namespace of the created objects."""
    class D:
        pass

    d = D()
    d.root = m.Category.objects.create(name="root")
    d.books_cat = m.Category.objects.create(name="books", parent=d.root)
    d.scifi = m.Category.objects.create(name="scifi", parent=d.books_cat)
    d.alice = m.Customer.objects.create(name="alice", email="a@x")
    d.bob = m.Customer.objects.create(name="bob", email="b@x")
    d.carol = m.Customer.objects.create(name="carol")
    m.Profile.objects.create(customer=d.alice, bio="hi")
    d.dune = m.Product.objects.create(name="dune", price=Decimal("9.50"), category=d.scifi)
    d.pen = m.Product.objects.create(name="pen", price=Decimal("1.00"))
    d.o1 = m.Order.objects.create(customer=d.alice, status="paid")
    d.o2 = m.Order.objects.create(customer=d.alice, status="new")
    d.o3 = m.Order.objects.create(customer=d.bob, status="paid")
    m.OrderItem.objects.create(order=d.o1, product=d.dune, quantity=2)
    m.OrderItem.objects.create(order=d.o1, product=d.pen, quantity=5)
    m.OrderItem.objects.create(order=d.o3, product=d.pen, quantity=1)
    d.tolkien = m.Author.objects.create(name="tolkien")
    d.herbert = m.Author.objects.create(name="herbert")
    d.nobody = m.Author.objects.create(name="nobody")
    d.hobbit = m.Book.objects.create(title="hobbit", author=d.tolkien)
    d.lotr = m.Book.objects.create(title="lotr", author=d.tolkien, editor=d.herbert)
    d.dune_book = m.Book.objects.create(title="dune", author=d.herbert)
    d.t_py = m.Tag.objects.create(name="python")
    d.t_db = m.Tag.objects.create(name="db")
    d.t_none = m.Tag.objects.create(name="unused")
    d.p1 = m.Post.objects.create(title="orm", author=d.tolkien)
    d.p2 = m.Post.objects.create(title="sql", author=d.herbert)
    d.p3 = m.Post.objects.create(title="empty")
    d.p1.tags.add(d.t_py, d.t_db)
    d.p2.tags.add(d.t_db)
    yield d
    # MySQL checks self-references row by row: break the tree before the tables are emptied.
    m.Category.objects.update(parent=None)
