"""save()/create() skip a field's preparation only for values its stock preparation keeps unchanged
(ormlette/db/models/fields/unchanged.py): fields whose preparation changes values keep their calls."""
import pytest

from ormlette.db import models
from ormlette.db.models import Value
from ormlette.db.models.fast.unchanged import ANY_VALUE, prep_unchanged_types, save_unchanged_types
from ormlette.db.models.functions import Lower
from tests.backends import clean_tables, use_models
from tests.value_changing_fields import LowerCaseField, PlusOneField, TrimmedSaveField

PLAIN = (int, str, float, bool)


class UpperMixin:
    """A get_prep_value in front of CharField's stock one."""

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return value.upper() if isinstance(value, str) else value


class ShoutField(UpperMixin, models.CharField):
    """Upper-cases, then prepares as a CharField."""


class Coded(models.Model):
    """A row of stock and value-changing fields."""

    code = models.CharField(max_length=20, primary_key=True)
    lower = LowerCaseField(max_length=20, default="")
    plus = PlusOneField(default=0)
    trimmed = TrimmedSaveField(max_length=20, default="")
    shout = ShoutField(max_length=20, default="")
    ratio = models.FloatField(default=0.0)
    flag = models.BooleanField(default=False)

    class Meta:
        app_label = "unchanged_values"


class CodedChild(models.Model):
    """A foreign key to a text primary key."""

    parent = models.ForeignKey(Coded, on_delete=models.CASCADE)
    label = models.CharField(max_length=20, default="")

    class Meta:
        app_label = "unchanged_values"


tables = use_models(Coded, CodedChild)
cleanup = clean_tables(Coded, CodedChild, autouse=True)
pytestmark = pytest.mark.usefixtures("tables")


def field(name, model=Coded):
    return model._meta.get_field(name)


def test_only_stock_preparation_counts_as_unchanged():
    assert save_unchanged_types(field("code"), PLAIN) == {str}
    assert save_unchanged_types(field("ratio"), PLAIN) == {float}
    assert save_unchanged_types(field("flag"), PLAIN) == {bool}
    assert save_unchanged_types(field("parent", CodedChild), PLAIN) == {str}
    for name in ("lower", "plus", "trimmed", "shout"):
        assert not save_unchanged_types(field(name), PLAIN), name
    assert prep_unchanged_types(models.Field()) is ANY_VALUE


def test_create_and_save_keep_value_changing_preparation():
    for _ in range(2):  # the second round runs on the model's cached insert plan
        Coded.objects.all().delete()
        obj = Coded.objects.create(code="a", lower="MiXeD", plus=4, trimmed="  t  ", shout="quiet", ratio=1.5,
                                   flag=True)
        row = Coded.objects.values("lower", "plus", "trimmed", "shout", "ratio", "flag").get(code="a")
        assert row == {"lower": "mixed", "plus": 5, "trimmed": "t", "shout": "QUIET", "ratio": 1.5, "flag": True}
        obj.lower, obj.plus = "AGAIN", 10
        obj.save()
        assert Coded.objects.values_list("lower", "plus").get(code="a") == ("again", 11)


def test_foreign_keys_to_text_keys_and_expressions_are_saved():
    parent = Coded.objects.create(code="p1")
    child = CodedChild.objects.create(parent_id="p1", label="x")
    assert CodedChild.objects.get(pk=child.pk).parent == parent
    expr = Coded.objects.create(code="e1", lower=Lower(Value("ABC")), plus=7)
    expr.refresh_from_db()
    assert (expr.lower, expr.plus) == ("abc", 8)


def test_values_of_other_types_still_convert():
    obj = Coded.objects.create(code=12, plus="3", ratio=2, flag=1)
    obj.refresh_from_db()
    assert (obj.code, obj.plus, obj.ratio, obj.flag) == ("12", 4, 2.0, True)


def test_bulk_writes_keep_value_changing_preparation():
    Coded.objects.bulk_create([Coded(code="b%d" % i, lower="UP%d" % i, plus=i, shout="s", ratio=0.5, flag=False)
                               for i in range(3)])
    assert sorted(Coded.objects.values_list("lower", "plus", "shout")) == [
        ("up0", 1, "S"), ("up1", 2, "S"), ("up2", 3, "S")]
    objs = list(Coded.objects.order_by("code"))
    for obj in objs:
        obj.lower, obj.plus, obj.trimmed = "AGAIN", 10, "  x "
    Coded.objects.bulk_update(objs, ["lower", "plus", "trimmed"])
    assert set(Coded.objects.values_list("lower", "plus", "trimmed")) == {("again", 11, "x")}
