"""select_for_update(): SQL per backend, Django's errors, no-op on SQLite."""
import pytest

from ormlette.db import NotSupportedError, connection, transaction
from ormlette.db.transaction import TransactionManagementError
from ormlette.test.utils import CaptureQueriesContext
from tests.backends import clean_tables, use_models
from tests.concurrency.models import Job

tables = use_models(Job)
cleanup = clean_tables(Job, autouse=True)
pytestmark = pytest.mark.usefixtures("tables")
features = connection.features


def executed(qs):
    with CaptureQueriesContext(connection) as ctx:
        with transaction.atomic():
            result = list(qs)
    return result, ctx.captured_queries[-1]["sql"].upper()


def test_for_update_clause_or_noop():
    Job.objects.create()
    rows, sql = executed(Job.objects.select_for_update())
    assert len(rows) == 1
    assert ("FOR UPDATE" in sql) == features.has_select_for_update


@pytest.mark.skipif(not features.has_select_for_update_skip_locked, reason="no SKIP LOCKED")
def test_skip_locked_sql():
    _, sql = executed(Job.objects.select_for_update(skip_locked=True))
    assert "SKIP LOCKED" in sql


@pytest.mark.skipif(not features.has_select_for_update_nowait, reason="no NOWAIT")
def test_nowait_sql():
    _, sql = executed(Job.objects.select_for_update(nowait=True))
    assert "NOWAIT" in sql


def test_nowait_with_skip_locked_is_value_error():
    with pytest.raises(ValueError, match="The nowait option cannot be used with skip_locked."):
        Job.objects.select_for_update(nowait=True, skip_locked=True)


def test_of_and_no_key():
    if features.has_select_for_update_of:
        _, sql = executed(Job.objects.select_for_update(of=("self",)))
        assert "FOR UPDATE OF" in sql
    elif features.has_select_for_update:
        with pytest.raises(NotSupportedError, match="FOR UPDATE OF is not supported on this database backend."):
            executed(Job.objects.select_for_update(of=("self",)))
    if features.has_select_for_no_key_update:
        _, sql = executed(Job.objects.select_for_update(no_key=True))
        assert "FOR NO KEY UPDATE" in sql
    elif features.has_select_for_update:
        with pytest.raises(NotSupportedError, match="FOR NO KEY UPDATE is not supported on this database backend."):
            executed(Job.objects.select_for_update(no_key=True))


def test_outside_transaction():
    qs = Job.objects.select_for_update()
    executed(qs)  # warm the statement cache inside a transaction
    if features.has_select_for_update:
        with pytest.raises(TransactionManagementError,
                           match="select_for_update cannot be used outside of a transaction."):
            list(Job.objects.select_for_update())
        with pytest.raises(TransactionManagementError):
            Job.objects.select_for_update().get(pk=1)
    else:
        assert list(Job.objects.select_for_update()) == []  # a no-op where rows cannot be locked


def test_lazy_queryset_outside_transaction_is_fine():
    qs = Job.objects.select_for_update()  # not evaluated: no error
    assert qs.query.select_for_update
