"""The get() shortcut keeps one cursor per connection: it must follow reconnects, errors and threads."""
import threading

import pytest

from ormlette.db import connection, connections, transaction
from ormlette.db.errors import DatabaseError
from tests.backends import clean_tables, use_models, requires_fast
from tests.core.models import Note

tables = use_models(Note)
cleanup = clean_tables(Note, autouse=True)
pytestmark = pytest.mark.usefixtures("tables")


def wrapper():
    return connections["default"]


@requires_fast
def test_gets_share_one_cursor_until_the_connection_is_returned(tables):
    notes = [Note.objects.create(text="t%d" % i, n=i) for i in range(3)]
    for _ in range(2):
        for note in notes:
            assert Note.objects.get(pk=note.pk).text == note.text
    kept = wrapper()._reusable_cursor
    assert kept is not None and Note.objects.get(pk=notes[0].pk) and wrapper()._reusable_cursor is kept
    wrapper().close()
    assert wrapper()._reusable_cursor is None
    assert Note.objects.get(pk=notes[1].pk).n == 1  # a new connection, a new cursor
    assert wrapper()._reusable_cursor is not kept


def test_an_error_drops_the_cursor_and_the_next_get_works(tables):
    note = Note.objects.create(text="x", n=1)
    for _ in range(2):
        Note.objects.get(pk=note.pk)

    def fail(execute, sql, params, many, context):
        raise DatabaseError("boom")

    with connection.execute_wrapper(fail):
        with pytest.raises(DatabaseError, match="boom"):
            Note.objects.get(pk=note.pk)
    assert wrapper()._reusable_cursor is None
    assert Note.objects.get(pk=note.pk).text == "x"
    with transaction.atomic():
        assert Note.objects.get(pk=note.pk).n == 1
        with pytest.raises(Note.DoesNotExist):
            Note.objects.get(pk=note.pk + 1000)
        assert Note.objects.get(pk=note.pk).n == 1


@requires_fast
def test_each_thread_keeps_its_own_cursor(tables):
    note = Note.objects.create(text="y", n=2)
    seen, errors = [], []

    def worker():
        try:
            for _ in range(20):
                assert Note.objects.get(pk=note.pk).n == 2
            seen.append(wrapper()._reusable_cursor)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            wrapper().close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len({id(c) for c in seen}) == 4


@requires_fast
def test_sliced_reads_use_the_kept_cursor_and_nest_safely(tables):
    for i in range(30):
        Note.objects.create(text="t%02d" % i, n=i)
    first = list(Note.objects.order_by("n")[:10])
    kept = wrapper()._reusable_cursor
    assert kept is not None and [note.n for note in first] == list(range(10))
    # A sliced read inside the loop over another one's results: the outer rows were fetched already.
    pairs = [(note.n, [inner.n for inner in Note.objects.filter(n__gt=note.n).order_by("n")[:2]])
             for note in Note.objects.order_by("n")[5:8]]
    assert pairs == [(5, [6, 7]), (6, [7, 8]), (7, [8, 9])]
    assert wrapper()._reusable_cursor is kept
    assert [note.n for note in Note.objects.order_by("-n")[:3]] == [29, 28, 27]
    assert len(list(Note.objects.all())) == 30  # unsliced reads keep a cursor of their own


def test_sliced_reads_are_logged_wrapped_and_translate_errors(tables):
    from ormlette.test.utils import CaptureQueriesContext

    Note.objects.create(text="x", n=1)
    list(Note.objects.all()[:1])
    with CaptureQueriesContext(connection) as ctx:
        assert [n.text for n in Note.objects.all()[:1]] == ["x"]
    assert len(ctx.captured_queries) == 1
    seen = []

    def spy(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(spy):
        list(Note.objects.all()[:1])
    assert len(seen) == 1

    def fail(execute, sql, params, many, context):
        raise DatabaseError("boom")

    with connection.execute_wrapper(fail):
        with pytest.raises(DatabaseError, match="boom"):
            list(Note.objects.all()[:1])
    assert [n.text for n in Note.objects.all()[:1]] == ["x"]
