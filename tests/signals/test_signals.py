"""Model signals: arguments, sender filtering, weak references, none from bulk operations."""
import gc

import pytest

from ormlette.db.models import signals
from ormlette.db.models.signals import (
    post_delete, post_init, post_save, pre_delete, pre_init, pre_save, receiver,
)
from tests.backends import clean_tables, use_models
from tests.signals.models import Author, Note

tables = use_models(Author, Note)
cleanup = clean_tables(Author, Note, autouse=True)
pytestmark = pytest.mark.usefixtures("tables")


class Recorder:
    """Connects to signals and records (signal name, sender, kwargs)."""

    def __init__(self, *sigs, sender=None):
        self.calls = []
        self.sigs = sigs
        self.sender = sender

    def __call__(self, signal, sender, **kwargs):
        # Copy nested dicts: Model.__init__ consumes the kwargs dict it sent with pre_init, as Django.
        kwargs = {k: dict(v) if isinstance(v, dict) else v for k, v in kwargs.items()}
        self.calls.append((_NAMES[id(signal)], sender, kwargs))

    def __enter__(self):
        for sig in self.sigs:
            sig.connect(self, sender=self.sender, weak=False)
        return self

    def __exit__(self, *exc):
        for sig in self.sigs:
            sig.disconnect(self, sender=self.sender)


_NAMES = {id(s): n for n, s in [("pre_init", pre_init), ("post_init", post_init), ("pre_save", pre_save),
                                 ("post_save", post_save), ("pre_delete", pre_delete),
                                 ("post_delete", post_delete)]}


def test_save_signals_arguments():
    with Recorder(pre_save, post_save) as rec:
        a = Author.objects.create(name="ann")
        a.name = "bob"
        a.save(update_fields=["name"])
    (n1, s1, k1), (n2, s2, k2), (n3, s3, k3), (n4, s4, k4) = rec.calls
    assert (n1, n2, n3, n4) == ("pre_save", "post_save", "pre_save", "post_save")
    assert s1 is Author and k1 == {"instance": a, "raw": False, "using": "default", "update_fields": None}
    assert k2 == {"instance": a, "created": True, "update_fields": None, "raw": False, "using": "default"}
    assert k3["update_fields"] == frozenset({"name"})
    assert k4["created"] is False and k4["update_fields"] == frozenset({"name"})


def test_init_signals_arguments():
    with Recorder(pre_init, post_init, sender=Author) as rec:
        a = Author(name="x")
        Note(text="n")  # other sender: filtered out
    assert [c[0] for c in rec.calls] == ["pre_init", "post_init"]
    assert rec.calls[0][2] == {"args": (), "kwargs": {"name": "x"}}
    assert rec.calls[1][2] == {"instance": a}


def test_delete_signals_arguments():
    a = Author.objects.create(name="x")
    pk = a.pk
    with Recorder(pre_delete, post_delete) as rec:
        a.delete()
    assert [c[0] for c in rec.calls] == ["pre_delete", "post_delete"]
    for _, sender, kwargs in rec.calls:
        assert sender is Author and kwargs["instance"] is a and kwargs["using"] == "default"
        assert "origin" in kwargs
    assert a.pk is None and pk is not None  # Django clears the pk after the delete


def test_queryset_delete_sends_per_object_signals_only_when_connected():
    Author.objects.create(name="a")
    Author.objects.create(name="b")
    with Recorder(pre_delete, sender=Author) as rec:
        Author.objects.all().delete()
    assert len(rec.calls) == 2


def test_update_and_bulk_send_nothing():
    with Recorder(pre_save, post_save, pre_init, post_init) as rec:
        Author.objects.bulk_create([Author(name="a"), Author(name="b")])
        rec.calls.clear()  # constructing the instances above sent init signals, as Django
        Author.objects.update(name="c")
        objs = list(Author.objects.all())
        init_calls = len(rec.calls)
        Author.objects.bulk_update(objs, ["name"])
    assert all(c[0] in ("pre_init", "post_init") for c in rec.calls)
    assert init_calls == len(rec.calls)


def test_receiver_decorator_and_dispatch_uid():
    calls = []

    @receiver([pre_save, post_save], sender=Note, dispatch_uid="note-log")
    def log(sender, **kwargs):
        calls.append(kwargs.get("created"))

    pre_save.connect(log, sender=Note, dispatch_uid="note-log")  # same uid: not connected twice
    try:
        Note.objects.create(text="x")
        Author.objects.create(name="y")
    finally:
        assert pre_save.disconnect(sender=Note, dispatch_uid="note-log")
        assert post_save.disconnect(sender=Note, dispatch_uid="note-log")
    assert calls == [None, True]
    assert not pre_save.disconnect(sender=Note, dispatch_uid="note-log")


def test_weak_references_are_dropped():
    calls = []

    def make_handler():
        def handler(sender, **kwargs):
            calls.append(sender)
        return handler

    handler = make_handler()
    post_save.connect(handler, sender=Note)
    Note.objects.create(text="a")
    del handler
    gc.collect()
    Note.objects.create(text="b")
    assert calls == [Note]
    assert not post_save.has_listeners(Note)


def test_bound_method_receivers_are_weak():
    class Listener:
        def __init__(self):
            self.seen = 0

        def on_save(self, sender, **kwargs):
            self.seen += 1

    listener = Listener()
    post_save.connect(listener.on_save, sender=Note)
    Note.objects.create(text="a")
    assert listener.seen == 1
    del listener
    gc.collect()
    assert not post_save.has_listeners(Note)


def test_string_sender_and_send_robust():
    def boom(sender, **kwargs):
        raise RuntimeError("boom")

    pre_save.connect(boom, sender="signals.Note")
    try:
        result = pre_save.send_robust(sender=Note, instance=None, raw=False, using="default", update_fields=None)
        assert isinstance(result[0][1], RuntimeError)
        with pytest.raises(RuntimeError):
            Note.objects.create(text="x")
    finally:
        pre_save.disconnect(boom, sender=Note)
    assert Note.objects.count() == 0


def test_receivers_must_be_callable():
    with pytest.raises(TypeError, match="Signal receivers must be callable."):
        pre_save.connect("nope")


def test_no_listeners_no_dispatch(monkeypatch):
    calls = []
    original = signals.Signal.send

    def counting_send(self, sender, **named):
        calls.append(sender)
        return original(self, sender, **named)

    monkeypatch.setattr(signals.Signal, "send", counting_send)
    Author.objects.create(name="x")
    list(Author.objects.all())
    assert calls == []  # nothing connected: save() and hydration never call send()
