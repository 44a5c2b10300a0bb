"""The tables ormlette creates from models equal the ones Django 5.2 creates (read with SQLAlchemy's inspector)."""
import math

import pytest

import ormlette
from ormlette.db import IntegrityError, connection, transaction
from tests import backends
from tests.migrations.django_project import DjangoProject
from tests.migrations.helpers import drop_tables, ormlette_models
from tests.migrations.inspect import schema_of

SOURCE = '''
from django.db import models


class Shelf(models.Model):
    id = models.AutoField(primary_key=True)
    name = models.CharField(max_length=40, unique=True)
    favourite = models.ForeignKey("Volume", models.SET_NULL, null=True, related_name="+")

    class Meta:
        app_label = "migr_parity"


class Volume(models.Model):
    title = models.CharField(max_length=100, db_index=True)
    body = models.TextField(default="")
    pages = models.PositiveIntegerField(default=0)
    price = models.DecimalField(max_digits=7, decimal_places=2, null=True)
    active = models.BooleanField(default=True)
    added = models.DateTimeField(null=True)
    data = models.JSONField(null=True)
    shelf = models.ForeignKey(Shelf, models.CASCADE)
    tags = models.ManyToManyField("Tag")

    class Meta:
        app_label = "migr_parity"
        unique_together = [("title", "shelf")]
        indexes = [models.Index(fields=["pages", "-title"], name="migr_parity_pages_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(pages__lt=100000), name="migr_parity_pages_lt"),
            models.UniqueConstraint(fields=["body", "price"], name="migr_parity_body_price_uniq"),
        ]


class Tag(models.Model):
    label = models.SlugField()

    class Meta:
        app_label = "migr_parity"
'''


@pytest.fixture(scope="module")
def parity(tmp_path_factory):
    project = DjangoProject(tmp_path_factory.mktemp("django_parity"), "migr_parity", migrations=False)
    project.write_models(SOURCE)
    module = ormlette_models(SOURCE, "migr_parity.models")
    try:
        project.call((["migrate"], {"run_syncdb": True, "verbosity": 0}))
        ormlette.create_tables(*module.declared)
        yield module
    finally:
        drop_tables(backends.TEST_DB, "migr_parity_")
        drop_tables(backends.REFERENCE_DB, "migr_parity_")
        drop_tables(backends.REFERENCE_DB, "django_migrations")
        module.forget()


def test_tables_equal_djangos(parity):
    ours = schema_of(backends.TEST_DB, "migr_parity_")
    theirs = schema_of(backends.REFERENCE_DB, "migr_parity_")
    assert sorted(ours) == sorted(theirs) == ["migr_parity_shelf", "migr_parity_tag", "migr_parity_volume",
                                              "migr_parity_volume_tags"]
    for table in theirs:
        for part in theirs[table]:
            assert ours[table][part] == theirs[table][part], (table, part)


def test_deleted_rows_key_is_not_reused(parity):
    Tag = parity.Tag
    first = Tag.objects.create(label="a")
    second = Tag.objects.create(label="b")
    deleted_pk = second.pk
    second.delete()
    third = Tag.objects.create(label="c")
    assert third.pk > deleted_pk > first.pk
    Tag.objects.all().delete()


def test_models_referencing_each_other_are_created(parity):
    shelf = parity.Shelf.objects.create(name="s")
    volume = parity.Volume.objects.create(title="t", shelf=shelf)
    shelf.favourite = volume
    shelf.save()
    assert parity.Shelf.objects.get(favourite__title="t") == shelf
    with pytest.raises(IntegrityError):
        with transaction.atomic():
            parity.Volume.objects.create(title="u", shelf_id=shelf.pk + 1000)
    parity.Shelf.objects.update(favourite=None)
    parity.Volume.objects.all().delete()
    parity.Shelf.objects.all().delete()


@pytest.mark.skipif(backends.VENDOR != "sqlite", reason="the JSON_VALID check is SQLite's (PostgreSQL's jsonb "
                    "and MariaDB's JSON type check the text themselves)")
@pytest.mark.parametrize("value", [math.nan, math.inf])
def test_json_column_refuses_nan_and_inf(parity, value):
    shelf = parity.Shelf.objects.create(name="j")
    try:
        with pytest.raises(IntegrityError):
            with transaction.atomic():
                parity.Volume.objects.create(title="j", shelf=shelf, data={"x": value})
        assert connection.vendor == "sqlite"
    finally:
        parity.Shelf.objects.all().delete()
