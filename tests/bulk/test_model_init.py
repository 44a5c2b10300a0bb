"""Building instances for bulk loads: keyword construction (generated per model) and lazy state caches."""
import copy
import pickle

import pytest

from ormlette.db.models.expressions import DatabaseDefault
from tests.bulk.models import Book, Code, Tag


def test_keyword_construction_takes_values_and_defaults():
    tag = Tag(name="a", uses=3)
    assert (tag.pk, tag.name, tag.uses, tag.note) == (None, "a", 3, "")
    book = Book(title="t", price=5)
    assert (book.price, book.sales_count) == (5, 0)
    assert isinstance(book.published, DatabaseDefault) and isinstance(book.rank, DatabaseDefault)
    assert Code(value=1).pk != Code(value=1).pk  # a callable default runs per instance
    assert Tag().name == ""


def test_keyword_construction_refuses_unknown_names():
    with pytest.raises(TypeError, match="unexpected keyword arguments: 'nope'"):
        Tag(name="a", nope=1)


def test_state_caches_are_created_on_first_use():
    state = Tag(name="a")._state
    assert "fields_cache" not in state.__dict__
    state.fields_cache["x"] = 1
    assert state.fields_cache == {"x": 1}
    clone = copy.copy(state)
    assert clone.fields_cache == {"x": 1} and clone.fields_cache is not state.fields_cache
    restored = pickle.loads(pickle.dumps(state))
    assert (restored.db, restored.adding, restored.fields_cache) == (None, True, {"x": 1})
