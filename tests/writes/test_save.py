"""save(), create(), refresh_from_db(), get_or_create(), update_or_create(), update()."""
import datetime
import decimal
import uuid

import pytest

from ormlette.db import DatabaseError, IntegrityError, connection, transaction
from ormlette.db.models import F, Value
from ormlette.db.models.functions import Lower
from ormlette.core.exceptions import FieldDoesNotExist, FieldError
from ormlette.test.utils import CaptureQueriesContext
from tests.backends import clean_tables, use_models
from tests.writes.models import Product, Stamped, Tag, Token

tables = use_models(Product, Stamped, Token, Tag)
cleanup = clean_tables(Product, Stamped, Token, Tag, autouse=True)
pytestmark = pytest.mark.usefixtures("tables")


def queries(func):
    with CaptureQueriesContext(connection) as ctx:
        func()
    return [q["sql"] for q in ctx.captured_queries]


def test_create_sets_pk_defaults_and_auto_now():
    before = datetime.datetime.now(datetime.timezone.utc)
    p = Product.objects.create(name="Lamp", price=decimal.Decimal("9.50"), stock=3)
    assert p.pk is not None and p._state.adding is False and p._state.db == "default"
    assert p.code.startswith("C-")
    assert p.created_at >= before - datetime.timedelta(seconds=1)
    assert p.updated_at >= p.created_at
    other = Product.objects.create(name="Desk")
    assert other.code != p.code  # the callable default ran once per instance
    assert Product.objects.get(pk=p.pk).price == decimal.Decimal("9.50")


def test_save_new_without_pk_is_one_insert():
    p = Product(name="Chair")
    sql = queries(p.save)
    assert len(sql) == 1 and sql[0].upper().startswith("INSERT")


def test_save_existing_is_one_update_and_auto_now_moves():
    p = Product.objects.create(name="Chair")
    created, updated = p.created_at, p.updated_at
    p.name = "Chair 2"
    sql = queries(p.save)
    assert len(sql) == 1 and sql[0].upper().startswith("UPDATE")
    p.refresh_from_db()
    assert p.name == "Chair 2" and p.created_at == created and p.updated_at >= updated


def test_save_with_explicit_pk_updates_then_inserts():
    p = Product(id=12345, name="Explicit")
    sql = queries(p.save)
    # Django: UPDATE first (matches nothing), then INSERT.
    assert [s.split()[0].upper() for s in sql] == ["UPDATE", "INSERT"]
    assert Product.objects.get(pk=12345).name == "Explicit"


def test_pk_default_skips_update():
    t = Token(label="x")
    sql = queries(t.save)
    assert len(sql) == 1 and sql[0].upper().startswith("INSERT")
    assert isinstance(t.pk, uuid.UUID)
    t.label = "y"
    sql = queries(t.save)
    assert len(sql) == 1 and sql[0].upper().startswith("UPDATE")
    assert Token.objects.get(pk=t.pk).label == "y"


def test_update_fields_only_writes_those_columns():
    p = Product.objects.create(name="Old", stock=1)
    Product.objects.filter(pk=p.pk).update(stock=50)
    p.name = "New"
    p.stock = 2
    p.save(update_fields=["name"])
    p.refresh_from_db()
    assert (p.name, p.stock) == ("New", 50)


def test_update_fields_empty_is_noop():
    p = Product.objects.create(name="x")
    assert queries(lambda: p.save(update_fields=[])) == []


def test_update_fields_errors():
    p = Product.objects.create(name="x")
    with pytest.raises(ValueError, match="The following fields do not exist in this model.*: nope"):
        p.save(update_fields=["nope"])
    with pytest.raises(ValueError, match="Cannot force both insert and updating in model saving."):
        p.save(force_insert=True, update_fields=["name"])
    with pytest.raises(ValueError, match="Cannot force an update in save\\(\\) with no primary key."):
        Product(name="y").save(force_update=True)


def test_forced_update_of_missing_row():
    p = Product.objects.create(name="x")
    Product.objects.filter(pk=p.pk).delete()
    with pytest.raises(DatabaseError, match="Forced update did not affect any rows."):
        p.save(force_update=True)
    with pytest.raises(Product.NotUpdated, match="Save with update_fields did not affect any rows."):
        p.save(update_fields=["name"])


def test_force_insert_duplicate_pk_is_integrity_error():
    p = Product.objects.create(name="x")
    dup = Product(id=p.pk, name="dup")
    with pytest.raises(IntegrityError) as info:
        with transaction.atomic():
            dup.save(force_insert=True)
    assert info.value.__cause__ is not None  # the driver's error is chained


def test_db_default_is_returned_after_insert():
    s = Stamped.objects.create(label="a")
    assert s.level == 7
    assert isinstance(s.created, datetime.datetime)
    s2 = Stamped.objects.create(label="b", level=3)
    assert s2.level == 3
    assert Stamped.objects.get(pk=s2.pk).level == 3


def test_refresh_from_db_fields_and_deferred():
    p = Product.objects.create(name="a", stock=1)
    Product.objects.filter(pk=p.pk).update(stock=9, name="b")
    p.refresh_from_db(fields=["stock"])
    assert (p.name, p.stock) == ("a", 9)
    p.refresh_from_db()
    assert p.name == "b"
    d = Product.objects.only("name").get(pk=p.pk)
    assert "stock" in d.get_deferred_fields()
    assert d.stock == 9  # loads on access
    with pytest.raises(ValueError, match='Found "__" in fields argument'):
        p.refresh_from_db(fields=["name__lower"])


def test_deferred_instance_saves_loaded_fields_only():
    p = Product.objects.create(name="a", stock=1)
    d = Product.objects.only("name").get(pk=p.pk)
    Product.objects.filter(pk=p.pk).update(stock=5)
    d.name = "z"
    d.save()
    p.refresh_from_db()
    assert (p.name, p.stock) == ("z", 5)


def test_queryset_update_with_expressions_and_count():
    Product.objects.create(name="A", stock=5)
    Product.objects.create(name="B", stock=0)
    n = Product.objects.filter(stock__gt=0).update(stock=F("stock") * 2 + 1, name=Lower(Value("X")))
    assert n == 1
    assert sorted(Product.objects.values_list("name", "stock")) == [("B", 0), ("x", 11)]
    assert Product.objects.filter(name="nothing").update(stock=1) == 0
    assert Product.objects.update(status="archived") == 2


def test_update_rejects_bad_fields():
    with pytest.raises(FieldDoesNotExist, match="Product has no field named 'nope'"):
        Product.objects.update(nope=1)
    with pytest.raises(TypeError, match="Cannot update a query once a slice has been taken."):
        Product.objects.all()[:1].update(stock=1)


def test_get_or_create():
    obj, created = Tag.objects.get_or_create(name="py", defaults={"uses": 3})
    assert created and obj.uses == 3
    obj2, created = Tag.objects.get_or_create(name="py", defaults={"uses": 9})
    assert not created and obj2.pk == obj.pk and obj2.uses == 3
    obj3, created = Tag.objects.get_or_create(name__iexact="PY", defaults={"name": "PY"})
    assert not created and obj3.pk == obj.pk
    obj4, created = Tag.objects.get_or_create(name="dj", defaults={"uses": lambda: 42})
    assert created and obj4.uses == 42
    with pytest.raises(FieldError, match="Invalid field name\\(s\\) for model Tag: 'bogus'."):
        Tag.objects.get_or_create(name="x", defaults={"bogus": 1})


def test_get_or_create_integrity_error_when_still_missing():
    Tag.objects.create(name="taken")
    # The lookup does not find "taken", the insert clashes on it, and the retry finds nothing.
    with pytest.raises(IntegrityError):
        Tag.objects.get_or_create(name="other", uses=1, defaults={"name": "taken"})


def test_update_or_create():
    obj, created = Tag.objects.update_or_create(name="a", defaults={"uses": 1})
    assert created and obj.uses == 1
    obj, created = Tag.objects.update_or_create(name="a", defaults={"uses": 2})
    assert not created and Tag.objects.get(name="a").uses == 2
    obj, created = Tag.objects.update_or_create(name="b", defaults={"uses": 5}, create_defaults={"uses": 50})
    assert created and obj.uses == 50
    obj, created = Tag.objects.update_or_create(name="b", defaults={"uses": 5}, create_defaults={"uses": 50})
    assert not created and obj.uses == 5


def test_update_or_create_saves_only_defaults():
    Tag.objects.create(name="c", uses=1)
    sql = queries(lambda: Tag.objects.update_or_create(name="c", defaults={"uses": 2}))
    updates = [s for s in sql if s.upper().startswith("UPDATE")]
    assert len(updates) == 1 and "name" not in updates[0].split("SET")[1].split("WHERE")[0]


def test_select_for_update_in_update_or_create_locks_on_servers():
    Tag.objects.create(name="d", uses=1)
    sql = queries(lambda: Tag.objects.update_or_create(name="d", defaults={"uses": 2}))
    selects = [s for s in sql if s.upper().startswith("SELECT")]
    assert ("FOR UPDATE" in selects[0].upper()) == connection.features.has_select_for_update
