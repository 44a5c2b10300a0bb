"""DATABASE_ROUTERS: where reads and writes go, hints, fall-through, relations and migrations (Django's rules).

A second alias, ``replica``, points at the same database as ``default``, so every row is visible
through both; which connection ran a statement tells where the router sent it.
"""
import pytest

from ormlette.conf import settings
from ormlette.core.exceptions import ImproperlyConfigured
from ormlette.db import connections, router
from ormlette.db.routers import ConnectionRouter
from ormlette.test.utils import CaptureQueriesContext
from tests.relations import models as m


class ReadsToReplica:
    """Books are read from the replica; writes have no opinion."""

    def db_for_read(self, model, **hints):
        return "replica" if model is m.Book else None


class WritesToReplica:
    """Authors are written to the replica."""

    def db_for_write(self, model, **hints):
        return "replica" if model is m.Author else None


class NoOpinion:
    """Answers None to everything (the next router decides)."""

    def db_for_read(self, model, **hints):
        return None

    def allow_relation(self, obj1, obj2, **hints):
        return None

    def allow_migrate(self, db, app_label, **hints):
        return None


class RecordingHints:
    """Keeps the hints of every read decision."""

    def __init__(self):
        self.seen = []

    def db_for_read(self, model, **hints):
        self.seen.append((model, hints))
        return None


@pytest.fixture
def replica():
    settings.DATABASES["replica"] = dict(settings.DATABASES["default"])
    yield connections["replica"]
    connections["replica"].close()
    del settings.DATABASES["replica"]


@pytest.fixture
def routers():
    """``routers(*routers)`` installs them for the test."""
    saved = settings.DATABASE_ROUTERS

    def install(*chain):
        settings.DATABASE_ROUTERS = list(chain)

    yield install
    settings.DATABASE_ROUTERS = saved


def _statements(connection, action):
    with CaptureQueriesContext(connection) as captured:
        result = action()
    return result, len(captured)


def test_without_routers_the_instance_hint_or_default_decides(data):
    assert m.Book.objects.all().db == "default"
    data.hobbit._state.db = "replica"
    assert router.db_for_read(m.Book, instance=data.hobbit) == "replica"
    assert router.db_for_write(m.Book) == "default"
    qs = m.Book.objects.all()
    qs._add_hints(instance=data.hobbit)
    assert qs.db == "replica"


def test_reads_follow_the_router_and_using_wins(data, replica, routers):
    routers(ReadsToReplica())
    assert m.Book.objects.all().db == "replica" and m.Author.objects.all().db == "default"
    books, on_replica = _statements(replica, lambda: list(m.Book.objects.order_by("title")))
    assert on_replica == 1 and [b.title for b in books] == ["dune", "hobbit", "lotr"]
    assert {b._state.db for b in books} == {"replica"}
    assert m.Book.objects.using("default").all().db == "default"
    book, on_replica = _statements(replica, lambda: m.Book.objects.get(title="lotr"))
    assert on_replica == 1 and book._state.db == "replica"  # the get() shortcut steps aside


def test_writes_follow_the_router(data, replica, routers):
    routers(WritesToReplica())
    author, on_replica = _statements(replica, lambda: m.Author.objects.create(name="le guin"))
    assert on_replica == 1 and author._state.db == "replica"
    assert m.Author.objects.filter(name="le guin").exists()  # same database, read through default
    book, on_replica = _statements(replica, lambda: m.Book.objects.create(title="t", author=author))
    assert on_replica == 0 and book._state.db == "default"
    author.name = "ursula"
    _, on_replica = _statements(replica, author.save)
    assert on_replica == 1
    qs = m.Author.objects.filter(name="ursula")
    qs._for_write = True
    assert qs.db == "replica"


def test_save_delete_and_refresh_use_the_instance_hint(data, replica, routers):
    recorder = RecordingHints()
    routers(recorder)
    data.hobbit.refresh_from_db()
    assert (m.Book, {"instance": data.hobbit}) in recorder.seen
    data.hobbit._state.db = "replica"
    _, on_replica = _statements(replica, data.hobbit.refresh_from_db)
    assert on_replica == 1
    data.hobbit.title = "the hobbit"
    _, on_replica = _statements(replica, data.hobbit.save)
    assert on_replica == 1 and m.Book.objects.get(pk=data.hobbit.pk).title == "the hobbit"
    review_free = m.Book.objects.create(title="gone", author=data.nobody)
    review_free._state.db = "replica"
    _, on_replica = _statements(replica, review_free.delete)
    assert on_replica >= 1 and not m.Book.objects.filter(title="gone").exists()


def test_related_managers_pass_the_instance_as_hint(data, replica, routers):
    recorder = RecordingHints()
    routers(recorder)
    assert data.tolkien.books.all().db == "default"
    assert (m.Book, {"instance": data.tolkien}) in recorder.seen
    data.tolkien._state.db = "replica"
    assert data.tolkien.books.all().db == "replica"
    new, on_replica = _statements(replica, lambda: data.tolkien.books.create(title="silmarillion"))
    assert on_replica == 1 and new._state.db == "replica" and new.author_id == data.tolkien.pk
    data.p1._state.db = "replica"
    with pytest.raises(ValueError, match='instance is on database "replica", value is on database "default"'):
        data.p1.tags.add(data.t_none)  # allow_relation: one database unless a router allows it
    data.t_none._state.db = "replica"
    _, on_replica = _statements(replica, lambda: data.p1.tags.add(data.t_none))
    assert on_replica >= 1 and set(data.p1.tags.values_list("name", flat=True)) == {"python", "db", "unused"}


def test_routers_fall_through_in_order(replica, routers):
    routers(NoOpinion(), WritesToReplica(), ReadsToReplica())
    assert router.db_for_read(m.Book) == "replica"  # NoOpinion said None, WritesToReplica has no db_for_read
    assert router.db_for_write(m.Author) == "replica" and router.db_for_write(m.Book) == "default"
    assert router.allow_migrate("default", "relations") is True


def test_routers_from_dotted_paths_and_bad_entries(routers):
    routers("tests.relations.test_routers.ReadsToReplica")
    assert router.db_for_read(m.Book) == "replica"
    routers("tests.relations.test_routers.Missing")
    with pytest.raises(ImproperlyConfigured, match="DATABASE_ROUTERS entry 'tests.relations.test_routers.Missing'"):
        router.db_for_read(m.Book)
    routers("nodots")
    with pytest.raises(ImproperlyConfigured, match="could not be imported"):
        router.db_for_read(m.Book)


def test_allow_relation_defaults_to_same_database(data):
    assert router.allow_relation(data.hobbit, data.tolkien)
    data.hobbit._state.db = "replica"
    assert not router.allow_relation(data.hobbit, data.tolkien)

    class Anything:
        def allow_relation(self, obj1, obj2, **hints):
            return True

    assert ConnectionRouter([NoOpinion(), Anything()]).allow_relation(data.hobbit, data.tolkien)


def test_allow_migrate_model_asks_the_routers(routers):
    class OnlyReplica:
        def allow_migrate(self, db, app_label, model_name=None, **hints):
            assert hints["model"] is m.Book and model_name == "book"
            return db == "replica"

    routers(OnlyReplica())
    assert router.allow_migrate_model("replica", m.Book) and not router.allow_migrate_model("default", m.Book)
    assert router.get_migratable_models([m.Book], "replica") == [m.Book]


def test_manager_db_and_hinted_managers(data, replica, routers):
    assert m.Book.objects.db == "default"
    data.hobbit._state.db = "replica"
    hinted = m.Book._base_manager.db_manager(hints={"instance": data.hobbit})
    assert hinted.db == "replica"
    book, on_replica = _statements(replica, lambda: hinted.get(pk=data.hobbit.pk))  # no get() shortcut with hints
    assert on_replica == 1 and book._state.db == "replica"
    routers(ReadsToReplica())
    assert m.Book.objects.db == "replica" and m.Book.objects.db_manager("default").db == "default"


def test_assigning_a_relation_asks_allow_relation_and_sets_unsaved_databases(data, replica, routers):
    book, author = m.Book(title="new"), m.Author(name="new")
    assert book._state.db is None and author._state.db is None
    book.author = author  # both unsaved: each gets the write database the routers give (default)
    assert (book._state.db, author._state.db) == ("default", "default")
    data.herbert._state.db = "replica"
    with pytest.raises(ValueError, match="the current database router prevents this relation"):
        data.hobbit.author = data.herbert
    assert data.hobbit.author_id == data.tolkien.pk  # unchanged

    class Anything:
        def allow_relation(self, obj1, obj2, **hints):
            return True

    routers(Anything())
    data.hobbit.author = data.herbert
    assert data.hobbit.author_id == data.herbert.pk
    customer = m.Customer(name="c")
    customer._state.db = "replica"
    profile = m.Profile.objects.get(customer=data.alice)
    customer.profile = profile  # the reverse one-to-one side asks too
    routers()
    with pytest.raises(ValueError, match="the current database router prevents this relation"):
        customer.profile = profile


def test_following_a_foreign_key_reads_where_the_routers_say(data, replica, routers):
    recorder = RecordingHints()
    routers(recorder)
    book = m.Book.objects.get(pk=data.hobbit.pk)
    book._state.db = "replica"
    author, on_replica = _statements(replica, lambda: book.author)
    assert on_replica == 1 and author.name == "tolkien" and author._state.db == "replica"
    assert (m.Author, {"instance": book}) in recorder.seen
