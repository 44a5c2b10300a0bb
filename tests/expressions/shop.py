"""A small shop schema defined identically for ormlette and Django, with deterministic data."""
import datetime
from decimal import Decimal

import pytest

from tests.expressions import dual

UTC = datetime.timezone.utc


def build(models, label):
    """Model classes of the shop schema, declared with ``models`` (either ORM's)."""

    class Item(models.Model):
        name = models.CharField(max_length=50)
        category = models.CharField(max_length=20)
        price = models.DecimalField(max_digits=10, decimal_places=2)
        stock = models.IntegerField(default=0)
        rating = models.FloatField(null=True)
        created = models.DateTimeField()
        released = models.DateField(null=True)
        opens = models.TimeField(null=True)
        note = models.CharField(max_length=50, null=True)

        class Meta:
            app_label = label
            ordering = ["name"]

    class Sale(models.Model):
        item_ref = models.IntegerField()
        quantity = models.IntegerField()
        price = models.DecimalField(max_digits=10, decimal_places=2)
        status = models.CharField(max_length=10)
        sold_at = models.DateTimeField()
        lasted = models.DurationField(null=True)

        class Meta:
            app_label = label

    return {"Item": Item, "Sale": Sale}


ITEMS = [
    # name, category, price, stock, rating, created, released, opens, note
    ("apple", "fruit", "1.20", 10, 4.5, (2024, 1, 15, 8, 30), (2023, 12, 1), (8, 0), "red"),
    ("banana", "fruit", "0.50", 0, 3.0, (2024, 2, 20, 23, 45), (2024, 1, 2), (9, 30), None),
    ("cherry", "fruit", "7.25", 3, None, (2024, 2, 29, 12, 0), None, None, "dark"),
    ("drill", "tools", "89.99", 2, 4.9, (2023, 11, 5, 6, 15), (2023, 10, 31), (7, 45), "o'neil"),
    ("Eraser", "office", "0.99", 120, 2.5, (2024, 6, 1, 0, 0), (2024, 5, 30), (10, 0), ""),
    ("file", "office", "3.10", 40, 3.7, (2024, 6, 30, 18, 5), (2024, 6, 1), (18, 5), "A4"),
    ("glue", "office", "2.00", 0, None, (2024, 12, 31, 23, 59), (2024, 12, 31), (23, 59), None),
    ("hammer", "tools", "15.00", 7, 4.1, (2024, 3, 10, 9, 0), (2024, 3, 1), (6, 0), "steel"),
]

SALES = [
    # item_ref index, quantity, price, status, sold_at, lasted(seconds)
    (0, 3, "1.20", "paid", (2024, 1, 20, 10, 0), 60),
    (0, 1, "1.10", "paid", (2024, 2, 1, 11, 0), None),
    (1, 12, "0.45", "pending", (2024, 3, 3, 12, 0), 3600),
    (2, 2, "7.25", "paid", (2024, 3, 15, 13, 0), 90),
    (3, 1, "89.99", "returned", (2024, 3, 20, 14, 0), 86400),
    (3, 1, "85.00", "paid", (2024, 4, 2, 15, 0), 30),
    (5, 10, "3.00", "paid", (2024, 4, 9, 16, 0), None),
    (5, 4, "3.10", "shipped", (2024, 5, 1, 17, 0), 5),
    (7, 1, "15.00", "paid", (2024, 5, 5, 18, 0), 7200),
    (7, 2, "14.00", "pending", (2024, 6, 7, 19, 0), 120),
]


def insert_data(classes):
    """Insert ITEMS and SALES through one ORM (explicit primary keys)."""
    Item, Sale = classes["Item"], classes["Sale"]
    for pk, (name, cat, price, stock, rating, created, released, opens, note) in enumerate(ITEMS, 1):
        Item.objects.create(
            id=pk, name=name, category=cat, price=Decimal(price), stock=stock, rating=rating,
            created=datetime.datetime(*created, tzinfo=UTC),
            released=datetime.date(*released) if released else None,
            opens=datetime.time(*opens) if opens else None, note=note)
    for pk, (ref, qty, price, status, sold, lasted) in enumerate(SALES, 1):
        Sale.objects.create(id=pk, item_ref=ref + 1, quantity=qty, price=Decimal(price), status=status,
                            sold_at=datetime.datetime(*sold, tzinfo=UTC),
                            lasted=datetime.timedelta(seconds=lasted) if lasted is not None else None)


class Dual:
    """Both ORMs with the shop schema loaded; ``check(code)`` compares one case."""

    def __init__(self, orm_classes, dj_classes):
        import django.db
        import django.db.models
        import django.db.models.expressions
        import django.db.models.functions
        import django.db.models.lookups

        import ormlette.db
        import ormlette.db.models
        import ormlette.db.models.expressions
        import ormlette.db.models.functions
        import ormlette.db.models.lookups

        self.orm_conn = ormlette.db.connection
        self.dj_conn = django.db.connection
        self.orm_ns = dual.namespace(ormlette.db.models, ormlette.db.models.functions, orm_classes,
                                     ormlette.db.models.lookups, ormlette.db.models.expressions)
        self.dj_ns = dual.namespace(django.db.models, django.db.models.functions, dj_classes,
                                    django.db.models.lookups, django.db.models.expressions)
        self.features = self.orm_conn.features
        self.checked = 0

    def check(self, code, messages=False):
        """Compare one case; return ormlette's outcome (known gaps must still fail: strict xfail)."""
        import os

        from tests.expressions.known_gaps import KNOWN_GAPS

        self.checked += 1
        reason = KNOWN_GAPS.get(self.orm_conn.vendor, {}).get(code) or KNOWN_GAPS.get("all", {}).get(code)
        try:
            outcome = dual.run_case(code, self.orm_ns, self.dj_ns, self.orm_conn, self.dj_conn, messages)
        except AssertionError:
            if os.environ.get("ORMLETTE_RECORD_GAPS"):
                with open(os.environ["ORMLETTE_RECORD_GAPS"], "a") as out:
                    out.write("%s\t%s\n" % (self.orm_conn.vendor, code))
            if reason:
                pytest.xfail(reason)
            raise
        if reason:
            pytest.fail("known gap now agrees with Django (strict xfail): delete its entry in "
                        "tests/expressions/known_gaps.py: %s" % code, pytrace=False)
        return outcome


_DJANGO_CLASSES = {}


def django_classes(label):
    """The Django twin of the schema (declared once per process per label)."""
    if label not in _DJANGO_CLASSES:
        dual.configure_django()
        import django.db.models

        _DJANGO_CLASSES[label] = build(django.db.models, label)
    return _DJANGO_CLASSES[label]


def dual_fixture(orm_classes, label, builder=build, inserter=insert_data):
    """A module-scoped fixture yielding a loaded Dual for ``orm_classes``."""

    @pytest.fixture(scope="module")
    def _dual():
        import django.db

        import ormlette.db

        if label not in _DJANGO_CLASSES:
            dual.configure_django()
            import django.db.models

            _DJANGO_CLASSES[label] = builder(django.db.models, label)
        dj_classes = _DJANGO_CLASSES[label]
        orm_models = list(orm_classes.values())
        dj_models = list(dj_classes.values())
        dual.create_tables(ormlette.db.connection, orm_models)
        dual.create_tables(django.db.connection, dj_models)
        try:
            inserter(orm_classes)
            inserter(dj_classes)
            yield Dual(orm_classes, dj_classes)
        finally:
            dual.create_tables(ormlette.db.connection, orm_models, drop=True)
            dual.create_tables(django.db.connection, dj_models, drop=True)

    return _dual
