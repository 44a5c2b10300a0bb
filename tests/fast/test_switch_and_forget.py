"""The one switch (ORMLETTE_FAST / fast.disable() / fast.enable()), the one invalidation point
(fast.forget(): register_lookup, add_to_class, settings, reconnection) and per-process state after fork."""
import os
import sys

import pytest

from ormlette.conf import settings
from ormlette.db import connection, connections, models
from ormlette.db.models import fast
from ormlette.db.models.fast import get_shortcut as fastpath, recipes
from ormlette.db.models.lookups.base import Exact
from ormlette.db.models.sql.cache import statement_cache
from ormlette.utils import learned
from tests.backends import use_models, requires_fast


class Gauge(models.Model):
    """Rows for the switch and invalidation checks."""

    name = models.CharField(max_length=30)
    level = models.IntegerField(default=0)

    class Meta:
        app_label = "fastsw"
        ordering = ["id"]


class Widened(models.Model):
    """A model that gains a field (add_to_class) in one test."""

    name = models.CharField(max_length=30)

    class Meta:
        app_label = "fastsw"


tables = use_models(Gauge, Widened, autouse=True)


@pytest.fixture(scope="module", autouse=True)
def rows(tables):
    Gauge.objects.bulk_create([Gauge(name=n, level=i) for i, n in enumerate(["ann", "Bob", "cy", "dee"])])
    Widened.objects.create(name="w1")


@pytest.fixture
def restore_mode():
    yield
    learned.set_mode(learned.env_mode())


def _repeat(query, times=3):
    return [query() for _ in range(times)]


# -- the switch ------------------------------------------------------------------------------------
def test_env_words_and_bad_word(monkeypatch):
    for word, mode in [("0", "off"), ("1", "on"), ("verify", "verify"), ("", "on"), ("OFF", "off")]:
        monkeypatch.setenv("ORMLETTE_FAST", word)
        assert learned.env_mode() == mode
    monkeypatch.setenv("ORMLETTE_FAST", "fastest")
    with pytest.raises(ValueError, match="ORMLETTE_FAST must be 1, 0 or verify, not 'fastest'"):
        learned.env_mode()


def test_enable_restores_the_environment_mode(monkeypatch, restore_mode):
    monkeypatch.setenv("ORMLETTE_FAST", "verify")
    fast.disable()
    assert fast.mode() == "off" and not fast.enabled()
    fast.enable()
    assert fast.mode() == "verify" and fast.verifying()
    monkeypatch.setenv("ORMLETTE_FAST", "0")
    fast.enable()
    assert fast.mode() == "on"


def test_disabled_learns_nothing_and_takes_no_shortcut(restore_mode):
    fast.disable()
    connection.drop_reusable_cursor()
    cache = statement_cache(connection)
    before = len(cache)
    qs = Gauge.objects.filter(level=1)
    assert qs._recipe is None and qs._query is not None
    assert _repeat(lambda: [g.name for g in Gauge.objects.filter(level__gte=1).order_by("name")[:2]]) == [
        ["Bob", "cy"]] * 3
    assert _repeat(lambda: Gauge.objects.get(name="cy").level) == [2] * 3
    assert _repeat(lambda: Gauge.objects.filter(level__gt=0).count()) == [3] * 3
    assert not fastpath._shapes and not recipes._roots
    assert len(cache) == before == 0
    assert connection._reusable_cursor is None
    assert fastpath.manager_get(Gauge.objects, {"name": "cy"}) is fastpath.MISS


def test_enabled_learns(restore_mode):
    fast.enable()
    _repeat(lambda: Gauge.objects.get(name="cy"))
    _repeat(lambda: list(Gauge.objects.filter(level=1)))
    assert any(key[0] is Gauge for key in fastpath._shapes)
    assert Gauge in recipes._roots and recipes._roots[Gauge].steps
    assert len(statement_cache(connection)) > 0


# -- the invalidation point ------------------------------------------------------------------------
@requires_fast
def test_forget_all_and_per_model():
    _repeat(lambda: Gauge.objects.get(name="cy"))
    _repeat(lambda: Widened.objects.get(name="w1"))
    old_root = recipes.root(Gauge)
    list(Gauge.objects.filter(level=1))
    assert old_root.steps
    fast.forget(Widened)
    assert not any(key[0] is Widened for key in fastpath._shapes)
    assert any(key[0] is Gauge for key in fastpath._shapes)
    assert not old_root.steps and recipes.root(Gauge) is not old_root  # templates may join through any model
    fast.forget()
    assert not fastpath._shapes and not recipes._roots and len(statement_cache(connection)) == 0


class SameLengthExact(Exact):
    """``exact`` replaced by "as long as" (a replacement registered over the stock one)."""

    lookup_name = "exact"

    def as_sa(self, c):
        import sqlalchemy as sa

        return sa.func.length(self.lhs.as_sa(c)) == sa.func.length(c.param(self.rhs))

    def key(self, k):
        k.param(self.rhs)
        return (type(self), self.lhs.key(k), "length")


def test_register_lookup_replaces_learned_lookups():
    assert _repeat(lambda: Gauge.objects.filter(name="zz").count()) == [0] * 3
    assert _repeat(lambda: [g.level for g in Gauge.objects.filter(name="zz")]) == [[]] * 3
    with pytest.raises(Gauge.DoesNotExist):
        Gauge.objects.get(name="zz")
    models.CharField.register_lookup(SameLengthExact)
    try:
        assert _repeat(lambda: Gauge.objects.filter(name="zz").count()) == [1] * 3
        assert _repeat(lambda: [g.level for g in Gauge.objects.filter(name="zz")]) == [[2]] * 3
        assert _repeat(lambda: Gauge.objects.get(name="zz").level) == [2] * 3
    finally:
        models.CharField._unregister_lookup(SameLengthExact)
    assert _repeat(lambda: Gauge.objects.filter(name="zz").count()) == [0] * 3
    with pytest.raises(Gauge.DoesNotExist):
        Gauge.objects.get(name="zz")


def test_add_to_class_changes_learned_column_lists():
    assert _repeat(lambda: sorted(vars(Widened.objects.get(name="w1")))) == [sorted(
        vars(Widened.objects.get(name="w1")))] * 3
    assert _repeat(lambda: list(Widened.objects.filter(name="w1").values())) == [[{"id": 1, "name": "w1"}]] * 3
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE %s ADD COLUMN %s integer NULL" % (quote(Widened._meta.db_table), quote("extra")))
        cursor.execute("UPDATE %s SET %s = 7" % (quote(Widened._meta.db_table), quote("extra")))
    Widened.add_to_class("extra", models.IntegerField(null=True))
    assert _repeat(lambda: Widened.objects.get(name="w1").__dict__.get("extra")) == [7] * 3
    assert _repeat(lambda: [w.__dict__.get("extra") for w in Widened.objects.filter(name="w1")]) == [[7]] * 3
    assert _repeat(lambda: list(Widened.objects.filter(name="w1").values())) == [
        [{"id": 1, "name": "w1", "extra": 7}]] * 3


@requires_fast
def test_sql_settings_changes_forget():
    _repeat(lambda: Gauge.objects.get(name="cy"))
    assert fastpath._shapes
    settings.USE_TZ = settings.USE_TZ  # same value: nothing to forget
    assert fastpath._shapes
    old = settings.TIME_ZONE
    settings.TIME_ZONE = "Europe/Paris"
    try:
        assert not fastpath._shapes
    finally:
        settings.TIME_ZONE = old


@requires_fast
def test_server_version_change_forgets():
    _repeat(lambda: Gauge.objects.get(name="cy"))
    learned.note_server("fastsw-test", "x", (1, 0))
    learned.note_server("fastsw-test", "x", (1, 0))
    assert fastpath._shapes
    learned.note_server("fastsw-test", "x", (2, 0))
    assert not fastpath._shapes


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_forked_child_keeps_nothing_of_the_parents_connections():
    _repeat(lambda: Gauge.objects.get(name="cy"))
    assert connection.connection is not None
    parent_dbapi = connection.dbapi
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report, then leave without running the parent's atexit handlers
        try:
            wrappers_clean = all(w.connection is None and w.dbapi is None and w._reusable_cursor is None
                                 for w in connections._all)
            engines_clean = not connections._engines
            level = Gauge.objects.get(name="cy").level  # a connection of its own
            own = connection.dbapi is not None and connection.dbapi is not parent_dbapi
            os.write(write, repr((wrappers_clean, engines_clean, level, own)).encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        report = pipe.read()
    os.waitpid(pid, 0)
    assert report == "(True, True, 2, True)"
    assert connection.dbapi is parent_dbapi
    assert Gauge.objects.get(name="dee").level == 3  # the parent's connection still works
