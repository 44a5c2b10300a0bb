"""SQL logging as Django: DEBUG=True logs each statement on ``ormlette.db.backends`` at DEBUG."""
import logging

import pytest

from ormlette.conf import settings
from ormlette.db import connection
from tests.backends import clean_tables, use_models
from tests.connections.models import Customer

tables = use_models(Customer)
cleanup = clean_tables(Customer, autouse=True)
pytestmark = pytest.mark.usefixtures("tables")


@pytest.fixture
def debug():
    previous = settings.DEBUG
    settings.DEBUG = True
    yield
    settings.DEBUG = previous


def test_debug_logs_every_statement_with_duration_sql_params_alias(debug, caplog):
    Customer.objects.create(name="ann")
    with caplog.at_level(logging.DEBUG, logger="ormlette.db.backends"):
        Customer.objects.filter(name="ann").count()
        Customer.objects.get(name="ann")
        list(Customer.objects.filter(name__startswith="a"))
    records = [r for r in caplog.records if r.name == "ormlette.db.backends"]
    assert len(records) == 3
    for record in records:
        assert record.levelno == logging.DEBUG
        assert isinstance(record.duration, float) and record.duration >= 0
        assert record.alias == "default"
        assert "customer" in record.sql.lower()
        message = record.getMessage()
        assert message.startswith("(%.3f) " % record.duration) and "alias=default" in message
    assert "ann" in str(records[0].params)
    assert [entry["sql"] for entry in connection.queries[-3:]] == [r.sql for r in records]


def test_nothing_is_logged_or_formatted_without_debug(caplog, monkeypatch):
    calls = []
    original = type(connection.ops).last_executed_query
    monkeypatch.setattr(type(connection.ops), "last_executed_query",
                        lambda self, *args: calls.append(args) or original(self, *args))
    Customer.objects.create(name="ann")
    with caplog.at_level(logging.DEBUG, logger="ormlette.db.backends"):
        Customer.objects.filter(name="ann").count()
    assert [r for r in caplog.records if r.name == "ormlette.db.backends"] == []
    assert calls == []


def test_debug_with_the_logger_off_formats_no_log_message(debug, monkeypatch):
    logger = logging.getLogger("ormlette.db.backends")
    monkeypatch.setattr(logger, "level", logging.WARNING)
    seen = []
    monkeypatch.setattr(logger, "debug", lambda *args, **kwargs: seen.append(args))
    Customer.objects.filter(name="ann").count()
    assert seen == []
    assert "customer" in connection.queries[-1]["sql"].lower()  # still recorded, as Django's DEBUG does
