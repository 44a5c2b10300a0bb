"""Related managers: reverse FK and many-to-many, with Django's rules."""
import pytest

from ormlette.db.models import signals
from ormlette.test.utils import assert_num_queries
from tests.relations import models as m


def test_reverse_fk_create_get_or_create_update_or_create(data):
    book = data.nobody.books.create(title="new")
    assert book.author_id == data.nobody.pk
    obj, created = data.nobody.books.get_or_create(title="new")
    assert (obj.pk, created) == (book.pk, False)
    obj, created = data.nobody.books.update_or_create(title="other", defaults={"editor": data.herbert})
    assert created and obj.editor == data.herbert and obj.author == data.nobody
    assert data.nobody.books.count() == 2


def test_reverse_fk_add_bulk_and_not_bulk(data):
    data.nobody.books.add(data.hobbit)
    assert m.Book.objects.get(pk=data.hobbit.pk).author_id == data.nobody.pk
    data.herbert.books.add(data.hobbit, bulk=False)
    assert data.hobbit.author == data.herbert
    with pytest.raises(TypeError, match="'Book' instance expected, got"):
        data.nobody.books.add(data.alice)
    with pytest.raises(ValueError, match="isn't saved. Use bulk=False or save the object first."):
        data.nobody.books.add(m.Book(title="unsaved"))


def test_remove_only_on_nullable_fk(data):
    assert not hasattr(data.tolkien.books, "remove")
    assert not hasattr(data.tolkien.books, "clear")
    data.herbert.edited.remove(data.lotr)
    assert m.Book.objects.get(pk=data.lotr.pk).editor_id is None
    with pytest.raises(m.Author.DoesNotExist, match="is not related to"):
        data.herbert.edited.remove(data.hobbit)


def test_nullable_set_and_clear(data):
    data.herbert.edited.set([data.hobbit, data.dune_book])
    assert sorted(b.title for b in data.herbert.edited.all()) == ["dune", "hobbit"]
    data.herbert.edited.clear()
    assert data.herbert.edited.count() == 0


def test_unsaved_instance_managers(data):
    author = m.Author(name="new")
    with pytest.raises(ValueError, match="'Author' instance needs to have a primary key value before this "
                                         "relationship can be used."):
        author.books.all()
    with pytest.raises(ValueError, match="needs to have a value for field \"id\" before this many-to-many"):
        m.Post(title="x").tags.all()


def test_m2m_add_remove_set_clear(data):
    p = data.p3
    with assert_num_queries(1):
        p.tags.add(data.t_py, data.t_db.pk)
    p.tags.add(data.t_py)
    assert sorted(t.name for t in p.tags.all()) == ["db", "python"]
    p.tags.remove(data.t_py)
    assert [t.name for t in p.tags.all()] == ["db"]
    p.tags.set([data.t_none, data.t_py])
    assert sorted(t.name for t in p.tags.all()) == ["python", "unused"]
    data.t_py.posts.clear()
    assert sorted(x.title for x in data.t_py.posts.all()) == []
    assert [t.name for t in p.tags.all()] == ["unused"]
    with pytest.raises(TypeError, match="'Tag' instance expected, got"):
        p.tags.add(data.alice)


def test_m2m_create_and_get_or_create(data):
    tag = data.p3.tags.create(name="fresh")
    assert list(data.p3.tags.all()) == [tag]
    obj, created = data.p3.tags.get_or_create(name="fresh")
    assert (obj, created) == (tag, False)
    obj, created = data.t_py.posts.get_or_create(title="new post")
    assert created and list(obj.tags.all()) == [data.t_py]
    obj, created = data.p3.tags.update_or_create(name="fresh", defaults={"name": "renamed"})
    assert not created and obj.name == "renamed"


def test_m2m_symmetrical_and_through_defaults(data):
    ann = m.Person.objects.create(name="ann")
    ben = m.Person.objects.create(name="ben")
    ann.friends.add(ben)
    assert list(ben.friends.all()) == [ann]
    ben.friends.remove(ann)
    assert list(ann.friends.all()) == []
    group = m.Group.objects.create(name="g")
    group.members.add(ann, through_defaults={"role": "admin"})
    group.members.create(name="cid", through_defaults={"role": "guest"})
    roles = sorted(m.Membership.objects.values_list("person__name", "role"))
    assert roles == [("ann", "admin"), ("cid", "guest")]
    assert sorted(p.name for p in m.Person.objects.filter(groups=group)) == ["ann", "cid"]
    assert [g.name for g in ann.groups.all()] == ["g"]
    assert list(group.members.filter(membership__role="admin")) == [ann]


def test_m2m_changed_signal(data):
    seen = []

    def receiver(sender, action, pk_set, **kwargs):
        seen.append((action, pk_set and sorted(pk_set)))

    signals.m2m_changed.connect(receiver, sender=m.Post.tags.through)
    try:
        data.p3.tags.add(data.t_py)
    finally:
        signals.m2m_changed.disconnect(receiver, sender=m.Post.tags.through)
    assert seen == [("pre_add", [data.t_py.pk]), ("post_add", [data.t_py.pk])]


def test_create_through_manager_of_related_manager_in_one_transaction(data):
    with assert_num_queries(1):
        data.tolkien.books.create(title="silmarillion")


def test_create_refuses_a_reverse_one_to_one_keyword():
    profile = m.Profile(bio="b")
    with assert_num_queries(0):
        with pytest.raises(ValueError, match="^The following fields do not exist in this model: profile$"):
            m.Customer.objects.create(name="c", profile=profile)
    assert m.Customer._meta._reverse_one_to_one_field_names == frozenset({"profile"})
