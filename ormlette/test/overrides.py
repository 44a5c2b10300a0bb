"""Context decorators for tests: override_settings, modify_settings, isolate_apps, ignore_warnings."""
import functools
import inspect
import unittest
import warnings

from ormlette.conf import settings
from ormlette.db.models.registry import ModelLookups
from ormlette.test.signals import setting_changed

_MISSING = object()


class TestContextDecorator:
    """A context manager that also decorates test functions and TestCase classes (as Django's).

    A decorated class gets the context around each test (from setUp to cleanup); ``attr_name`` stores
    what enable() returns on the test case, ``kwarg_name`` passes it to a decorated function.
    """

    def __init__(self, attr_name=None, kwarg_name=None):
        self.attr_name = attr_name
        self.kwarg_name = kwarg_name

    def enable(self):
        """Enter the context; the return value is what ``with ... as`` gets."""
        raise NotImplementedError

    def disable(self):
        """Leave the context."""
        raise NotImplementedError

    def __enter__(self):
        return self.enable()

    def __exit__(self, exc_type, exc_value, traceback):
        self.disable()

    def decorate_class(self, cls):
        """Wrap ``cls.setUp`` so each test runs inside the context."""
        if not issubclass(cls, unittest.TestCase):
            raise TypeError("Can only decorate subclasses of unittest.TestCase")
        decorated_setup = cls.setUp

        def setUp(inner_self):
            context = self.enable()
            inner_self.addCleanup(self.disable)
            if self.attr_name is not None:
                setattr(inner_self, self.attr_name, context)
            decorated_setup(inner_self)

        cls.setUp = setUp
        return cls

    def decorate_callable(self, func):
        """Run ``func`` (sync or async) inside the context."""
        if inspect.iscoroutinefunction(func):
            @functools.wraps(func)
            async def async_inner(*args, **kwargs):
                with self as context:
                    if self.kwarg_name:
                        kwargs[self.kwarg_name] = context
                    return await func(*args, **kwargs)

            return async_inner

        @functools.wraps(func)
        def inner(*args, **kwargs):
            with self as context:
                if self.kwarg_name:
                    kwargs[self.kwarg_name] = context
                return func(*args, **kwargs)

        return inner

    def __call__(self, decorated):
        if isinstance(decorated, type):
            return self.decorate_class(decorated)
        if callable(decorated):
            return self.decorate_callable(decorated)
        raise TypeError("Cannot decorate object of type %s" % type(decorated))


class override_settings(TestContextDecorator):
    """Change settings for a block, a function or a TestCase class, restoring them afterwards.

    Every changed name is announced through ``setting_changed`` (enter and exit), whose receivers drop
    what was built from the old value (connections for DATABASES, session time zones, ...).
    """

    enable_exception = None

    def __init__(self, **kwargs):
        self.options = kwargs
        self._saved = []
        super().__init__()

    def enable(self):
        """Apply the overrides."""
        settings.DEBUG  # noqa: B018 - configures lazily before the first value is replaced
        saved = {}
        for name, value in self.options.items():
            saved[name] = settings._values.get(name, _MISSING)
            setattr(settings, name, value)
        self._saved.append(saved)
        try:
            for name, value in self.options.items():
                setting_changed.send(sender=settings.__class__, setting=name, value=value, enter=True)
        except Exception:
            self.disable()
            raise

    def disable(self):
        """Restore the values seen when the overrides were applied."""
        saved = self._saved.pop()
        for name, old in saved.items():
            if old is _MISSING:
                delattr(settings, name)
            else:
                setattr(settings, name, old)
        for name, old in saved.items():
            setting_changed.send(sender=settings.__class__, setting=name,
                                 value=None if old is _MISSING else old, enter=False)

    def decorate_class(self, cls):
        """On a SimpleTestCase the overrides cover the whole class (setUpClass included), as Django."""
        from ormlette.test.testcases import SimpleTestCase

        if isinstance(cls, type) and issubclass(cls, SimpleTestCase):
            cls._overridden_settings = {**cls._overridden_settings, **self.options}
            return cls
        return super().decorate_class(cls)


class modify_settings(override_settings):
    """Append to, prepend to or remove from list settings: ``modify_settings(X={"append": [...]})``."""

    def __init__(self, *args, **kwargs):
        if args:
            if kwargs:
                raise TypeError("modify_settings takes a list of dicts or keyword arguments, not both.")
            self.operations = list(args[0])
        else:
            self.operations = list(kwargs.items())
        super().__init__()

    def decorate_class(self, cls):
        """On a SimpleTestCase the modifications cover the whole class."""
        from ormlette.test.testcases import SimpleTestCase

        if isinstance(cls, type) and issubclass(cls, SimpleTestCase):
            cls._modified_settings = list(cls._modified_settings) + self.operations
            return cls
        return TestContextDecorator.decorate_class(self, cls)

    def enable(self):
        """Compute the new lists from the current values, then override them."""
        self.options = {}
        for name, operations in self.operations:
            value = self.options.get(name, getattr(settings, name, []))
            value = list(value)
            for action, items in operations.items():
                if isinstance(items, str):
                    items = [items]
                if action == "append":
                    value += [item for item in items if item not in value]
                elif action == "prepend":
                    value = [item for item in items if item not in value] + value
                elif action == "remove":
                    value = [item for item in value if item not in items]
                else:
                    raise ValueError("Unsupported action: %s" % action)
            self.options[name] = value
        super().enable()


class ignore_warnings(TestContextDecorator):
    """Silence warnings (``warnings.filterwarnings`` arguments) in a block, function or class."""

    def __init__(self, **kwargs):
        self.ignore_kwargs = kwargs
        self.filter_func = warnings.filterwarnings if "message" in kwargs or "module" in kwargs else warnings.simplefilter
        self._catchers = []
        super().__init__()

    def enable(self):
        """Start ignoring."""
        catcher = warnings.catch_warnings()
        catcher.__enter__()
        self._catchers.append(catcher)
        self.filter_func("ignore", **self.ignore_kwargs)

    def disable(self):
        """Stop ignoring."""
        self._catchers.pop().__exit__(None, None, None)


class IsolatedApps(ModelLookups):
    """The models declared inside an ``isolate_apps`` block (``apps.get_model``, ``apps.get_models``)."""

    def __init__(self, app_labels, before):
        self.app_labels = set(app_labels)
        self._before = before
        self._frozen = None

    @property
    def models(self):
        """{(app_label, model_name): model} of the models declared in the block."""
        if self._frozen is not None:
            return self._frozen
        from ormlette.db.models import registry

        return {key: model for key, model in registry._models.items() if self._before.get(key) is not model}


class isolate_apps(TestContextDecorator):
    """Keep the models declared inside the block out of the global registry (reverse relations included)."""

    def __init__(self, *installed_apps, **kwargs):
        self.installed_apps = installed_apps
        self._saved = []
        super().__init__(**kwargs)

    def enable(self):
        """Snapshot the registry."""
        from ormlette.db.models import registry

        models = dict(registry._models)
        apps = IsolatedApps(self.installed_apps, models)
        self._saved.append((models, {k: list(v) for k, v in registry._pending.items()}, apps))
        return apps

    def disable(self):
        """Put the registry back and forget reverse relations computed with the isolated models."""
        from ormlette.db.models import registry

        models, pending, apps = self._saved.pop()
        apps._frozen = apps.models
        registry._models.clear()
        registry._models.update(models)
        registry._pending.clear()
        registry._pending.update(pending)
        for model in list(models.values()) + list(apps.models.values()):
            model._meta._expire_cache()


class delete_setting(override_settings):
    """Remove a setting for a block (the pytest ``settings`` fixture's ``del settings.X``)."""

    def __init__(self, name):
        super().__init__()
        self.name = name

    def enable(self):
        """Remove the setting, remembering its value."""
        settings.DEBUG  # noqa: B018 - configures lazily first
        self._saved.append({self.name: settings._values.get(self.name, _MISSING)})
        if hasattr(settings, self.name):
            delattr(settings, self.name)
        setting_changed.send(sender=settings.__class__, setting=self.name, value=None, enter=True)
