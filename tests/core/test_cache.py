"""The shape-keyed SQL cache: equal shapes share an entry; different structures never do."""
import pytest

from ormlette.db import connection, models
from ormlette.db.models.sql.cache import statement_cache
from ormlette.db.models.sql.compiler import compile_query
from ormlette.test.utils import CaptureQueriesContext
from tests.backends import clean_tables, use_models, requires_fast
from tests.core.models import Note

tables = use_models(Note)
cleanup = clean_tables(Note, autouse=True)
pytestmark = pytest.mark.usefixtures("tables")


def entry_for(qs):
    entry, params = compile_query(qs.query, connection._handler[connection._alias])
    return entry, params


@pytest.fixture
def notes():
    return [Note.objects.create(text="t%d" % i, n=i) for i in range(10)]


@requires_fast
def test_same_shape_other_values_share_one_entry_and_return_right_rows(notes):
    a, params_a = entry_for(Note.objects.filter(n=3))
    b, params_b = entry_for(Note.objects.filter(n=7))
    assert a is b
    assert list(params_a) != list(params_b)
    assert [x.n for x in Note.objects.filter(n=3)] == [3]
    assert [x.n for x in Note.objects.filter(n=7)] == [7]


def test_hits_run_the_cached_sql_with_new_values(notes):
    cache = statement_cache(connection._handler[connection._alias])
    list(Note.objects.filter(text="t1", n__gte=0))
    size = len(cache)
    for i in range(10):
        assert [x.text for x in Note.objects.filter(text="t%d" % i, n__gte=0)] == ["t%d" % i]
    assert len(cache) == size


@pytest.mark.parametrize("left, right", [
    (lambda: Note.objects.filter(text=None), lambda: Note.objects.filter(text="x")),
    (lambda: Note.objects.filter(n__in=[1, 2]), lambda: Note.objects.filter(n__in=[1, 2, 3])),
    (lambda: Note.objects.filter(n__gt=1), lambda: Note.objects.filter(n__gte=1)),
    (lambda: Note.objects.filter(n=1), lambda: Note.objects.exclude(n=1)),
    (lambda: Note.objects.filter(text__contains="a"), lambda: Note.objects.filter(text__icontains="a")),
    (lambda: Note.objects.filter(n=1), lambda: Note.objects.filter(n=1).order_by("n")),
    (lambda: Note.objects.filter(n=1)[:5], lambda: Note.objects.filter(n=1)[2:5]),
    (lambda: Note.objects.filter(n=1), lambda: Note.objects.filter(n=1).distinct()),
    (lambda: Note.objects.filter(n=1), lambda: Note.objects.filter(n=models.F("n"))),
    (lambda: Note.objects.filter(models.Q(n=1) | models.Q(text="a")),
     lambda: Note.objects.filter(models.Q(n=1) & models.Q(text="a"))),
    (lambda: Note.objects.values("n"), lambda: Note.objects.values("text")),
    (lambda: Note.objects.filter(when__year=2024), lambda: Note.objects.filter(when__month=2)),
    (lambda: Note.objects.annotate(x=models.Value(1)), lambda: Note.objects.annotate(x=models.Value("1"))),
    (lambda: Note.objects.filter(n=1), lambda: Note.objects.filter(n__exact=1).only("n")),
])
def test_different_structures_never_share_an_entry(left, right):
    a, _ = entry_for(left())
    b, _ = entry_for(right())
    assert a is not b


@requires_fast
def test_in_lists_are_bucketed_and_padding_does_not_change_results(notes):
    a, _ = entry_for(Note.objects.filter(n__in=list(range(9))))
    b, _ = entry_for(Note.objects.filter(n__in=list(range(12))))
    assert a is b  # 9 and 12 both pad to 16 placeholders
    assert sorted(x.n for x in Note.objects.filter(n__in=[1, 2, 3, 4, 5, 6, 7, 8, 9])) == list(range(1, 10))


def test_empty_in_runs_no_query(notes):
    with CaptureQueriesContext(connection) as ctx:
        assert list(Note.objects.filter(n__in=[])) == []
        assert Note.objects.filter(n__in=[]).count() == 0
        assert Note.objects.exclude(n__in=[]).count() == 10
    assert len(ctx) == 1


def test_null_and_value_give_right_rows(notes):
    Note.objects.create(text=None, n=99)
    assert [x.n for x in Note.objects.filter(text=None)] == [99]
    assert Note.objects.filter(text="t1").count() == 1
    assert Note.objects.filter(text=None).count() == 1
