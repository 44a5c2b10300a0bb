"""JSON key names are bound parameters: never in the SQL text, and every key shares one cached statement."""
import pytest

from ormlette.db import connection, models
from ormlette.db.models.fields.json import KT
from ormlette.db.models.sql.compiler import compile_query
from tests.backends import use_models, requires_fast


class JsonDoc(models.Model):
    """A document per row."""

    name = models.CharField(max_length=20)
    meta = models.JSONField(null=True)

    class Meta:
        app_label = "jsonsql"


tables = use_models(JsonDoc)
pytestmark = pytest.mark.usefixtures("tables", "docs")

# Each key carries the marker "zq", so any key text that leaked into the SQL would show.
EVIL_KEYS = ["zq'; DROP TABLE jsonsql_jsondoc; --", 'zq"b', "zq%s", "zq%(x)s", "zq?", "zq$.x", "zq.b", "zq\\",
             "zq sp ace"]


def readable(key):
    """Whether the backend's JSON path syntax reaches the key (SQLite's paths stop at an escaped quote)."""
    return not (connection.vendor == "sqlite" and '"' in key)


@pytest.fixture(scope="module")
def docs(tables):
    JsonDoc.objects.create(name="evil", meta={key: i for i, key in enumerate(EVIL_KEYS)})
    JsonDoc.objects.create(name="plain", meta={"color": "red", "size": 3, "list": [10, 20]})
    yield
    JsonDoc.objects.all().delete()


def compiled(qs):
    """(SQL text, parameters) of a queryset's statement."""
    entry, params = compile_query(qs.query, connection._handler[connection._alias])
    return entry, list(params)


@pytest.mark.parametrize("key", EVIL_KEYS)
def test_hostile_key_is_a_parameter_in_filters(key):
    qs = JsonDoc.objects.filter(**{"meta__" + key + "__gte": 0})
    entry, _ = compiled(qs)
    assert "zq" not in entry.sql
    assert JsonDoc.objects.filter(meta__has_key=key).count() == (1 if readable(key) else 0)


@pytest.mark.parametrize("key", EVIL_KEYS)
def test_hostile_key_in_has_key_values_and_ordering(key):
    qs = JsonDoc.objects.filter(meta__has_keys=[key, "'; DROP TABLE x; --"]).annotate(
        v=KT("meta__" + key)).order_by("meta__" + key)
    entry, _ = compiled(qs)
    assert "zq" not in entry.sql
    assert list(qs.values_list("v", flat=True)) == []
    value = JsonDoc.objects.filter(name="evil").annotate(v=models.F("meta__" + key)).values_list("v", flat=True)
    assert list(value) == [EVIL_KEYS.index(key) if readable(key) else None]


@requires_fast
def test_different_keys_share_one_statement():
    first, first_params = compiled(JsonDoc.objects.filter(meta__color="red"))
    second, second_params = compiled(JsonDoc.objects.filter(meta__size=3))
    assert first is second
    assert first_params != second_params
    assert list(JsonDoc.objects.filter(meta__color="red").values_list("name", flat=True)) == ["plain"]
    assert list(JsonDoc.objects.filter(meta__size=3).values_list("name", flat=True)) == ["plain"]


def test_index_and_name_keys_give_the_right_rows():
    assert list(JsonDoc.objects.filter(meta__list__1=20).values_list("name", flat=True)) == ["plain"]
    assert list(JsonDoc.objects.filter(meta__list__0=20).values_list("name", flat=True)) == []
    assert list(JsonDoc.objects.filter(meta__list__0=10).values_list("name", flat=True)) == ["plain"]


def test_json_null_and_sql_null():
    sql_null = JsonDoc.objects.create(name="sqlnull", meta=None)
    json_null = JsonDoc.objects.create(name="jsonnull", meta=models.Value(None, models.JSONField()))
    try:
        assert list(JsonDoc.objects.filter(meta=None).values_list("pk", flat=True)) == [json_null.pk]
        assert list(JsonDoc.objects.filter(meta__isnull=True).values_list("pk", flat=True)) == [sql_null.pk]
    finally:
        JsonDoc.objects.filter(pk__in=[sql_null.pk, json_null.pk]).delete()
