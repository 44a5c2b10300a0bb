"""transaction.atomic with Django's rules, on_commit, rollback marks, per-thread/task state."""
import asyncio
import threading

import pytest

from ormlette.db import IntegrityError, connection, connections, transaction
from ormlette.db.transaction import TransactionManagementError
from tests.backends import clean_tables, use_models
from tests.core.models import Note

tables = use_models(Note)
cleanup = clean_tables(Note, autouse=True)
pytestmark = pytest.mark.usefixtures("tables")


def texts():
    return sorted(Note.objects.values_list("text", flat=True))


def test_autocommit_outside_atomic():
    assert transaction.get_autocommit() is True
    Note.objects.create(text="a")
    assert texts() == ["a"]


def test_context_manager_commits_and_rolls_back():
    with transaction.atomic():
        Note.objects.create(text="kept")
    with pytest.raises(ZeroDivisionError):
        with transaction.atomic():
            Note.objects.create(text="lost")
            1 / 0
    assert texts() == ["kept"]


def test_decorator_forms():
    @transaction.atomic
    def plain():
        Note.objects.create(text="p")
        raise ValueError

    @transaction.atomic(savepoint=False)
    def with_args():
        Note.objects.create(text="q")

    with pytest.raises(ValueError):
        plain()
    with_args()
    assert texts() == ["q"]


def test_nested_blocks_are_savepoints():
    with transaction.atomic():
        Note.objects.create(text="outer")
        with pytest.raises(ValueError):
            with transaction.atomic():
                Note.objects.create(text="inner")
                raise ValueError
        assert texts() == ["outer"]
    assert texts() == ["outer"]


def test_savepoint_false_marks_outer_for_rollback():
    with pytest.raises(ValueError):
        with transaction.atomic():
            Note.objects.create(text="outer")
            try:
                with transaction.atomic(savepoint=False):
                    raise ValueError
            except ValueError:
                pass
            assert connection.needs_rollback is True
            raise ValueError
    assert texts() == []


def test_queries_after_caught_database_error_raise_transaction_management_error():
    Note.objects.create(text="dup", n=1)
    with transaction.atomic():
        with pytest.raises(IntegrityError):
            Note.objects.create(text="dup", n=1)
        with pytest.raises(TransactionManagementError, match="You can't execute queries until the end"):
            Note.objects.count()
    assert Note.objects.count() == 1


def test_caught_error_inside_nested_atomic_is_fine():
    Note.objects.create(text="dup", n=1)
    with transaction.atomic():
        try:
            with transaction.atomic():
                Note.objects.create(text="dup", n=1)
        except IntegrityError:
            pass
        Note.objects.create(text="after")
    assert texts() == ["after", "dup"]


def test_durable_cannot_be_nested():
    with transaction.atomic(durable=True):
        Note.objects.create(text="d")
    with pytest.raises(RuntimeError, match="durable atomic block cannot be nested"):
        with transaction.atomic():
            with transaction.atomic(durable=True):
                pass


def test_on_commit_runs_after_commit_in_order_and_is_dropped_on_rollback():
    calls = []
    with transaction.atomic():
        transaction.on_commit(lambda: calls.append(1))
        with transaction.atomic():
            transaction.on_commit(lambda: calls.append(2))
        try:
            with transaction.atomic():
                transaction.on_commit(lambda: calls.append("rolled back"))
                raise ValueError
        except ValueError:
            pass
        transaction.on_commit(lambda: calls.append(3))
        assert calls == []
    assert calls == [1, 2, 3]
    with pytest.raises(ValueError):
        with transaction.atomic():
            transaction.on_commit(lambda: calls.append("never"))
            raise ValueError
    assert calls == [1, 2, 3]
    transaction.on_commit(lambda: calls.append("now"))
    assert calls[-1] == "now"


def test_robust_on_commit_swallows_errors():
    calls = []
    with transaction.atomic():
        transaction.on_commit(lambda: 1 / 0, robust=True)
        transaction.on_commit(lambda: calls.append("ok"))
    assert calls == ["ok"]


def test_set_rollback_and_get_rollback():
    with transaction.atomic():
        Note.objects.create(text="x")
        assert transaction.get_rollback() is False
        transaction.set_rollback(True)
    assert texts() == []
    with pytest.raises(TransactionManagementError):
        transaction.set_rollback(True)


def test_get_autocommit_inside_atomic():
    with transaction.atomic():
        assert transaction.get_autocommit() is False
    assert transaction.get_autocommit() is True


def test_manual_transaction_management():
    transaction.set_autocommit(False)
    try:
        Note.objects.create(text="manual")
        transaction.rollback()
        Note.objects.create(text="manual2")
        transaction.commit()
    finally:
        transaction.set_autocommit(True)
    assert texts() == ["manual2"]


def test_each_thread_has_its_own_connection():
    seen = []

    def work(n):
        seen.append(id(connections["default"]))
        with transaction.atomic():
            Note.objects.create(text="thread", n=n)

    with transaction.atomic():
        threads = [threading.Thread(target=work, args=(n,)) for n in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        main_id = id(connections["default"])
    assert len(set(seen)) == 2 and main_id not in seen
    assert texts() == ["thread", "thread"]
    for wrapper in list(connections._all):
        if id(wrapper) in seen:
            wrapper.close()


def test_each_asyncio_task_has_its_own_connection():
    events = []

    async def writer(started, checked):
        wrapper = connections["default"]
        async with transaction.atomic():
            await Note.objects.acreate(text="task")
            started.set()
            await checked.wait()
            events.append(("writer in block", wrapper.in_atomic_block))
        return id(wrapper)

    async def observer(started, checked):
        await started.wait()
        wrapper = connections["default"]
        events.append(("observer in block", wrapper.in_atomic_block))
        checked.set()
        return id(wrapper)

    async def main():
        started, checked = asyncio.Event(), asyncio.Event()
        outer = id(connections["default"])
        ids = await asyncio.gather(writer(started, checked), observer(started, checked))
        return outer, ids

    outer, ids = asyncio.run(main())
    assert len(set(ids)) == 2 and outer not in ids
    assert sorted(events) == [("observer in block", False), ("writer in block", True)]
    assert texts() == ["task"]
