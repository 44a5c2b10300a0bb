"""The get() shortcut (``Model.objects.get(<field>=value)`` without building a QuerySet, and the learned
statement it reuses): same objects and errors as the general path, and every hook still runs.

Each check runs its get() several times: the first call learns the shape, the later ones take the shortcut.
"""
import asyncio

import pytest

from ormlette.conf import settings
from ormlette.core.exceptions import ImproperlyConfigured
from ormlette.db import connection, connections, models, reset_queries, transaction
from ormlette.db.models import Q, signals
from ormlette.db.models.fast.get_shortcut import MISS, manager_get
from ormlette.db.transaction_errors import TransactionManagementError
from ormlette.test.utils import CaptureQueriesContext, assert_num_queries
from tests.backends import clean_tables, use_models

REPEAT = 3
get_calls = []
init_calls = []


class ActiveManager(models.Manager):
    """Only active gadgets."""

    def get_queryset(self):
        return super().get_queryset().filter(active=True)


class CountingQuerySet(models.QuerySet):
    """Records each get() call."""

    def get(self, *args, **kwargs):
        get_calls.append(kwargs)
        return super().get(*args, **kwargs)


class InitCountingQuerySet(models.QuerySet):
    """Records each construction."""

    def __init__(self, *args, **kwargs):
        init_calls.append(kwargs.get("model"))
        super().__init__(*args, **kwargs)


class ExtraQuerySet(models.QuerySet):
    """An extra method; get() is the stock one."""

    def named(self, name):
        return self.filter(name=name)


class Gadget(models.Model):
    """A model with a stock manager and custom ones."""

    name = models.CharField(max_length=30)
    code = models.IntegerField(default=0)
    small = models.SmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    objects = models.Manager()
    active_only = ActiveManager()
    counted = CountingQuerySet.as_manager()
    constructed = InitCountingQuerySet.as_manager()
    extra = models.Manager.from_queryset(ExtraQuerySet)()

    class Meta:
        app_label = "core"


class LoadedGadget(models.Model):
    """Overrides from_db()."""

    name = models.CharField(max_length=30)

    class Meta:
        app_label = "core"

    @classmethod
    def from_db(cls, db, field_names, values):
        obj = super().from_db(db, field_names, values)
        obj.loaded_by_from_db = True
        return obj


tables = use_models(Gadget, LoadedGadget)
cleanup = clean_tables(Gadget, LoadedGadget, autouse=True)
pytestmark = pytest.mark.usefixtures("tables")


def outcome(get, **kwargs):
    """(pk, name) of get(**kwargs), or the exception's type and message."""
    try:
        obj = get(**kwargs)
    except Exception as exc:  # noqa: BLE001 - the outcome is compared
        return type(exc), str(exc)
    return obj.pk, obj.name


def general_outcome(manager, **kwargs):
    """The general path's outcome: a Q argument never takes the shortcut."""
    return outcome(lambda **kw: manager.get(Q(**kw)), **kwargs)


def test_objects_and_errors_match_the_general_path():
    first = Gadget.objects.create(name="a", code=1)
    Gadget.objects.create(name="b", code=1)
    for i in range(25):
        Gadget.objects.create(name="many", code=100 + i)
    lookups = [{"pk": first.pk}, {"id": first.pk}, {"pk__exact": first.pk}, {"name": "a"}, {"name": "b"},
               {"code": 1}, {"name": "many"}, {"pk": first.pk + 1000}, {"name": "missing"}, {"pk": str(first.pk)}]
    for _ in range(REPEAT):
        for kwargs in lookups:
            assert outcome(Gadget.objects.get, **kwargs) == general_outcome(Gadget.objects, **kwargs), kwargs
    assert outcome(Gadget.objects.get, code=1)[1] == "get() returned more than one Gadget -- it returned 2!"
    assert outcome(Gadget.objects.get, name="many")[1] == (
        "get() returned more than one Gadget -- it returned more than 20!")
    assert outcome(Gadget.objects.get, name="missing")[1] == "Gadget matching query does not exist."


@pytest.mark.parametrize("value", [2 ** 70, -2 ** 70, 2 ** 31, 2 ** 63, "abc", "", True, 1.0, None])
def test_unusual_values_behave_as_in_the_general_path(value):
    Gadget.objects.create(name="x", code=1, small=1)
    for _ in range(REPEAT):
        for name in ("pk", "code", "small", "name"):
            assert outcome(Gadget.objects.get, **{name: value}) == general_outcome(Gadget.objects, **{name: value})


def test_a_custom_get_queryset_filter_applies_after_the_shape_was_learned():
    inactive = Gadget.objects.create(name="off", active=False)
    for _ in range(REPEAT):
        assert Gadget.objects.get(pk=inactive.pk).name == "off"
        with pytest.raises(Gadget.DoesNotExist, match="Gadget matching query does not exist."):
            Gadget.active_only.get(pk=inactive.pk)


def test_get_queryset_replaced_on_the_manager_instance_applies(monkeypatch):
    inactive = Gadget.objects.create(name="off", active=False)
    for _ in range(REPEAT):
        Gadget.objects.get(pk=inactive.pk)
    monkeypatch.setattr(Gadget.objects, "get_queryset", lambda: models.QuerySet(Gadget).filter(active=True))
    with pytest.raises(Gadget.DoesNotExist):
        Gadget.objects.get(pk=inactive.pk)


def test_a_custom_queryset_get_is_called_every_time():
    gadget = Gadget.objects.create(name="g")
    get_calls.clear()
    for _ in range(REPEAT):
        assert Gadget.counted.get(pk=gadget.pk).name == "g"
    assert get_calls == [{"pk": gadget.pk}] * REPEAT


def test_a_custom_queryset_init_runs_every_time():
    gadget = Gadget.objects.create(name="i")
    init_calls.clear()
    for _ in range(REPEAT):
        assert Gadget.constructed.get(pk=gadget.pk).name == "i"
    assert init_calls.count(Gadget) >= REPEAT


def test_a_manager_with_extra_queryset_methods_gets_the_right_objects():
    a = Gadget.objects.create(name="a")
    b = Gadget.objects.create(name="b")
    for _ in range(REPEAT):
        assert Gadget.extra.get(pk=a.pk).name == "a" and Gadget.extra.get(name="b").pk == b.pk
        assert Gadget.extra.named("a").get(pk=a.pk).name == "a"
        with pytest.raises(Gadget.DoesNotExist):
            Gadget.extra.named("a").get(pk=b.pk)


def test_init_signals_run_for_a_learned_shape():
    gadget = Gadget.objects.create(name="s")
    for _ in range(REPEAT):
        Gadget.objects.get(pk=gadget.pk)
    seen = []

    def before(sender, args, kwargs, **extra):
        seen.append(("pre", sender))

    def after(sender, instance, **extra):
        seen.append(("post", instance.name))

    signals.pre_init.connect(before, sender=Gadget)
    signals.post_init.connect(after, sender=Gadget)
    try:
        assert Gadget.objects.get(pk=gadget.pk).name == "s"
    finally:
        signals.pre_init.disconnect(before, sender=Gadget)
        signals.post_init.disconnect(after, sender=Gadget)
    assert seen == [("pre", Gadget), ("post", "s")]


def test_an_overridden_from_db_builds_the_objects():
    loaded = LoadedGadget.objects.create(name="l")
    for _ in range(REPEAT):
        assert LoadedGadget.objects.get(pk=loaded.pk).loaded_by_from_db


def test_execute_wrappers_see_the_statement():
    gadget = Gadget.objects.create(name="w")
    for _ in range(REPEAT):
        Gadget.objects.get(pk=gadget.pk)
    seen = []

    def spy(execute, sql, params, many, context):
        seen.append((sql.split()[0].upper(), gadget.pk in list(params)))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(spy):
        for _ in range(REPEAT):
            assert Gadget.objects.get(pk=gadget.pk).name == "w"
    assert seen == [("SELECT", True)] * REPEAT

    def blocker(execute, sql, params, many, context):
        raise RuntimeError("no database access allowed")

    with connection.execute_wrapper(blocker), pytest.raises(RuntimeError, match="no database access"):
        Gadget.objects.get(pk=gadget.pk)


def test_debug_logging_and_query_counting_see_the_statement():
    gadget = Gadget.objects.create(name="d")
    for _ in range(REPEAT):
        Gadget.objects.get(pk=gadget.pk)
    settings.DEBUG = True
    try:
        reset_queries()
        Gadget.objects.get(pk=gadget.pk)
        assert len(connection.queries) == 1 and connection.queries[0]["sql"].upper().startswith("SELECT")
    finally:
        settings.DEBUG = False
    reset_queries()
    Gadget.objects.get(pk=gadget.pk)
    assert connection.queries == []
    with CaptureQueriesContext(connection) as captured:
        Gadget.objects.get(pk=gadget.pk)
    assert len(captured) == 1 and str(gadget.pk) in captured[0]["sql"]
    assert_num_queries(1, Gadget.objects.get, pk=gadget.pk)


def test_the_managers_database_is_used():
    gadget = Gadget.objects.create(name="u")
    for _ in range(REPEAT):
        assert Gadget.objects.db_manager("default").get(pk=gadget.pk)._state.db == "default"
        with pytest.raises(ImproperlyConfigured, match="'nowhere' doesn't exist"):
            Gadget.objects.db_manager("nowhere").get(pk=gadget.pk)
        with pytest.raises(ImproperlyConfigured, match="'nowhere' doesn't exist"):
            Gadget.objects.using("nowhere").get(pk=gadget.pk)


def test_configured_routers_leave_the_database_choice_to_the_queryset(monkeypatch):
    gadget = Gadget.objects.create(name="r")
    assert manager_get(Gadget.objects, {"pk": gadget.pk}).name == "r"
    monkeypatch.setattr(settings, "DATABASE_ROUTERS", [object()])
    assert manager_get(Gadget.objects, {"pk": gadget.pk}) is MISS


def test_transactions_closed_connections_and_broken_transactions():
    gadget = Gadget.objects.create(name="t")
    for _ in range(REPEAT):
        Gadget.objects.get(pk=gadget.pk)
    with transaction.atomic():
        renamed = Gadget.objects.filter(pk=gadget.pk).update(name="t2")
        assert renamed == 1 and Gadget.objects.get(pk=gadget.pk).name == "t2"
        transaction.set_rollback(True)
        with pytest.raises(TransactionManagementError, match="An error occurred in the current transaction"):
            Gadget.objects.get(pk=gadget.pk)
    assert Gadget.objects.get(pk=gadget.pk).name == "t"
    connections["default"].close()
    assert Gadget.objects.get(pk=gadget.pk).name == "t"
    connections["default"]._discard_broken_connection()  # what a disconnect error does
    assert Gadget.objects.get(pk=gadget.pk).name == "t"


def test_aget_applies_the_managers_filter():
    on = Gadget.objects.create(name="on")
    off = Gadget.objects.create(name="off", active=False)

    async def main():
        for _ in range(REPEAT):
            assert (await Gadget.objects.aget(pk=off.pk)).name == "off"
            assert (await Gadget.active_only.aget(pk=on.pk)).name == "on"
            with pytest.raises(Gadget.DoesNotExist):
                await Gadget.active_only.aget(pk=off.pk)

    asyncio.run(main())


def test_inside_an_async_transaction_get_behaves_as_the_general_path():
    gadget = Gadget.objects.create(name="a")
    for _ in range(REPEAT):
        Gadget.objects.get(pk=gadget.pk)

    async def main():
        async with transaction.atomic():
            await Gadget.objects.filter(pk=gadget.pk).aupdate(name="b")
            assert (await Gadget.objects.aget(pk=gadget.pk)).name == "b"
            return outcome(Gadget.objects.get, pk=gadget.pk), general_outcome(Gadget.objects, pk=gadget.pk)

    shortcut, general = asyncio.run(main())
    assert shortcut == general
    assert Gadget.objects.get(pk=gadget.pk).name == "b"
