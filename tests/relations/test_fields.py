"""Relation fields, descriptors and reverse descriptors."""
import pytest

from ormlette.core.exceptions import FieldError, ObjectDoesNotExist
from ormlette.db import models
from ormlette.test.utils import assert_num_queries
from tests.relations import models as m


def test_fk_attname_column_and_descriptor_cache(data):
    field = m.Book._meta.get_field("author")
    assert (field.attname, field.column) == ("author_id", "author_id")
    book = m.Book.objects.get(pk=data.hobbit.pk)
    with assert_num_queries(1):
        assert book.author.name == "tolkien"
        assert book.author is book.author


def test_setting_id_drops_cached_object(data):
    book = m.Book.objects.get(pk=data.hobbit.pk)
    assert book.author == data.tolkien
    book.author_id = data.herbert.pk
    with assert_num_queries(1):
        assert book.author.name == "herbert"


def test_assign_wrong_type_raises(data):
    with pytest.raises(ValueError, match='must be a "Author" instance'):
        data.hobbit.author = data.alice


def test_nullable_fk_none_and_required_missing(data):
    assert data.hobbit.editor is None
    book = m.Book(title="x")
    with pytest.raises(m.Book.author.RelatedObjectDoesNotExist) as info:
        book.author
    assert isinstance(info.value, m.Author.DoesNotExist) and isinstance(info.value, AttributeError)
    assert str(info.value) == "Book has no author."


def test_reverse_accessors(data):
    assert sorted(b.title for b in data.tolkien.books.all()) == ["hobbit", "lotr"]
    assert [b.title for b in data.herbert.edited.all()] == ["lotr"]
    assert data.tolkien.books.count() == 2
    assert list(m.Author.objects.get(name="nobody").books.all()) == []
    assert hasattr(m.Author, "post_set") and data.tolkien.post_set.get().title == "orm"


def test_reverse_one_to_one(data):
    alice = m.Customer.objects.get(name="alice")
    assert alice.profile.bio == "hi"
    bob = m.Customer.objects.get(name="bob")
    with pytest.raises(m.Customer.profile.RelatedObjectDoesNotExist) as info:
        bob.profile
    assert isinstance(info.value, m.Profile.DoesNotExist)
    assert str(info.value) == "Customer has no profile."
    assert isinstance(info.value, ObjectDoesNotExist)


def test_reverse_set_assignment_prohibited(data):
    with pytest.raises(TypeError, match="Direct assignment to the reverse side of a related set is prohibited"):
        data.tolkien.books = []
    with pytest.raises(TypeError, match="forward side of a many-to-many set"):
        data.p1.tags = []


def test_self_fk_and_string_references(data):
    assert data.scifi.parent.parent == data.root
    assert sorted(c.name for c in data.root.children.all()) == ["books"]
    assert m.Group._meta.get_field("members").remote_field.through is m.Membership


def test_related_name_plus_hides_accessor():
    assert not hasattr(m.Author, "+")
    field = m.Note._meta.get_field("owner")
    assert field.remote_field.is_hidden()


def test_m2m_auto_through_is_a_model(data):
    through = m.Post.tags.through
    assert through._meta.auto_created is m.Post
    assert through._meta.db_table == "relations_post_tags"
    assert {f.name for f in through._meta.fields} == {"id", "post", "tag"}
    assert through.objects.count() == 3


def test_bad_declarations():
    with pytest.raises(TypeError, match="on_delete must be callable"):
        models.ForeignKey(m.Author, on_delete=None)
    with pytest.raises(TypeError, match="First parameter to ForeignKey must be either a model"):
        models.ForeignKey(1, on_delete=models.CASCADE)


def test_get_deferred_fields_and_refresh(data):
    book = m.Book.objects.only("title").get(pk=data.hobbit.pk)
    assert book.get_deferred_fields() == {"author_id", "editor_id"}
    with assert_num_queries(1):
        assert book.author_id == data.tolkien.pk
    m.Book.objects.filter(pk=book.pk).update(title="changed")
    book.refresh_from_db(fields=["title"])
    assert book.title == "changed"


def test_invalid_filter_on_relation_name(data):
    with pytest.raises(FieldError, match="Unsupported lookup 'nope' for ForeignKey or join on the field not permitted"):
        m.Book.objects.filter(author__nope=1)
