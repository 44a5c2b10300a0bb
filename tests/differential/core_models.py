"""Single-table models and data for the QuerySet core / lookup differential tests (issue 2 items 4-5)."""
import datetime
import decimal
import uuid

SOURCE = '''
from django.db import models


class Author(models.Model):
    name = models.CharField(max_length=100)
    email = models.EmailField(null=True, blank=True, unique=True)
    age = models.IntegerField(null=True)
    rating = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    score = models.FloatField(null=True)
    active = models.BooleanField(default=True)
    created = models.DateTimeField(null=True)
    birthday = models.DateField(null=True)
    wake = models.TimeField(null=True)
    uid = models.UUIDField(null=True)
    data = models.JSONField(null=True)
    bio = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class EntryQuerySet(models.QuerySet):
    def flagged(self):
        return self.filter(flag=True)

    def popular(self, views=100):
        return self.filter(views__gte=views)


class FlaggedManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(flag=True)


class Entry(models.Model):
    title = models.CharField(max_length=100)
    code = models.CharField(max_length=20, null=True)
    views = models.IntegerField(default=0)
    pub = models.DateTimeField(null=True)
    flag = models.BooleanField(default=False)

    objects = models.Manager()
    flagged_only = FlaggedManager()
    qs = EntryQuerySet.as_manager()
    custom = models.Manager.from_queryset(EntryQuerySet)()
'''

UTC = datetime.timezone.utc

NAMES = [
    "Ann", "ann", "Bob", "Carla", "Dan", "100% pure", "under_score", "back\\slash", "O'Brien",
    "Emile", "Zed", "Yuri", "Xena", "Walt", "Vera", "Uma", "Tom", "Sam", "Rita", "Quinn",
    "Pat", "Olga", "Ned", "Mia", "Lou", "Kim", "50%_off",
]

# Edge dates around ISO-year and quarter boundaries for the date transforms.
EDGE_CREATED = [
    datetime.datetime(2020, 12, 31, 23, 59, 59, tzinfo=UTC),
    datetime.datetime(2021, 1, 1, 0, 0, 0, tzinfo=UTC),
    datetime.datetime(2019, 12, 30, 12, 30, 45, 123456, tzinfo=UTC),
    datetime.datetime(2021, 1, 3, 6, 0, 0, tzinfo=UTC),
]


def author_row(i):
    """Deterministic field values for the i-th author (some NULLs in every nullable column)."""
    created = None if i % 8 == 7 else datetime.datetime(
        2019 + i % 4, 1 + i % 12, 1 + (i * 3) % 28, i % 24, (i * 7) % 60, (i * 13) % 60, tzinfo=UTC)
    if i < len(EDGE_CREATED):
        created = EDGE_CREATED[i]
    return {
        "name": NAMES[i],
        "email": None if i % 4 == 0 else "user%d@example.com" % i,
        "age": None if i % 7 == 3 else 18 + (i * 7) % 50,
        "rating": None if i % 5 == 4 else decimal.Decimal("%d.%02d" % divmod((i * 37) % 500, 100)),
        "score": None if i % 6 == 5 else i * 1.25,
        "active": i % 3 != 0,
        "created": created,
        "birthday": None if i % 9 == 8 else datetime.date(1960 + i * 2, 1 + (i * 5) % 12, 1 + (i * 11) % 28),
        "wake": None if i % 10 == 9 else datetime.time(5 + i % 6, (i * 10) % 60, (i * 17) % 60),
        "uid": uuid.UUID(int=i + 1) if i % 2 == 0 else None,
        "data": None if i % 3 == 0 else {"i": i, "tags": ["t%d" % (i % 4)], "nested": {"even": i % 2 == 0}},
        "bio": "bio of %s" % NAMES[i] if i % 2 else "",
    }


ENTRIES = [
    {"title": "alpha", "code": "A1", "views": 10, "pub": datetime.datetime(2021, 3, 1, 9, 0, tzinfo=UTC), "flag": True},
    {"title": "beta", "code": None, "views": 150, "pub": datetime.datetime(2021, 6, 15, 18, 30, tzinfo=UTC),
     "flag": False},
    {"title": "gamma", "code": "G_1", "views": 300, "pub": None, "flag": True},
    {"title": "delta", "code": "D%1", "views": 0, "pub": datetime.datetime(2020, 1, 1, tzinfo=UTC), "flag": False},
    {"title": "epsilon", "code": "E\\1", "views": 99, "pub": datetime.datetime(2022, 12, 31, 23, 0, tzinfo=UTC),
     "flag": True},
    {"title": "zeta", "code": "z1", "views": 100, "pub": datetime.datetime(2021, 3, 1, 9, 0, tzinfo=UTC), "flag": False},
]


def load(ns):
    """Insert the same rows, one create() at a time (pks 1..N on both sides)."""
    for i in range(len(NAMES)):
        ns.Author.objects.create(**author_row(i))
    for row in ENTRIES:
        ns.Entry.objects.create(**row)


def differential():
    """The shared Differential for the core/lookup modules (one label, built once per process)."""
    from tests.differential.harness import Differential

    global _DIFF
    if _DIFF is None:
        _DIFF = Differential(SOURCE, label="diffcore", data=load)
    return _DIFF


_DIFF = None
