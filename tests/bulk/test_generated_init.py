"""The per-model generated ``__init__``: installed only where no class defines its own, same rules as Django's."""
import pytest

from ormlette.db import models
from ormlette.db.models import signals
from ormlette.db.models.base import DEFERRED, Model


class Maker(models.Model):
    """A relation target."""

    name = models.CharField(max_length=20)

    class Meta:
        app_label = "initgen"


class Clash(models.Model):
    """Field names equal to the names a generated function might use for itself."""

    data = models.JSONField(null=True)
    given = models.CharField(max_length=5, default="g")
    key = models.IntegerField(default=1)
    value = models.DecimalField(max_digits=5, decimal_places=2, default=0)
    MISSING = models.IntegerField(null=True)
    maker = models.ForeignKey(Maker, models.CASCADE, null=True)

    class Meta:
        app_label = "initgen"


class Custom(models.Model):
    """A model with its own __init__ that calls Model.__init__."""

    name = models.CharField(max_length=20)

    class Meta:
        app_label = "initgen"

    def __init__(self, *args, **kwargs):
        self.seen = dict(kwargs)
        super().__init__(*args, **kwargs)


class CustomBase(models.Model):
    """An abstract base with its own __init__."""

    name = models.CharField(max_length=20)

    class Meta:
        abstract = True

    def __init__(self, *args, **kwargs):
        self.seen = dict(kwargs)
        super().__init__(*args, **kwargs)


class CustomChild(CustomBase):
    """Inherits the custom __init__: keeps it."""

    class Meta:
        app_label = "initgen"


class Named(models.Model):
    """An abstract base without __init__."""

    name = models.CharField(max_length=20)

    class Meta:
        abstract = True


class FirstNamed(Named):
    """One concrete child."""

    class Meta:
        app_label = "initgen"


class SecondNamed(Named):
    """Another, with one more field."""

    rank = models.IntegerField(default=2)

    class Meta:
        app_label = "initgen"


def test_the_generated_function_becomes_the_models_init():
    Maker(name="a")
    assert getattr(Maker.__dict__.get("__init__"), "generated_init", False)
    assert Model.__dict__["__init__"] is not Maker.__init__


def test_fields_named_like_generated_locals_keep_their_values():
    clash = Clash(data={"a": 1}, given="x", key=2, value=3, MISSING=4)
    assert (clash.data, clash.given, clash.key, clash.value, clash.MISSING) == ({"a": 1}, "x", 2, 3, 4)
    defaults = Clash()
    assert (defaults.data, defaults.given, defaults.key, defaults.value, defaults.MISSING) == (None, "g", 1, 0, None)
    assert defaults.maker_id is None


def test_a_custom_init_is_kept_and_reaches_the_same_rules():
    obj = Custom(name="c")
    assert obj.seen == {"name": "c"} and obj.name == "c"
    assert "__init__" in Custom.__dict__ and not getattr(Custom.__init__, "generated_init", False)
    child = CustomChild(name="d")
    assert child.seen == {"name": "d"} and child.name == "d"
    assert "__init__" not in CustomChild.__dict__
    with pytest.raises(TypeError, match="unexpected keyword arguments: 'nope'"):
        Custom(name="c", nope=1)


def test_children_of_one_abstract_base_get_their_own_function():
    first, second = FirstNamed(name="a"), SecondNamed(name="b")
    assert (first.name, second.name, second.rank) == ("a", "b", 2) and not hasattr(first, "rank")
    assert FirstNamed.__dict__["__init__"] is not SecondNamed.__dict__["__init__"]
    assert "__init__" not in Named.__dict__
    with pytest.raises(TypeError, match="Abstract models cannot be instantiated"):
        Named(name="x")


def test_relation_given_as_object_is_cached_and_sets_the_id():
    maker = Maker(pk=7, name="m")
    clash = Clash(maker=maker)
    assert clash.maker_id == 7 and clash.maker is maker
    assert Clash(maker_id=8).maker_id == 8
    assert "maker_id" not in Clash(maker=DEFERRED).__dict__


def test_relation_given_as_object_and_id_follows_djangos_order():
    # Django takes the object for the field, then sets the leftover id keyword as an attribute.
    maker = Maker(pk=7, name="m")
    clash = Clash(maker=maker, maker_id=9)
    assert clash.maker_id == 9


def test_positional_values_and_unknown_keywords_take_the_reference_rules():
    maker = Maker(3, "p")
    assert (maker.pk, maker.name) == (3, "p")
    with pytest.raises(TypeError, match="got both positional and keyword arguments for field 'name'"):
        Maker(3, "p", name="q")
    with pytest.raises(TypeError, match="unexpected keyword arguments: 'a', 'b'"):
        Maker(name="x", a=1, b=2)


def test_receivers_connected_after_the_first_instance_still_run():
    Maker(name="first")
    seen = []

    def before(sender, args, kwargs, **extra):
        seen.append(dict(kwargs))

    signals.pre_init.connect(before, sender=Maker)
    try:
        Maker(name="second")
    finally:
        signals.pre_init.disconnect(before, sender=Maker)
    assert seen == [{"name": "second"}]


def test_a_field_added_later_regenerates_the_init():
    Maker(name="a")
    installed = Maker.__dict__["__init__"]
    models.IntegerField(default=5).contribute_to_class(Maker, "late")
    try:
        assert "__init__" not in Maker.__dict__
        assert Maker(name="b").late == 5
        assert Maker.__dict__["__init__"] is not installed
    finally:
        opts = Maker._meta
        opts.local_fields[:] = [f for f in opts.local_fields if f.name != "late"]
        opts._expire_cache()
        delattr(Maker, "late") if "late" in Maker.__dict__ else None
    assert not hasattr(Maker(name="c"), "late")
