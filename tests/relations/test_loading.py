"""select_related, prefetch_related and only()/defer() across relations, with query counts (the seeds' N+1)."""
import pytest

from ormlette.core.exceptions import FieldError
from ormlette.db import connection
from ormlette.db.models import Prefetch, prefetch_related_objects
from ormlette.test.utils import CaptureQueriesContext, assert_num_queries
from tests.relations import models as m


def test_seed_orders_with_customer_items_products(data):
    with assert_num_queries(2):
        orders = m.Order.objects.select_related("customer").prefetch_related(
            Prefetch("items", queryset=m.OrderItem.objects.select_related("product")))
        summary = sorted((o.customer.name, sorted((i.product.name, i.quantity) for i in o.items.all()))
                         for o in orders)
    assert summary == [("alice", []), ("alice", [("dune", 2), ("pen", 5)]), ("bob", [("pen", 1)])]


def test_seed_books_with_author_select_related_is_one_query(data):
    with assert_num_queries(1):
        names = sorted((b.title, b.author.name) for b in m.Book.objects.select_related("author"))
    assert names == [("dune", "herbert"), ("hobbit", "tolkien"), ("lotr", "tolkien")]


def test_seed_authors_with_books_and_posts_with_tags(data):
    with assert_num_queries(2):
        result = {a.name: sorted(b.title for b in a.books.all()) for a in m.Author.objects.prefetch_related("books")}
    assert result == {"tolkien": ["hobbit", "lotr"], "herbert": ["dune"], "nobody": []}
    with assert_num_queries(2):
        tags = {p.title: sorted(t.name for t in p.tags.all()) for p in m.Post.objects.prefetch_related("tags")}
    assert tags == {"orm": ["db", "python"], "sql": ["db"], "empty": []}
    with assert_num_queries(2):
        posts = {t.name: sorted(p.title for p in t.posts.all()) for t in m.Tag.objects.prefetch_related("posts")}
    assert posts == {"python": ["orm"], "db": ["orm", "sql"], "unused": []}


def test_seed_customer_orders_items_products_three_levels(data):
    with assert_num_queries(4):
        customers = list(m.Customer.objects.prefetch_related("orders__items__product"))
        total = sum(i.quantity * i.product.price for c in customers for o in c.orders.all() for i in o.items.all())
    assert str(total) == "25.00"


def test_nested_and_nullable_select_related(data):
    with assert_num_queries(1):
        rows = {p.name: (p.category and p.category.name, p.category and p.category.parent.name)
                for p in m.Product.objects.select_related("category__parent")}
    assert rows == {"dune": ("scifi", "books"), "pen": (None, None)}
    sql = str(m.Product.objects.select_related("category__parent").query)
    assert sql.count("LEFT OUTER JOIN") == 2


def test_select_related_reverse_one_to_one_and_no_args(data):
    with assert_num_queries(1):
        bios = {c.name: getattr(getattr(c, "profile", None), "bio", None)
                for c in m.Customer.objects.select_related("profile")}
    assert bios == {"alice": "hi", "bob": None, "carol": None}
    with assert_num_queries(1):
        items = [(i.order.customer.name, i.product.name) for i in m.OrderItem.objects.select_related()]
    assert sorted(items) == [("alice", "dune"), ("alice", "pen"), ("bob", "pen")]
    with assert_num_queries(4):
        [b.author.name for b in m.Book.objects.select_related("author").select_related(None)]


def test_select_related_errors(data):
    with pytest.raises(FieldError, match="Invalid field name\\(s\\) given in select_related: 'nope'"):
        list(m.Book.objects.select_related("nope"))
    with pytest.raises(FieldError, match="Non-relational field given in select_related: 'title'"):
        list(m.Book.objects.select_related("title"))
    with pytest.raises(FieldError, match="cannot be both deferred and traversed"):
        list(m.Book.objects.only("title").select_related("author"))


def test_only_and_defer_across_relations(data):
    with assert_num_queries(1):
        book = m.Book.objects.select_related("author").only("title", "author__name").get(title="hobbit")
        assert book.author.name == "tolkien"
    assert book.author.get_deferred_fields() == set()
    assert book.get_deferred_fields() == {"editor_id"}
    book = m.Order.objects.select_related("customer").defer("customer__email").get(pk=data.o1.pk)
    assert book.customer.get_deferred_fields() == {"email"}
    with assert_num_queries(1):
        assert book.customer.email == "a@x"


def test_prefetch_cache_all_uses_cache_filter_queries(data):
    authors = list(m.Author.objects.prefetch_related("books"))
    with assert_num_queries(0):
        [list(a.books.all()) for a in authors]
    with assert_num_queries(1):
        list(authors[0].books.filter(title="lotr"))


def test_prefetch_to_attr_ordering_filter_and_none(data):
    with assert_num_queries(2):
        customers = list(m.Customer.objects.prefetch_related(
            Prefetch("orders", queryset=m.Order.objects.filter(status="paid").order_by("-id"), to_attr="paid")))
        paid = {c.name: [o.status for o in c.paid] for c in customers}
    assert paid == {"alice": ["paid"], "bob": ["paid"], "carol": []}
    with assert_num_queries(1):
        list(m.Author.objects.prefetch_related("books").prefetch_related(None))


def test_prefetch_related_objects_and_iterator_chunks(data):
    books = list(m.Book.objects.all())
    with assert_num_queries(1):
        prefetch_related_objects(books, "author")
    assert sorted(b.author.name for b in books) == ["herbert", "tolkien", "tolkien"]
    with CaptureQueriesContext(connection) as ctx:
        got = [(a.name, len(a.books.all())) for a in m.Author.objects.prefetch_related("books").iterator(chunk_size=2)]
    assert sorted(got) == [("herbert", 1), ("nobody", 0), ("tolkien", 2)]
    assert len(ctx) == 3


def test_prefetch_in_list_is_chunked_to_the_parameter_limit(data, monkeypatch):
    monkeypatch.setattr(connection.ops, "max_query_params", lambda: 66)
    with assert_num_queries(3):
        authors = list(m.Author.objects.prefetch_related("books"))
        books = {a.name: sorted(b.title for b in a.books.all()) for a in authors}
        assert all(b.author is a for a in authors for b in a.books.all())
    assert books == {"tolkien": ["hobbit", "lotr"], "herbert": ["dune"], "nobody": []}
    tolkien = next(a for a in authors if a.name == "tolkien")
    with assert_num_queries(1):
        assert [(b.title, b.author is tolkien) for b in tolkien.books.filter(title="lotr")] == [("lotr", True)]


def test_prefetch_nested_with_own_prefetch_and_bad_lookup(data):
    with assert_num_queries(3):
        authors = list(m.Author.objects.prefetch_related(
            Prefetch("books", queryset=m.Book.objects.prefetch_related("reviews").order_by("title"))))
        [list(b.reviews.all()) for a in authors for b in a.books.all()]
    with pytest.raises(AttributeError, match="Cannot find 'nope' on Author object"):
        list(m.Author.objects.prefetch_related("nope"))
    with pytest.raises(ValueError, match="does not resolve to an item that supports prefetching"):
        list(m.Author.objects.prefetch_related("name"))


def _prefetched_books():
    authors = {a.name: a for a in m.Author.objects.prefetch_related("books")}
    return authors["tolkien"], authors["herbert"]


def test_prefetched_querysets_share_no_query_state(data):
    tolkien, herbert = _prefetched_books()
    with assert_num_queries(0):
        mine, theirs = tolkien.books.all(), herbert.books.all()
        # Building .query for one prefetched queryset leaves the others' (shared, lazily copied) base alone.
        assert "WHERE" in str(mine.query)
        assert mine.query is not theirs.query
    assert str(theirs.query).count("WHERE") == 1
    with assert_num_queries(1):
        assert [b.title for b in herbert.books.filter(title__startswith="d")] == ["dune"]
    with assert_num_queries(1):
        assert sorted(b.title for b in tolkien.books.exclude(title="dune")) == ["hobbit", "lotr"]


def test_prefetched_querysets_copy(data):
    import copy

    tolkien, _ = _prefetched_books()
    books = tolkien.books.all()
    with assert_num_queries(1):
        assert sorted(b.title for b in copy.deepcopy(books)) == ["hobbit", "lotr"]
    with assert_num_queries(0):
        assert sorted(b.title for b in books) == ["hobbit", "lotr"]
    with assert_num_queries(1):
        assert [b.title for b in books.filter(title="lotr")] == ["lotr"]


def test_prefetched_objects_know_their_parent_and_manager_checks_pk(data):
    tolkien, _ = _prefetched_books()
    with assert_num_queries(0):
        assert all(b.author is tolkien for b in tolkien.books.all())
        assert tolkien._prefetched_objects_cache["books"] is tolkien.books.all()
    with assert_num_queries(1):
        assert all(b.author is tolkien for b in tolkien.books.filter(title__contains="o"))
    tolkien.pk = None
    with pytest.raises(ValueError, match="primary key"):
        tolkien.books.all()


def test_refiltered_prefetched_querysets_of_equal_instances_know_their_own_parent(data):
    first, second = m.Author.objects.get(name="tolkien"), m.Author.objects.get(name="tolkien")
    prefetch_related_objects([first, second], "books")
    with assert_num_queries(0):
        assert sorted(b.title for b in first.books.all()) == sorted(b.title for b in second.books.all())
    for author in (first, second):
        with assert_num_queries(1):
            assert [b.author is author for b in author.books.filter(title="lotr")] == [True]
