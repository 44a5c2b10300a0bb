"""Model declaration: Meta, abstract inheritance, _meta, identity, choices."""
import pytest

from ormlette.core.exceptions import FieldDoesNotExist, MultipleObjectsReturned, ObjectDoesNotExist
from ormlette.db import models
from tests.backends import clean_tables, use_models
from tests.core.models import Item, Kind, Note

tables = use_models(Item, Note)
cleanup = clean_tables(Item, Note, autouse=True)
pytestmark = pytest.mark.usefixtures("tables")


def test_table_names_and_app_label():
    assert Item._meta.db_table == "core_item"
    assert Item._meta.app_label == "core"
    assert Item._meta.label == "core.Item"
    assert Item._meta.verbose_name == "item"
    assert Item._meta.verbose_name_plural == "items"


def test_app_label_from_module():
    namespace = {"__name__": "shop.models"}
    exec("from ormlette.db import models\nclass Basket(models.Model):\n    name = models.CharField(max_length=5)\n",
         namespace)
    assert namespace["Basket"]._meta.app_label == "shop"
    assert namespace["Basket"]._meta.db_table == "shop_basket"


def test_abstract_inheritance_copies_fields_meta_and_managers():
    names = [f.name for f in Item._meta.fields]
    assert names[:3] == ["id", "created", "updated"]
    assert Item._meta.ordering == ["-created"]
    assert Item._meta.get_latest_by == "created"
    assert Item.objects.model is Item
    with pytest.raises(TypeError):
        from tests.core.models import Stamped

        Stamped()


def test_default_pk_is_big_auto_field():
    assert isinstance(Item._meta.pk, models.BigAutoField)
    assert Item._meta.pk.name == "id"


def test_get_field_and_get_fields():
    assert Item._meta.get_field("title").max_length == 100
    with pytest.raises(FieldDoesNotExist, match="Item has no field named 'nope'"):
        Item._meta.get_field("nope")
    assert {"title", "price"} <= {f.name for f in Item._meta.get_fields()}


def test_does_not_exist_per_model():
    assert issubclass(Item.DoesNotExist, ObjectDoesNotExist)
    assert Item.DoesNotExist is not Note.DoesNotExist
    assert issubclass(Item.MultipleObjectsReturned, MultipleObjectsReturned)
    with pytest.raises(Item.DoesNotExist, match="Item matching query does not exist."):
        Item.objects.get(pk=12345)


def test_identity_eq_hash_str_repr():
    a = Item.objects.create(title="A")
    same = Item.objects.get(pk=a.pk)
    assert a == same and hash(a) == hash(same)
    assert a != Note(pk=a.pk)
    assert str(a) == "A" and repr(a) == "<Item: A>"
    n = Note(text="x")
    assert str(n) == "Note object (None)"
    with pytest.raises(TypeError, match="unhashable"):
        hash(n)
    assert n == n and n != Note(text="x")


def test_choices_and_display():
    item = Item(title="t", kind=Kind.MAGAZINE)
    assert item.get_kind_display() == "Magazine"
    item.kind = "zz"
    assert item.get_kind_display() == "zz"
    assert Kind.choices == [("bk", "Book"), ("mg", "Magazine")]
    assert Kind.BOOK.label == "Book"


def test_init_errors():
    with pytest.raises(TypeError, match="unexpected keyword arguments: 'nope'"):
        Item(nope=1)
    with pytest.raises(IndexError):
        Note(1, "a", 2, None, 5)
    note = Note(None, "pos", 3)
    assert (note.text, note.n) == ("pos", 3)


def test_defaults_callable_and_static():
    a, b = Item(title="a"), Item(title="b")
    assert a.uid != b.uid and a.price == 0 and a.kind == "bk" and a.body == ""


def test_pk_property_and_refresh():
    note = Note.objects.create(text="x", n=1)
    note.pk = note.pk
    Note.objects.filter(pk=note.pk).update(n=5)
    note.refresh_from_db()
    assert note.n == 5
    note.n = 9
    note.refresh_from_db(fields=["n"])
    assert note.n == 5


def test_deferred_field_loads_on_access():
    Note.objects.create(text="lazy", n=2)
    note = Note.objects.only("text").get()
    assert note.get_deferred_fields() == {"n", "when"}
    assert note.n == 2
    assert note.get_deferred_fields() == {"when"}


def test_class_level_field_access_returns_descriptor():
    assert Item.title.field is Item._meta.get_field("title")
