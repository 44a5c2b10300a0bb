"""Every field type round-trips exactly on every backend."""
import datetime
import decimal
import uuid
import warnings

import pytest

from ormlette.core.exceptions import ValidationError
from ormlette.utils import timezone
from tests.backends import clean_tables, use_models
from tests.core.models import Item, Note

tables = use_models(Item, Note)
cleanup = clean_tables(Item, Note, autouse=True)
pytestmark = pytest.mark.usefixtures("tables")

VALUES = {
    "title": "Ünïcødé ' \" % _ \\ title",
    "slug": "a-slug",
    "kind": "mg",
    "price": decimal.Decimal("1234567890.12"),
    "rating": 4.25,
    "pages": 2147483647,
    "published": True,
    "released": datetime.date(2024, 2, 29),
    "alarm": datetime.time(23, 59, 58, 999999),
    "uid": uuid.UUID("12345678-1234-5678-1234-567812345678"),
    "meta": {"tags": ["a", "b"], "n": 1, "nested": {"x": None, "f": 1.5}, "s": "é"},
    "span": datetime.timedelta(days=3, seconds=7, microseconds=11),
    "raw": b"\x00\xff binary \x01",
    "ip": "2001:db8::1",
    "email": "a@example.com",
    "url": "https://example.com/x?y=1",
    "body": "long " * 1000,
    "small": -32768,
    "big": 9223372036854775807,
}


def test_every_field_round_trips():
    item = Item.objects.create(**VALUES)
    loaded = Item.objects.get(pk=item.pk)
    for name, value in VALUES.items():
        assert getattr(loaded, name) == value, name
        assert type(getattr(loaded, name)) is type(value), name


def test_values_list_round_trip_matches_instances():
    Item.objects.create(**VALUES)
    row = Item.objects.values(*VALUES).get()
    assert row == VALUES


def test_aware_datetimes_are_stored_in_utc():
    tz = datetime.timezone(datetime.timedelta(hours=5, minutes=30))
    when = datetime.datetime(2024, 1, 1, 12, 0, 0, 123456, tzinfo=tz)
    note = Note.objects.create(text="tz", when=when)
    loaded = Note.objects.get(pk=note.pk)
    assert loaded.when == when
    assert loaded.when.utcoffset() == datetime.timedelta(0)
    assert loaded.when.hour == 6 and loaded.when.minute == 30


def test_naive_datetime_warns_and_is_made_aware():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        Note.objects.create(text="naive", when=datetime.datetime(2024, 1, 1, 10, 0))
    assert any("received a naive datetime" in str(w.message) for w in caught)
    assert Note.objects.get(text="naive").when == datetime.datetime(2024, 1, 1, 10, 0, tzinfo=datetime.timezone.utc)


def test_decimal_precision_is_kept():
    for value in ("0.01", "9999999999.99", "0.50", "123.45"):
        item = Item.objects.create(title=value, price=decimal.Decimal(value))
        assert Item.objects.get(pk=item.pk).price == decimal.Decimal(value)
    total = sum(Item.objects.values_list("price", flat=True))
    assert total == sum(decimal.Decimal(v) for v in ("0.01", "9999999999.99", "0.50", "123.45"))


def test_auto_now_and_auto_now_add():
    before = timezone.now()
    item = Item.objects.create(title="stamp")
    assert before <= item.created <= timezone.now()
    created = item.created
    item.title = "stamp2"
    item.save()
    item.refresh_from_db()
    assert item.created == created and item.updated >= created


def test_booleans_come_back_as_bool():
    Item.objects.create(title="t", published=True)
    Item.objects.create(title="f", published=False)
    assert sorted(Item.objects.values_list("published", flat=True)) == [False, True]
    assert Item.objects.filter(published=True).count() == 1


@pytest.mark.parametrize("field, bad, exc, message", [
    ("pages", "abc", ValueError, "Field 'pages' expected a number but got 'abc'."),
    ("rating", "x", ValueError, "Field 'rating' expected a number but got 'x'."),
    ("price", "nope", ValidationError, "“nope” value must be a decimal number."),
    ("released", "2024-13-45", ValidationError, "value has the correct format (YYYY-MM-DD) but it is an invalid date."),
    ("released", "garbage", ValidationError, "value has an invalid date format. It must be in YYYY-MM-DD format."),
    ("uid", "not-a-uuid", ValidationError, "“not-a-uuid” is not a valid UUID."),
    ("published", "maybe", ValidationError, "“maybe” value must be either True or False."),
])
def test_wrong_value_types_raise_djangos_errors(field, bad, exc, message):
    with pytest.raises(exc) as info:
        list(Item.objects.filter(**{field: bad}))
    assert message in str(info.value)


def test_field_validation_messages():
    item = Item(title="x" * 101, email="bad", price=decimal.Decimal("1.234"), kind="zz")
    with pytest.raises(ValidationError) as info:
        item.full_clean()
    errors = info.value.message_dict
    assert errors["title"] == ["Ensure this value has at most 100 characters (it has 101)."]
    assert errors["email"] == ["Enter a valid email address."]
    assert errors["price"] == ["Ensure that there are no more than 2 decimal places."]
    assert errors["kind"] == ["Value 'zz' is not a valid choice."]


def test_update_with_a_json_value_on_every_backend():
    # psycopg wraps dicts in Jsonb objects without __eq__: the key/compile parameter check compares contents.
    item = Item.objects.create(title="j", slug="j", meta={"a": 1})
    assert Item.objects.filter(pk=item.pk).update(meta={"color": "red", "n": [1, 2]}) == 1
    item.refresh_from_db()
    assert item.meta == {"color": "red", "n": [1, 2]}
