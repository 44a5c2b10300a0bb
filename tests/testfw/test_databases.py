"""Test database helpers: model order, the migrations seam, project configuration."""
import pytest

from ormlette.conf.project import from_pyproject, load_project
from ormlette.core.exceptions import ImproperlyConfigured
from ormlette.db import connection
from ormlette.test import databases
from tests.testfw.migrated_app.models import Ledger
from tests.testfw.models import Author, Book
from tests.testfw.seed004.models import Address, Customer, Order, OrderItem, Product


def test_models_come_after_the_models_they_reference():
    ordered = databases._dependency_order([OrderItem, Order, Book, Product, Author, Customer, Address])
    position = {model: index for index, model in enumerate(ordered)}
    assert position[Order] < position[OrderItem] and position[Product] < position[OrderItem]
    assert position[Customer] < position[Order] and position[Address] < position[Order]
    assert position[Author] < position[Book]
    assert sorted(ordered, key=id) == sorted([OrderItem, Order, Book, Product, Author, Customer, Address], key=id)


def test_apps_with_migrations_go_through_the_seam(monkeypatch):
    assert databases.apps_with_migrations([Ledger, Author]) == {"testfw_migrated"}
    calls = []
    fake = type("FakeMigrations", (), {"migrate_for_tests": staticmethod(lambda conn, labels: calls.append(labels))})
    monkeypatch.setattr("ormlette.db.migrations", fake, raising=False)
    monkeypatch.setitem(__import__("sys").modules, "ormlette.db.migrations", fake)
    assert databases.run_migrations(connection, {"testfw_migrated"}) == {"testfw_migrated"}
    assert calls == [{"testfw_migrated"}]


def test_without_a_migrations_package_the_seam_warns_and_models_make_the_tables(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "ormlette.db.migrations", None)  # import fails
    with pytest.warns(UserWarning, match="Apps testfw_migrated have migrations, but ormlette.db.migrations"):
        assert databases.run_migrations(connection, {"testfw_migrated"}) == set()


def test_pyproject_table_is_read(tmp_path):
    project = from_pyproject(tmp_path / "pyproject.toml", {
        "models": ["shop.models"], "databases": {"default": "sqlite:///app.db",
                                                  "other": {"url": "sqlite:///o.db", "TEST": {"NAME": "t.db"}}},
        "USE_TZ": False})
    assert project.models == ["shop.models"] and project.root == tmp_path
    assert project.settings["DATABASES"]["default"]["NAME"] == str(tmp_path / "app.db")
    assert project.settings["DATABASES"]["other"]["TEST"] == {"NAME": "t.db"}
    assert project.settings["USE_TZ"] is False
    with pytest.raises(ImproperlyConfigured, match="unknown key"):
        from_pyproject(tmp_path / "pyproject.toml", {"modles": []})
    with pytest.raises(ImproperlyConfigured, match="both 'database' and 'databases'"):
        from_pyproject(tmp_path / "pyproject.toml", {"database": "sqlite://", "databases": {}})


def test_nearest_pyproject_with_a_table_wins(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.ormlette]\nmodels = ["outer.models"]\ndatabase = "sqlite://"\n')
    inner = tmp_path / "pkg" / "sub"
    inner.mkdir(parents=True)
    (tmp_path / "pkg" / "pyproject.toml").write_text('[project]\nname = "x"\n')  # no [tool.ormlette]
    project = load_project(start=inner, environ={})
    assert project.source == "pyproject" and project.models == ["outer.models"]
    assert project.settings["DATABASES"]["default"]["NAME"] == ":memory:"
    assert load_project(start=tmp_path.parent, environ={"DATABASE_URL": "sqlite:///x.db"}).source == "DATABASE_URL"
