"""Real threads, one connection each: atomic F() updates, skip_locked queues, get_or_create races."""
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from ormlette.db import connection, connections, transaction
from ormlette.db.models import F
from tests.backends import clean_tables, use_models
from tests.concurrency.models import Account, Item, Job

tables = use_models(Item, Job, Account)
cleanup = clean_tables(Item, Job, Account, autouse=True)
pytestmark = pytest.mark.usefixtures("tables")
needs_row_locks = pytest.mark.skipif(not connection.features.has_select_for_update,
                                     reason="needs a server database with row locks (PostgreSQL, MariaDB)")


def close_thread_connections():
    """Return this thread's connections to the pool (connections.close_all() is process-wide here)."""
    for wrapper in connections.all(initialized_only=True):
        wrapper.close()


def run_threads(n, target):
    """Run ``target(index)`` in ``n`` threads, each closing its own connection; return the results."""
    def wrapped(index):
        try:
            return target(index)
        finally:
            close_thread_connections()

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(wrapped, range(n)))


def test_threads_use_separate_connections():
    barrier = threading.Barrier(4)

    def worker(_):
        wrapper = connections["default"]
        wrapper.ensure_connection()
        barrier.wait()  # all four are alive at once
        return wrapper, wrapper.dbapi

    seen = run_threads(4, worker)
    assert len({id(w) for w, _ in seen}) == 4 and len({id(d) for _, d in seen}) == 4
    assert all(w is not connections["default"] for w, _ in seen)


def test_f_update_loses_no_decrement():
    item = Item.objects.create(name="widget", stock=16 * 200)

    def worker(_):
        for _ in range(200):
            Item.objects.filter(pk=item.pk).update(stock=F("stock") - 1)

    run_threads(16, worker)
    item.refresh_from_db()
    assert item.stock == 0


@needs_row_locks
def test_read_modify_write_control_loses_updates():
    workers, rounds = 8, 10
    item = Item.objects.create(name="widget", stock=workers * rounds)
    barrier = threading.Barrier(workers)

    def worker(_):
        for _ in range(rounds):
            current = Item.objects.get(pk=item.pk)
            barrier.wait()  # every worker has read the same value before anyone writes
            current.stock -= 1
            current.save(update_fields=["stock"])
            barrier.wait()

    run_threads(workers, worker)
    item.refresh_from_db()
    assert item.stock == workers * rounds - rounds  # each round, all but one decrement were lost


@needs_row_locks
def test_select_for_update_skip_locked_processes_each_job_once():
    Job.objects.bulk_create([Job() for _ in range(1000)])

    def worker(index):
        claimed = []
        while True:
            with transaction.atomic():
                batch = list(Job.objects.select_for_update(skip_locked=True).filter(done=False)
                             .order_by("pk")[:10])
                if not batch:
                    if not Job.objects.filter(done=False).exists():
                        return claimed
                    continue
                pks = [job.pk for job in batch]
                Job.objects.filter(pk__in=pks).update(done=True, worker=index,
                                                      times_processed=F("times_processed") + 1)
                claimed.extend(pks)

    results = run_threads(8, worker)
    all_claimed = [pk for claimed in results for pk in claimed]
    assert len(all_claimed) == 1000 and len(set(all_claimed)) == 1000
    assert set(Job.objects.values_list("times_processed", flat=True)) == {1}
    assert sum(1 for claimed in results if claimed) > 1  # the work really was shared


@needs_row_locks
def test_select_for_update_outside_transaction_raises():
    from ormlette.db.transaction import TransactionManagementError

    Job.objects.create()
    with pytest.raises(TransactionManagementError, match="select_for_update cannot be used outside of a "
                                                         "transaction."):
        list(Job.objects.select_for_update())


@needs_row_locks
def test_select_for_update_nowait_raises_when_locked():
    from ormlette.db import DatabaseError

    job = Job.objects.create()
    locked = threading.Event()
    release = threading.Event()

    def holder(_):
        with transaction.atomic():
            list(Job.objects.select_for_update().filter(pk=job.pk))
            locked.set()
            release.wait(10)

    with ThreadPoolExecutor(max_workers=1) as pool:
        future = pool.submit(lambda: (holder(0), close_thread_connections()))
        assert locked.wait(10)
        try:
            with pytest.raises(DatabaseError):
                with transaction.atomic():
                    list(Job.objects.select_for_update(nowait=True).filter(pk=job.pk))
        finally:
            release.set()
        future.result()


def test_concurrent_get_or_create_makes_one_row():
    barrier = threading.Barrier(32)

    def worker(_):
        barrier.wait()
        obj, created = Account.objects.get_or_create(key="shared", defaults={"hits": 1})
        return obj.pk, created

    results = run_threads(32, worker)
    assert Account.objects.filter(key="shared").count() == 1
    assert sum(1 for _, created in results if created) == 1
    assert len({pk for pk, _ in results}) == 1


@needs_row_locks
def test_concurrent_update_or_create_serialises_updates():
    Account.objects.create(key="acc", hits=0)
    barrier = threading.Barrier(8)

    def worker(index):
        barrier.wait()
        with transaction.atomic():
            obj, created = Account.objects.update_or_create(key="acc", defaults={"hits": index})
        return created

    results = run_threads(8, worker)
    assert not any(results)
    assert Account.objects.get(key="acc").hits in range(8)
