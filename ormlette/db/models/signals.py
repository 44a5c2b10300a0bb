"""Model signals with Django's arguments; no per-row cost when nothing listens."""
import threading
import weakref


def _make_id(target):
    if hasattr(target, "__func__"):
        return (id(target.__self__), id(target.__func__))
    return id(target)


NONE_ID = _make_id(None)


class Signal:
    """A dispatcher: ``connect``/``disconnect`` receivers, ``send`` to them."""

    def __init__(self, use_caching=False):
        self.receivers = []
        self.lock = threading.Lock()
        self._dead_receivers = False
        self.sender_receivers_cache = {}

    def connect(self, receiver, sender=None, weak=True, dispatch_uid=None):
        """Connect ``receiver`` (optionally only for ``sender``)."""
        if not callable(receiver):
            raise TypeError("Signal receivers must be callable.")
        lookup_key = (dispatch_uid if dispatch_uid else _make_id(receiver), _make_id(sender))
        if weak:
            ref = weakref.WeakMethod if hasattr(receiver, "__self__") and hasattr(receiver, "__func__") else weakref.ref
            receiver_ref = ref(receiver, self._remove_receiver)
        else:
            receiver_ref = receiver
        with self.lock:
            self._clear_dead_receivers()
            if not any(r_key == lookup_key for r_key, _ in self.receivers):
                self.receivers.append((lookup_key, receiver_ref))
            self.sender_receivers_cache.clear()

    def disconnect(self, receiver=None, sender=None, dispatch_uid=None):
        """Disconnect a receiver; return whether one was removed."""
        lookup_key = (dispatch_uid if dispatch_uid else _make_id(receiver), _make_id(sender))
        with self.lock:
            self._clear_dead_receivers()
            for index, (r_key, _) in enumerate(self.receivers):
                if r_key == lookup_key:
                    del self.receivers[index]
                    self.sender_receivers_cache.clear()
                    return True
        return False

    def has_listeners(self, sender=None):
        """Whether any receiver would get a signal from ``sender``."""
        if not self.receivers:
            return False
        return bool(self._live_receivers(sender))

    def send(self, sender, **named):
        """Call every receiver; return ``[(receiver, response)]``."""
        if not self.receivers:
            return []
        return [(receiver, receiver(signal=self, sender=sender, **named))
                for receiver in self._live_receivers(sender)]

    def send_robust(self, sender, **named):
        """Like send, but catch receiver exceptions and return them as responses."""
        responses = []
        for receiver in self._live_receivers(sender):
            try:
                response = receiver(signal=self, sender=sender, **named)
            except Exception as err:  # noqa: BLE001 - send_robust returns errors by design
                responses.append((receiver, err))
            else:
                responses.append((receiver, response))
        return responses

    async def asend(self, sender, **named):
        """Async send: awaits coroutine receivers."""
        import inspect

        responses = []
        for receiver in self._live_receivers(sender):
            result = receiver(signal=self, sender=sender, **named)
            if inspect.isawaitable(result):
                result = await result
            responses.append((receiver, result))
        return responses

    def _remove_receiver(self, receiver=None):
        self._dead_receivers = True

    def _clear_dead_receivers(self):
        if self._dead_receivers:
            self._dead_receivers = False
            self.receivers = [r for r in self.receivers
                              if not (isinstance(r[1], weakref.ReferenceType) and r[1]() is None)]

    def _live_receivers(self, sender):
        cached = self.sender_receivers_cache.get(sender) if sender is not None else None
        if cached is not None:
            alive = [r() if isinstance(r, weakref.ReferenceType) else r for r in cached]
            if all(a is not None for a in alive):
                return alive
        with self.lock:
            self._clear_dead_receivers()
            sender_key = _make_id(sender)
            matched = [ref for (_, r_sender), ref in self.receivers if r_sender in (NONE_ID, sender_key)]
            if sender is not None:
                self.sender_receivers_cache[sender] = matched
        live = []
        for ref in matched:
            receiver = ref() if isinstance(ref, weakref.ReferenceType) else ref
            if receiver is not None:
                live.append(receiver)
        return live


class ModelSignal(Signal):
    """A signal whose sender may be given as ``"app.Model"``."""

    def _resolve(self, sender):
        if isinstance(sender, str):
            from ormlette.db.models.registry import get_model

            return get_model(sender)
        return sender

    def connect(self, receiver, sender=None, weak=True, dispatch_uid=None, apps=None):
        """Connect, resolving string senders."""
        super().connect(receiver, self._resolve(sender), weak, dispatch_uid)

    def disconnect(self, receiver=None, sender=None, dispatch_uid=None, apps=None):
        """Disconnect, resolving string senders."""
        return super().disconnect(receiver, self._resolve(sender), dispatch_uid)


def receiver(signal, **kwargs):
    """Decorator that connects a function to one or more signals."""
    def decorator(func):
        for sig in signal if isinstance(signal, (list, tuple)) else (signal,):
            sig.connect(func, **kwargs)
        return func

    return decorator


pre_init = ModelSignal()
post_init = ModelSignal()
pre_save = ModelSignal()
post_save = ModelSignal()
pre_delete = ModelSignal()
post_delete = ModelSignal()
m2m_changed = ModelSignal()
pre_migrate = Signal()
post_migrate = Signal()
class_prepared = Signal()
