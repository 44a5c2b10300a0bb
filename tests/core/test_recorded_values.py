"""Recorded querysets with values whose lookup shape or parameters depend on more than the value type:
transforms with their own parameters, booleans rendered into the SQL, converted strings."""
import datetime
import decimal

import pytest

from ormlette.db.models import QuerySet
from ormlette.db.models.sql.query import Query
from ormlette.utils import timezone
from tests.backends import clean_tables, use_models
from tests.core.models import Item

tables = use_models(Item)
cleanup = clean_tables(Item, autouse=True)
pytestmark = pytest.mark.usefixtures("tables")


def normal():
    return QuerySet(model=Item, query=Query(Item))


def comparable(sql_with_params):
    """SQL and parameters, driver wrappers (psycopg's Jsonb) replaced by what they wrap."""
    sql, params = sql_with_params
    return sql, [getattr(p, "obj", p) for p in params]


def same(build):
    """``build(base)`` through the manager (recorded after the first call) equals the normal path."""
    recorded, plain = build(Item.objects), build(normal())
    assert comparable(recorded.query.sql_with_params()) == comparable(plain.query.sql_with_params())
    assert sorted(i.pk for i in recorded) == sorted(i.pk for i in plain)
    return sorted(i.title for i in recorded)


@pytest.fixture
def items():
    when = datetime.datetime(2024, 3, 1, 12, tzinfo=datetime.timezone.utc)
    Item.objects.create(title="a", slug="a", published=True, price=decimal.Decimal("5.00"), pages=10,
                        released=datetime.date(2023, 5, 1))
    Item.objects.create(title="b", slug="b", published=False, price=decimal.Decimal("15.00"), pages=20,
                        released=datetime.date(2024, 5, 1))
    Item.objects.filter(title="a").update(created=when)
    Item.objects.filter(title="b").update(created=when.replace(year=2025))


def test_booleans_given_as_strings_change_the_sql_and_are_rechecked(items):
    for flag in ("1", "0", "1", "0", True, False):
        expected = ["a"] if flag in ("1", True) else ["b"]
        assert same(lambda base: base.filter(published=flag, pages__gte=0)) == expected


def test_transforms_with_their_own_parameters(items):
    for year, expected in ((2024, ["a"]), (2025, ["b"]), (2024, ["a"]), (1999, [])):
        assert same(lambda base: base.filter(created__year=year)) == expected
        released = [title for title, y in (("a", 2023), ("b", 2024)) if y >= year]
        assert same(lambda base: base.filter(released__year__gte=year).order_by("title")) == released


def test_values_converted_by_the_field(items):
    for price, expected in (("10", ["a"]), ("20.5", ["a", "b"]), (decimal.Decimal("6"), ["a"]), (5.5, ["a"])):
        assert same(lambda base: base.filter(price__lt=price)) == expected
    for day in (datetime.date(2023, 5, 1), datetime.date(2024, 5, 1), "2023-05-01"):
        assert len(same(lambda base: base.filter(released=day))) == 1
    now = timezone.now()
    for moment in (now, now - datetime.timedelta(days=3650)):
        same(lambda base: base.filter(created__lt=moment).order_by("-created")[:1])



def test_transforms_whose_lhs_holds_parameters(items):
    Item.objects.filter(title="a").update(meta={"color": "red", "size": 3})
    Item.objects.filter(title="b").update(meta={"color": "blue", "size": 5})
    for color, expected in (("red", ["a"]), ("blue", ["b"]), ("red", ["a"]), ("green", [])):
        assert same(lambda base: base.filter(meta__color=color)) == expected
    for size, expected in ((4, ["b"]), (2, ["a", "b"]), (9, []), (4, ["b"])):
        assert same(lambda base: base.filter(meta__size__gt=size).order_by("title")) == expected
