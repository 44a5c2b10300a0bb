"""GeneratedField: DDL, values after insert/update, queries, errors."""
import decimal

import pytest

from ormlette.db import connection
from ormlette.db.models import GeneratedField, IntegerField, Value
from ormlette.test.utils import CaptureQueriesContext
from tests.backends import clean_tables, use_models
from tests.writes.generated_models import GenPost

if not connection.features.supports_virtual_generated_columns:
    # PostgreSQL < 18 has stored generated columns only.
    GenPost._meta.get_field("lowered").db_persist = True

tables = use_models(GenPost)
cleanup = clean_tables(GenPost, autouse=True)
pytestmark = pytest.mark.usefixtures("tables")


def test_values_returned_by_insert_without_extra_query():
    with CaptureQueriesContext(connection) as ctx:
        post = GenPost.objects.create(body="Hello World", price=decimal.Decimal("2.50"), qty=4)
    assert len(ctx.captured_queries) == 1
    assert post.word_count == 11
    assert post.total == decimal.Decimal("10.00")
    assert post.lowered == "hello world"


def test_values_refreshed_after_update():
    post = GenPost.objects.create(body="ab")
    post.body = "abcdef"
    post.save()
    assert post.word_count == 6  # reloaded on access after the save
    assert post.lowered == "abcdef"


def test_queryable_and_bulk_create():
    posts = GenPost.objects.bulk_create([GenPost(body="x" * n) for n in (1, 5, 9)])
    if connection.features.can_return_rows_from_bulk_insert:
        assert [p.word_count for p in posts] == [1, 5, 9]
    assert list(GenPost.objects.filter(word_count__gt=3).order_by("word_count").values_list("word_count", flat=True)) \
        == [5, 9]
    assert GenPost.objects.filter(lowered__startswith="xxxxx").count() == 2


def test_generated_field_is_not_written_by_save_or_update_fields():
    post = GenPost.objects.create(body="abc")
    post.word_count = 99
    post.save()
    post.refresh_from_db()
    assert post.word_count == 3


def test_constructor_errors():
    with pytest.raises(ValueError, match="GeneratedField cannot be editable."):
        GeneratedField(expression=Value(1), output_field=IntegerField(), db_persist=True, editable=True)
    with pytest.raises(ValueError, match="GeneratedField must be blank."):
        GeneratedField(expression=Value(1), output_field=IntegerField(), db_persist=True, blank=False)
    with pytest.raises(ValueError, match="GeneratedField cannot have a default."):
        GeneratedField(expression=Value(1), output_field=IntegerField(), db_persist=True, default=1)
    with pytest.raises(ValueError, match="GeneratedField cannot have a database default."):
        GeneratedField(expression=Value(1), output_field=IntegerField(), db_persist=True, db_default=1)
    with pytest.raises(ValueError, match="GeneratedField.db_persist must be True or False."):
        GeneratedField(expression=Value(1), output_field=IntegerField())


def test_instance_init_ignores_generated():
    post = GenPost(body="abc")
    assert "word_count" not in post.__dict__
