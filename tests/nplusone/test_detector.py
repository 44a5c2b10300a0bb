"""The N+1 detector: groups by (line, model, relation), the line of user code, the count and the fix."""
import asyncio
import logging
import sys
import warnings

import pytest

from ormlette import nplusone
from ormlette.db import models
from ormlette.db.models import fetch_modes
from ormlette.test.utils import assert_max_queries, assert_num_queries
from tests.relations import models as m


def _line(offset=0):
    """The caller's line number plus ``offset``."""
    return sys._getframe(1).f_lineno + offset


def test_forward_fk_loop_reported_at_the_users_line_with_the_fix(data):
    with pytest.warns(nplusone.NPlusOneWarning) as record:
        with nplusone.detect(action="warn"):
            line = _line(2)
            for book in m.Book.objects.all():
                book.author.name
    [warning] = record.list
    assert warning.filename == __file__ and warning.lineno == line
    assert str(warning.message) == (
        "N+1 queries at %s:%d: 3 lazy loads of Book.author (one query per object). "
        'Fix: Book.objects.select_related("author")' % (nplusone.shown_path(__file__), line))


def test_raise_action_lists_every_group(data):
    with pytest.raises(nplusone.NPlusOneError) as info:
        with nplusone.detect(action="raise"):
            for order in m.Order.objects.all():
                order.customer.name
            for customer in m.Customer.objects.all():
                list(customer.orders.all())
    groups = info.value.groups
    assert [(g.model, g.relation, g.kind, g.count) for g in groups] == [
        (m.Order, "customer", "forward", 3), (m.Customer, "orders", "many", 3)]
    assert 'Customer.objects.prefetch_related("orders")' in str(info.value)
    assert isinstance(info.value, AssertionError)


def test_log_action(data, caplog):
    with caplog.at_level(logging.WARNING, logger="ormlette.nplusone"):
        with nplusone.detect(action="log"):
            for profile in m.Profile.objects.all():
                profile.customer  # one object only: below the threshold
            for customer in m.Customer.objects.all():
                customer.orders.count()
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 1
    assert "3 count() queries on Customer.orders" in messages[0]
    assert 'Fix: Customer.objects.annotate(orders_count=Count("orders"))' in messages[0]


def test_threshold_and_kinds(data):
    with nplusone.collect(threshold=3) as detector:
        for book in m.Book.objects.all():
            book.editor  # two non-null editors: two loads, under the threshold of 3
        for customer in m.Customer.objects.only("name"):
            customer.email
        for customer in m.Customer.objects.all():
            try:
                customer.profile
            except m.Customer.profile.RelatedObjectDoesNotExist:
                pass
        for post in m.Post.objects.all():
            post.tags.exists()
    found = {(g.relation, g.kind): (g.count, g.fix) for g in detector.groups()}
    assert found == {
        ("email", "deferred"): (3, 'Customer.objects.only(..., "email")  (or drop "email" from .defer(...))'),
        ("profile", "reverse_one"): (3, 'Customer.objects.select_related("profile")'),
        ("tags", "exists"): (3, 'Post.objects.annotate(tags_count=Count("tags"))'),
    }
    assert all(g.count < 3 for g in detector.loads.values() if g.relation == "editor")


def test_reverse_many_to_many_suggests_the_query_name(data):
    with nplusone.collect() as detector:
        for tag in m.Tag.objects.all():
            tag.posts.count()
            list(tag.posts.all())
    assert sorted((g.kind, g.fix) for g in detector.groups()) == [
        ("count", 'Tag.objects.annotate(posts_count=Count("posts"))'),
        ("many", 'Tag.objects.prefetch_related("posts")')]


def test_fixed_code_is_not_reported(data):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with nplusone.detect():
            for book in m.Book.objects.select_related("author"):
                book.author.name
            for customer in m.Customer.objects.prefetch_related("orders"):
                len(customer.orders.all())
            for book in m.Book.objects.fetch_mode(models.FETCH_PEERS):
                book.author.name  # one query for all peers: one load, no group


def test_unused_select_related_and_prefetch_related(data):
    with nplusone.collect(unused=True) as detector:
        line = _line(1)
        books = list(m.Book.objects.select_related("author", "editor").prefetch_related("reviews"))
        [b.author.name for b in books]
    assert [(u.method, u.name, u.lineno, u.objects) for u in detector.unused()] == [
        ("select_related", "editor", line, 3), ("prefetch_related", "reviews", line, 3)]
    assert detector.unused()[0].message().startswith("Unused select_related('editor') on Book at ")


def test_off_means_no_hooks(data):
    assert fetch_modes.listener is None and fetch_modes.evaluated is None
    with nplusone.collect():
        assert fetch_modes.listener is not None
    assert fetch_modes.listener is None and fetch_modes.evaluated is None


def test_process_wide_detector_reports_each_group_once(data):
    detector = nplusone.enable_process_detector(action="raise", threshold=2)
    try:
        books = list(m.Book.objects.all())
        books[0].author
        with pytest.raises(nplusone.NPlusOneError, match="2 lazy loads of Book.author"):
            for book in books[1:]:
                book.author
    finally:
        nplusone.disable_process_detector()
    assert fetch_modes.listener is None
    assert [g.count for g in detector.groups()] == [2]


def test_async_code(data):
    async def main():
        with nplusone.collect() as detector:
            async for customer in m.Customer.objects.all():
                await customer.orders.acount()

            async def child():
                async for author in m.Author.objects.all():
                    await author.books.acount()

            await asyncio.create_task(child())  # a task started in the block inherits the detector
        return detector

    detector = asyncio.run(main())
    assert sorted((g.model.__name__, g.relation, g.kind, g.count) for g in detector.groups()) == [
        ("Author", "books", "count", 3), ("Customer", "orders", "count", 3)]
    assert all(g.filename == __file__ for g in detector.groups())


def test_assert_num_queries_keeps_djangos_message_and_adds_the_groups(data):
    with pytest.raises(AssertionError) as info:
        with assert_num_queries(1):
            line = _line(1)
            names = [b.author.name for b in m.Book.objects.order_by("pk")]
    message = str(info.value)
    assert names == ["tolkien", "tolkien", "herbert"]
    assert message.startswith("4 != 1 : 4 queries executed, 1 expected\nCaptured queries were:\n1. SELECT")
    assert message.endswith(
        "\nN+1 analysis (ormlette.nplusone):\nN+1 queries at %s:%d: 3 lazy loads of Book.author (one query per "
        'object). Fix: Book.objects.select_related("author")' % (nplusone.shown_path(__file__), line))
    with pytest.raises(AssertionError, match=r'(?s)at most 2 expected.*Fix: Customer.objects.prefetch_related'):
        with assert_max_queries(2):
            for customer in m.Customer.objects.all():
                list(customer.orders.all())


def test_assert_num_queries_fixture(data, assert_num_queries):
    with pytest.raises(AssertionError, match=r'(?s)^3 != 2 : .*select_related\("customer"\)'):
        with assert_num_queries(2):
            [o.customer.name for o in m.Order.objects.filter(customer=data.alice)]


def test_bad_arguments():
    with pytest.raises(ValueError, match="action must be"):
        with nplusone.detect(action="shout"):
            pass
    with pytest.raises(ValueError, match="threshold must be"):
        with nplusone.detect(threshold=0):
            pass


def test_setting_turns_the_detector_on_for_the_process(data):
    import threading

    from ormlette.conf import settings

    settings.NPLUSONE = "raise"
    errors = []

    def worker():  # a new thread: its first query makes a connection wrapper, which reads the setting
        try:
            for book in m.Book.objects.all():
                book.author.name
        except nplusone.NPlusOneError as exc:
            errors.append(exc)
        finally:
            from ormlette.db import connections

            connections["default"].close()

    try:
        thread = threading.Thread(target=worker)
        thread.start()
        thread.join()
    finally:
        settings.NPLUSONE = None
        nplusone.disable_process_detector()
    assert len(errors) == 1 and "2 lazy loads of Book.author" in str(errors[0])
    assert fetch_modes.listener is None
