"""Fetch modes as Django 6.1 documents them (topics/db/fetch-modes, release notes 6.1).

Django 6.1 does not install here (it needs Python 3.12), so the expected values are written out from its
documentation: FETCH_ONE is 1 + N queries for ``for book in books: book.author.name``, FETCH_PEERS is 2,
RAISE raises FieldFetchBlocked (a FieldError); the mode is copied to related objects fetched from an
instance (related managers included) and ``fetch_mode(...).create(...)`` gives the new object the mode.
"""
import pickle

import pytest

from ormlette.conf import settings
from ormlette.core.exceptions import FieldError, FieldFetchBlocked
from ormlette.db import models
from ormlette.db.models import fetch_modes
from ormlette.test.utils import CaptureQueriesContext, assert_num_queries
from ormlette.db import connection
from tests.relations import models as m


def test_modes_live_in_fetch_modes_and_are_reexported():
    assert models.FETCH_ONE is fetch_modes.FETCH_ONE
    assert models.FETCH_PEERS is fetch_modes.FETCH_PEERS
    assert models.RAISE is fetch_modes.RAISE
    assert models.FETCH_RAISE is models.RAISE  # 6.1's final name for RAISE
    assert issubclass(FieldFetchBlocked, FieldError)
    assert pickle.loads(pickle.dumps(models.FETCH_PEERS)) is models.FETCH_PEERS


def test_fetch_one_is_the_default_and_runs_one_plus_n(data):
    with assert_num_queries(1 + 3):
        names = sorted(b.author.name for b in m.Book.objects.all())
    assert names == ["herbert", "tolkien", "tolkien"]
    with assert_num_queries(1 + 3):
        names = sorted(b.author.name for b in m.Book.objects.fetch_mode(models.FETCH_ONE))
    assert names == ["herbert", "tolkien", "tolkien"]


def test_fetch_peers_forward_fk_is_two_queries(data):
    with assert_num_queries(2):
        pairs = sorted((b.title, b.author.name) for b in m.Book.objects.fetch_mode(models.FETCH_PEERS))
    assert pairs == [("dune", "herbert"), ("hobbit", "tolkien"), ("lotr", "tolkien")]


def test_fetch_peers_nullable_fk_and_second_relation(data):
    books = list(m.Book.objects.fetch_mode(models.FETCH_PEERS).order_by("title"))
    with assert_num_queries(1):
        editors = [b.editor and b.editor.name for b in books]
    assert editors == [None, None, "herbert"]
    with assert_num_queries(1):
        assert [b.author.name for b in books] == ["herbert", "tolkien", "tolkien"]


def test_fetch_peers_one_to_one_and_reverse_accessor(data):
    m.Profile.objects.create(customer=data.bob, bio="yo")
    with assert_num_queries(2):
        bios = sorted((p.customer.name, p.bio) for p in m.Profile.objects.fetch_mode(models.FETCH_PEERS))
    assert bios == [("alice", "hi"), ("bob", "yo")]
    with assert_num_queries(2):
        found = {}
        for c in m.Customer.objects.fetch_mode(models.FETCH_PEERS).order_by("pk"):
            try:
                found[c.name] = c.profile.bio
            except m.Customer.profile.RelatedObjectDoesNotExist:
                found[c.name] = None
    assert found == {"alice": "hi", "bob": "yo", "carol": None}


def test_fetch_peers_deferred_field(data):
    with assert_num_queries(2):
        emails = [c.email for c in m.Customer.objects.only("name").fetch_mode(models.FETCH_PEERS).order_by("pk")]
    assert emails == ["a@x", "b@x", ""]
    with assert_num_queries(2):
        ids = sorted(o.customer_id for o in m.Order.objects.defer("customer").fetch_mode(models.FETCH_PEERS))
    assert ids == sorted([data.alice.pk, data.alice.pk, data.bob.pk])


def test_raise_blocks_forward_fk_with_model_field_and_fix(data):
    book = m.Book.objects.fetch_mode(models.RAISE).get(pk=data.hobbit.pk)
    with pytest.raises(FieldFetchBlocked) as info:
        book.author
    message = str(info.value)
    assert message.startswith("Fetching of Book.author blocked.")  # Django 6.1's words, then the fix
    assert ".select_related('author')" in message
    assert book.editor is None  # a NULL key needs no fetch


def test_raise_blocks_one_to_one_reverse_and_deferred(data):
    profile = m.Profile.objects.fetch_mode(models.RAISE).get()
    with pytest.raises(FieldFetchBlocked, match=r"Fetching of Profile\.customer blocked"):
        profile.customer
    customer = m.Customer.objects.fetch_mode(models.RAISE).get(pk=data.alice.pk)
    with pytest.raises(FieldFetchBlocked, match=r"Fetching of Customer\.profile blocked.*select_related\('profile'\)"):
        customer.profile
    lean = m.Customer.objects.only("name").fetch_mode(models.RAISE).get(pk=data.alice.pk)
    with pytest.raises(FieldFetchBlocked, match=r"Fetching of Customer\.email blocked.*\.only\("):
        lean.email


def test_raise_allows_what_the_query_loaded(data):
    with assert_num_queries(1):
        names = sorted(b.author.name for b in m.Book.objects.select_related("author").fetch_mode(models.RAISE))
    assert names == ["herbert", "tolkien", "tolkien"]
    with assert_num_queries(2):
        titles = {a.name: sorted(b.title for b in a.books.all())
                  for a in m.Author.objects.prefetch_related("books").fetch_mode(models.RAISE)}
    assert titles["tolkien"] == ["hobbit", "lotr"]


def test_mode_copied_to_related_objects_and_managers(data):
    book = m.Book.objects.fetch_mode(models.RAISE).select_related("author").get(pk=data.hobbit.pk)
    assert book.author._state.fetch_mode is models.RAISE  # select_related objects
    author = m.Author.objects.fetch_mode(models.RAISE).get(pk=data.tolkien.pk)
    related = list(author.books.order_by("title"))  # related managers copy the mode (their query still runs)
    assert [(b.title, b._state.fetch_mode) for b in related] == [("hobbit", models.RAISE), ("lotr", models.RAISE)]
    assert related[0].editor is None  # hobbit has no editor: nothing to fetch
    with pytest.raises(FieldFetchBlocked, match=r"Fetching of Book\.editor blocked"):
        related[1].editor  # lotr's editor would need a query
    single = m.Book.objects.fetch_mode(models.FETCH_PEERS).get(pk=data.lotr.pk)
    assert single.author._state.fetch_mode is models.FETCH_PEERS  # a lazily fetched object


def test_peers_carry_through_select_related_and_prefetch(data):
    orders = list(m.Order.objects.select_related("customer").fetch_mode(models.FETCH_PEERS).order_by("pk"))
    with assert_num_queries(1):  # the select_related customers are peers: one query for every profile
        bios = [getattr(o.customer, "profile", None) and o.customer.profile.bio for o in orders]
    assert bios == ["hi", "hi", None]
    customers = list(m.Customer.objects.prefetch_related("orders").fetch_mode(models.FETCH_PEERS).order_by("pk"))
    children = [o for c in customers for o in c.orders.all()]
    assert len(children) == 3 and all(o._state.fetch_mode is models.FETCH_PEERS for o in children)
    with assert_num_queries(0):  # the prefetched orders' customers are the known parents, already cached
        assert sorted(o.customer.name for o in children) == ["alice", "alice", "bob"]
    orders = list(m.Order.objects.prefetch_related("items").fetch_mode(models.FETCH_PEERS))
    items = [i for o in orders for i in o.items.all()]
    with assert_num_queries(1):  # the prefetched items are peers: one query for all their products
        products = sorted(i.product.name for i in items)
    assert products == ["dune", "pen", "pen"]


def test_peers_carry_through_chunked_iterator(data):
    with CaptureQueriesContext(connection) as ctx:
        names = [b.author.name for b in m.Book.objects.order_by("title").fetch_mode(models.FETCH_PEERS).iterator(
            chunk_size=2)]
    assert names == ["herbert", "tolkien", "tolkien"]
    assert len(ctx) == 1 + 2  # the books, then one author query per chunk of peers


def test_fetch_mode_create(data):
    author = m.Author.objects.fetch_mode(models.RAISE).create(name="new")
    assert author._state.fetch_mode is models.RAISE
    book = m.Book.objects.fetch_mode(models.RAISE).create(title="x", author_id=author.pk)
    with pytest.raises(FieldFetchBlocked):
        book.author


def test_global_default_in_settings(data):
    settings.DEFAULT_FETCH_MODE = "FETCH_PEERS"
    try:
        with assert_num_queries(2):
            names = sorted(b.author.name for b in m.Book.objects.all())
        assert names == ["herbert", "tolkien", "tolkien"]
        assert m.Book.objects.get(pk=data.hobbit.pk)._state.fetch_mode is models.FETCH_PEERS
        settings.DEFAULT_FETCH_MODE = models.RAISE
        with pytest.raises(FieldFetchBlocked):
            m.Book.objects.get(pk=data.hobbit.pk).author
        assert m.Book.objects.fetch_mode(models.FETCH_ONE).get(pk=data.hobbit.pk).author.name == "tolkien"
    finally:
        settings.DEFAULT_FETCH_MODE = None
    assert m.Book.objects.get(pk=data.hobbit.pk).author.name == "tolkien"


def test_bad_mode_is_a_clear_error():
    with pytest.raises(TypeError, match="Expected a fetch mode"):
        m.Book.objects.fetch_mode("sometimes")
