"""Joins in filter/exclude/values/order_by/F, promotion and multi-valued semantics."""
from ormlette.db import connection
from ormlette.db.models import Count, F, Q
from ormlette.test.utils import CaptureQueriesContext, assert_num_queries
from tests.relations import models as m


def titles(qs):
    return sorted(x.title for x in qs)


def test_forward_and_reverse_traversal(data):
    assert titles(m.Book.objects.filter(author__name="tolkien")) == ["hobbit", "lotr"]
    assert sorted(a.name for a in m.Author.objects.filter(books__title="dune")) == ["herbert"]
    assert m.OrderItem.objects.filter(order__customer__name="alice").count() == 2
    assert m.Customer.objects.filter(orders__items__product__name="pen").distinct().count() == 2


def test_filter_by_instance_pk_alias_and_in(data):
    assert titles(m.Book.objects.filter(author=data.tolkien)) == ["hobbit", "lotr"]
    assert titles(m.Book.objects.filter(author__pk=data.tolkien.pk)) == ["hobbit", "lotr"]
    assert titles(m.Book.objects.filter(author_id=data.herbert.pk)) == ["dune"]
    assert titles(m.Book.objects.filter(author__in=[data.tolkien, data.herbert])) == ["dune", "hobbit", "lotr"]
    assert titles(m.Book.objects.filter(author__in=m.Author.objects.filter(name="herbert"))) == ["dune"]
    assert sorted(a.name for a in m.Author.objects.filter(books=data.hobbit)) == ["tolkien"]
    assert titles(m.Post.objects.filter(tags=data.t_db)) == ["orm", "sql"]
    assert sorted(t.name for t in m.Tag.objects.filter(posts=data.p1)) == ["db", "python"]


def test_isnull_on_relations(data):
    assert titles(m.Book.objects.filter(editor__isnull=True)) == ["dune", "hobbit"]
    assert sorted(a.name for a in m.Author.objects.filter(books__isnull=True)) == ["nobody"]
    assert titles(m.Post.objects.filter(tags__isnull=True)) == ["empty"]
    assert titles(m.Book.objects.filter(editor=None)) == ["dune", "hobbit"]


def test_join_promotion(data):
    qs = m.Book.objects.filter(Q(editor__name="herbert") | Q(title="hobbit"))
    assert titles(qs) == ["hobbit", "lotr"]
    assert "LEFT OUTER JOIN" in str(qs.query)
    inner = m.Book.objects.filter(editor__name="herbert")
    assert "LEFT OUTER" not in str(inner.query) and "JOIN" in str(inner.query)


def test_multivalued_one_call_vs_chained(data):
    one = m.Post.objects.filter(tags__name="python", tags__name__startswith="d")
    chained = m.Post.objects.filter(tags__name="python").filter(tags__name__startswith="d")
    assert titles(one) == []
    assert titles(chained) == ["orm"]
    assert str(chained.query).count("JOIN") == 4


def test_exclude_multivalued_is_subquery(data):
    qs = m.Post.objects.exclude(tags__name="python")
    assert titles(qs) == ["empty", "sql"]
    assert "EXISTS" in str(qs.query)
    assert sorted(a.name for a in m.Author.objects.exclude(books__title__startswith="h")) == ["herbert", "nobody"]


def test_values_order_by_and_f_across_relations(data):
    rows = list(m.Book.objects.order_by("title").values("title", "author__name"))
    assert rows[0] == {"title": "dune", "author__name": "herbert"}
    assert list(m.Book.objects.order_by("-author__name", "title").values_list("title", flat=True)) == \
        ["hobbit", "lotr", "dune"]
    assert list(m.Product.objects.order_by("category", "name").values_list("name", flat=True))[0] in ("dune", "pen")
    assert titles(m.Book.objects.filter(editor=F("author"))) == []
    assert titles(m.Book.objects.exclude(editor=F("author"))) == ["dune", "hobbit", "lotr"]
    assert m.Author.objects.annotate(n=Count("books")).get(name="tolkien").n == 2


def test_update_and_count_with_joins(data):
    assert m.Book.objects.filter(author__name="tolkien").update(title="x") == 2
    assert m.Book.objects.filter(title="x").count() == 2


def test_one_query_per_filter(data):
    with assert_num_queries(1):
        list(m.OrderItem.objects.filter(order__customer__name="alice", product__category__name="scifi"))
    with CaptureQueriesContext(connection) as ctx:
        list(m.Category.objects.filter(parent__parent__name="root"))
    assert len(ctx) == 1
