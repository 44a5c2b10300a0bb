"""Differential testing: run the same model and query code through Django 5.2 and ormlette.

A :class:`Differential` takes model source code written against Django
(``from django.db import models``) and builds it twice: as Django models in an
isolated registry under the ``djapp`` app (tests/djapp) and, after the rename
``django`` -> ``ormlette``, as ormlette models under its own app label. Both
sides get the same table names (in two different databases), the same data
(loaded through each ORM) and then the same query callables ``q(ns)``, whose
results, exceptions and query counts are compared. See README.md here.
"""
import collections.abc
import contextlib
import datetime
import decimal
import math
import re
import types
import uuid

import pytest

from tests import backends
from tests.django_ref import configure_django

DJANGO_APP_LABEL = "djapp"
_LABELS = {}


# --- cases -------------------------------------------------------------------------------------

class Case:
    """One query callable and how to compare its two outcomes."""

    def __init__(self, name, func, *, mutates=False, unordered=False, message=True, queries=True,
                 xfail=None, skip=None):
        self.name = name
        self.func = func
        self.mutates = mutates
        self.unordered = unordered
        self.message = message
        self.queries = queries
        self.xfail = xfail
        self.skip = skip

    def __repr__(self):
        return "<Case %s>" % self.name

    def marks(self):
        """pytest marks for the current backend (``xfail``/``skip``: a reason or ``{vendor: reason}``)."""
        marks = []
        skip = _for_vendor(self.skip)
        if skip:
            marks.append(pytest.mark.skip(reason=skip))
        xfail = _for_vendor(self.xfail)
        if xfail:
            marks.append(pytest.mark.xfail(strict=True, reason=xfail))
        return marks


def _for_vendor(value):
    if isinstance(value, dict):
        return value.get(backends.VENDOR) or value.get("*")
    return value


def case(name, func, **options):
    """A :class:`Case`; options: mutates, unordered, message, queries, xfail, skip."""
    return Case(name, func, **options)


def parametrize(cases, argname="case"):
    """``pytest.mark.parametrize`` over ``cases`` (ids are the case names, which must be unique)."""
    seen = set()
    params = []
    for item in cases:
        if item.name in seen:
            raise ValueError("duplicate differential case name %r" % item.name)
        seen.add(item.name)
        params.append(pytest.param(item, id=item.name, marks=item.marks()))
    return pytest.mark.parametrize(argname, params)


# --- normalised values ---------------------------------------------------------------------------

class Scalar:
    """A leaf value compared by type and value (Decimal by value, floats approximately)."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value

    def __repr__(self):
        return repr(self.value)

    def __hash__(self):
        return hash(repr(self))

    def __eq__(self, other):
        if not isinstance(other, Scalar):
            return NotImplemented
        a, b = self.value, other.value
        if _kind(a) != _kind(b):
            return False
        if isinstance(a, float):
            return a == b or (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=1e-9)
        if isinstance(a, (datetime.datetime, datetime.time)):
            return a == b and a.utcoffset() == b.utcoffset() if isinstance(a, datetime.datetime) else a == b
        return a == b


def _kind(value):
    """The type name a value is compared under (bytes-like values are one kind)."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return "bytes"
    return type(value).__name__


class Instance(tuple):
    """A model instance: (model name, pk, ((attname, value), ...), ((annotation, value), ...))."""

    def __repr__(self):
        name, pk, fields, extra = self
        parts = ["%s=%r" % item for item in fields + extra]
        return "%s(pk=%r: %s)" % (name, pk, ", ".join(parts))


class Tagged(tuple):
    """A container whose type matters: (tag, payload)."""

    def __repr__(self):
        return "%s%r" % (self[0], self[1])


class Error(tuple):
    """A raised exception: (qualified class name, builtin bases, message or None)."""

    def __repr__(self):
        return "raised %s(%r) [bases: %s]" % (self[0], self[2], ", ".join(self[1]))


# --- one ORM ---------------------------------------------------------------------------------

class Side:
    """One ORM's models, namespace and hooks (query capture, transactions)."""

    def __init__(self, name, ns, package, label):
        self.name = name
        self.ns = ns
        self.package = package
        self.label = label
        self.models = _declared_models(ns, package.db.models.Model)

    @property
    def connection(self):
        return self.package.db.connection

    def capture(self):
        """The side's ``CaptureQueriesContext`` on its default connection."""
        return self.package.test.utils.CaptureQueriesContext(self.connection)

    @contextlib.contextmanager
    def rolled_back(self):
        """A transaction that is always rolled back (for cases that write)."""
        transaction = self.package.db.transaction
        with transaction.atomic():
            yield
            transaction.set_rollback(True)

    def normalise(self, value):
        """A comparable, ORM-independent form of ``value`` (evaluates querysets)."""
        return _Normaliser(self).normalise(value)

    def describe_error(self, exc):
        """``Error`` for a raised exception, with ORM names made comparable."""
        cls = type(exc)
        bases = tuple(c.__name__ for c in cls.__mro__ if c.__module__ == "builtins" and c is not object)
        message = str(exc)
        if self.name == "django":
            message = re.sub(r"\bdjango\b", "ormlette", message)
            message = re.sub(r"\b%s\." % DJANGO_APP_LABEL, self.label + ".", message)
        return Error((cls.__qualname__, bases, message))


def _declared_models(ns, model_base):
    """The concrete model classes declared in the exec'd source, in declaration order."""
    found = []
    for value in vars(ns).values():
        if isinstance(value, type) and issubclass(value, model_base) and value is not model_base:
            if not value._meta.abstract and value not in found and value.__module__ == ns.__name__:
                found.append(value)
    return found


class _Normaliser:
    def __init__(self, side):
        self.side = side
        models = side.package.db.models
        self.queryset_class = models.QuerySet
        self.model_class = models.Model
        self.manager_class = models.Manager

    def normalise(self, value):
        if isinstance(value, self.queryset_class):
            return self.queryset(value)
        if isinstance(value, self.model_class):
            return self.instance(value)
        if isinstance(value, dict):
            return Tagged(("dict", tuple((self.normalise(k), self.normalise(v)) for k, v in value.items())))
        if isinstance(value, tuple) and hasattr(value, "_fields"):
            return Tagged((type(value).__name__, tuple(zip(value._fields, map(self.normalise, value)))))
        if isinstance(value, (list, tuple)):
            return Tagged((type(value).__name__, tuple(self.normalise(v) for v in value)))
        if isinstance(value, (set, frozenset)):
            return Tagged(("set", tuple(sorted((self.normalise(v) for v in value), key=repr))))
        if isinstance(value, str) and self.side.name == "django":
            # Model labels ("djapp.Author", e.g. in delete() counts) name the ormlette app instead.
            return Scalar(re.sub(r"^%s\.(?=\w+$)" % DJANGO_APP_LABEL, self.side.label + ".", value))
        if isinstance(value, (str, int, float, decimal.Decimal, datetime.date, datetime.time,
                              datetime.timedelta, uuid.UUID, bytes, type(None))):
            return Scalar(value)
        if isinstance(value, (memoryview, bytearray)):
            return Scalar(bytes(value))
        if isinstance(value, collections.abc.Iterator):
            return Tagged(("iterator", tuple(self.normalise(v) for v in value)))
        if isinstance(value, BaseException):
            return self.side.describe_error(value)
        if isinstance(value, type):
            return Scalar("<class %s>" % value.__qualname__)
        return Scalar("<%s %s>" % (type(value).__name__, value))

    def queryset(self, qs):
        rows = tuple(self.normalise(row) for row in qs)
        if not qs.ordered:
            rows = tuple(sorted(rows, key=repr))
        return Tagged(("QuerySet", (("ordered", qs.ordered), rows)))

    def instance(self, obj):
        opts = obj._meta
        loaded = obj.__dict__
        fields = tuple((f.attname, self.normalise(loaded[f.attname]))
                       for f in opts.concrete_fields if f.attname in loaded)
        names = {f.attname for f in opts.concrete_fields} | {f.name for f in opts.get_fields()}
        extra = tuple((k, self.normalise(v)) for k, v in loaded.items()
                      if not k.startswith("_") and k not in names)
        return Instance((opts.object_name, self.normalise(obj.pk), fields, extra))


# --- building the two sides ---------------------------------------------------------------------

def _exec_module(name, source, filename):
    module = types.ModuleType(name)
    exec(compile(source, filename, "exec"), module.__dict__)
    return module


def _namespace(module, package, side_name):
    """The ``ns`` a query callable gets: the model module plus the ORM's public names."""
    db_models = package.db.models
    ns = types.SimpleNamespace()
    for name in getattr(db_models, "__all__", ()):
        setattr(ns, name, getattr(db_models, name))
    functions = db_models.functions
    for name in dir(functions):
        if not name.startswith("_") and isinstance(getattr(functions, name), type):
            setattr(ns, name, getattr(functions, name))
    ns.models = db_models
    ns.functions = functions
    ns.db = package.db
    ns.connection = package.db.connection
    ns.transaction = package.db.transaction
    ns.exceptions = package.core.exceptions
    ns.timezone = package.utils.timezone
    ns.side = side_name
    ns.vendor = backends.VENDOR
    for name, value in vars(module).items():
        if not name.startswith("__"):
            setattr(ns, name, value)
    ns.__name__ = module.__name__
    return ns


def _build_ormlette(source, label):
    import ormlette
    import ormlette.core.exceptions
    import ormlette.db.models.functions
    import ormlette.db.transaction
    import ormlette.test.utils
    import ormlette.utils.timezone

    renamed = re.sub(r"\bdjango\b", "ormlette", source)
    # ``<label>.models`` gives the models app_label ``label`` (tables ``<label>_<model>``).
    module = _exec_module("difftests.%s.models" % label, renamed, "<differential models %s: ormlette>" % label)
    return Side("ormlette", _namespace(module, ormlette, "ormlette"), ormlette, label)


def _build_django(source, label, ormlette_side):
    configure_django()
    import django
    import django.core.exceptions
    import django.db.models.functions
    import django.db.transaction
    import django.test.utils
    import django.utils.timezone
    from django.test.utils import isolate_apps

    # An isolated registry per Differential: several test modules may declare the same class names.
    with isolate_apps("tests.djapp") as registry:
        module = _exec_module("tests.djapp.diff_%s" % label, source, "<differential models %s: django>" % label)
    side = Side("django", _namespace(module, django, "django"), django, label)
    side.registry = registry
    _share_table_names(registry, ormlette_side)
    return side


def _share_table_names(registry, ormlette_side):
    """Give each Django model (auto-created through tables included) the ormlette model's db_table."""
    by_name = {}
    for model in ormlette_side.models:
        by_name[model._meta.model_name] = model
        for field in getattr(model._meta, "local_many_to_many", ()):
            through = getattr(getattr(field, "remote_field", None), "through", None)
            if isinstance(through, type):
                by_name[through._meta.model_name] = through
    for model in registry.get_models(include_auto_created=True):
        counterpart = by_name.get(model._meta.model_name)
        if counterpart is not None:
            model._meta.db_table = counterpart._meta.db_table


# --- outcomes ----------------------------------------------------------------------------------

class Outcome:
    """What one side produced for a case: a normalised value or an Error, and the SQL it ran."""

    def __init__(self, value, error, queries):
        self.value = value
        self.error = error
        self.queries = queries

    def comparable(self, message=True):
        if self.error is not None:
            return self.error if message else Error((self.error[0], self.error[1], None))
        return self.value

    def report(self):
        shown = self.error if self.error is not None else self.value
        lines = ["    result: %r" % (shown,), "    %d queries:" % len(self.queries)]
        lines.extend("      %d. %s" % (i, sql) for i, sql in enumerate(self.queries, start=1))
        return "\n".join(lines)


def evaluate(side, func):
    """Run ``func(side.ns)`` and normalise its result, capturing the queries it runs."""
    with side.capture() as captured:
        try:
            value, error = side.normalise(func(side.ns)), None
        except Exception as exc:
            value, error = None, side.describe_error(exc)
    return Outcome(value, error, [q["sql"] for q in captured.captured_queries])


def _with_tables(models):
    """The models that own a table (a proxy model uses its concrete model's)."""
    return [model for model in models if not model._meta.proxy]


class Differential:
    """The same model source and data in Django and ormlette; compares query callables."""

    def __init__(self, source, *, label, data=None):
        if not re.fullmatch(r"[a-z][a-z0-9_]*", label):
            raise ValueError("label must be a lowercase identifier (it prefixes table names): %r" % label)
        previous = _LABELS.setdefault(label, source)
        if previous != source:
            raise ValueError("label %r is already used by other model source" % label)
        self.source = source
        self.label = label
        self.data = data
        self.django = None
        self.ormlette = None

    # -- lifecycle ------------------------------------------------------------------------------
    def build(self):
        """Declare the models on both sides (once)."""
        if self.ormlette is None:
            self.ormlette = _build_ormlette(self.source, self.label)
            self.django = _build_django(self.source, self.label, self.ormlette)
        return self

    def setup(self):
        """Build the models, create both sets of tables and load the data through each ORM."""
        self.build()
        for side in self.sides():
            self._create_tables(side)
        try:
            if self.data is not None:
                for side in self.sides():
                    self.data(side.ns)
        except BaseException:
            self.teardown()
            raise

    def teardown(self):
        """Drop both sets of tables."""
        for side in self.sides():
            with contextlib.suppress(Exception):
                self._drop_tables(side)

    def sides(self):
        return (self.django, self.ormlette)

    @staticmethod
    def _create_tables(side):
        with side.connection.schema_editor() as editor:
            for model in _with_tables(side.models):
                editor.create_model(model)

    @staticmethod
    def _drop_tables(side):
        with side.connection.schema_editor() as editor:
            for model in reversed(_with_tables(side.models)):
                editor.delete_model(model)

    def fixture(self, name=None):
        """A module-scoped pytest fixture: set up before the module's first case, drop after."""

        @pytest.fixture(scope="module", name=name)
        def _differential():
            self.setup()
            try:
                yield self
            finally:
                self.teardown()

        return _differential

    # -- running cases --------------------------------------------------------------------------
    def run(self, item, warm=False):
        """(django Outcome, ormlette Outcome) for a :class:`Case` or a bare callable.

        ``warm``: ormlette runs the case twice, cold (nothing learned) then warm (on what the cold run
        learned), and the second Outcome is the warm one's."""
        item = item if isinstance(item, Case) else Case(getattr(item, "__name__", "query"), item)
        outcomes = []
        for side in self.sides():
            # A writing case runs twice on Django too: sequences are not rolled back (PostgreSQL, MariaDB), so
            # each ormlette run is compared with the Django run that saw the same sequence state.
            runs = 2 if warm and (side is self.ormlette or item.mutates) else 1
            if runs == 2 and side is self.ormlette:
                from ormlette.db.models import fast

                fast.forget()
            for _ in range(runs):
                if item.mutates:
                    with side.rolled_back():
                        outcomes.append(evaluate(side, item.func))
                else:
                    outcomes.append(evaluate(side, item.func))
        return tuple(outcomes)

    def check(self, item):
        """Assert equal results (or errors) and ormlette queries <= Django queries, cold and then warm."""
        item = item if isinstance(item, Case) else Case(getattr(item, "__name__", "query"), item)
        outcomes = self.run(item, warm=True)
        references, (cold, warm) = outcomes[:-2] * (2 if len(outcomes) == 3 else 1), outcomes[-2:]
        self._compare(item, references[0], cold, "cold")
        self._compare(item, references[1], warm, "warm")
        return references[1], warm

    def _compare(self, item, reference, ours, run):
        problems = []
        left = reference.comparable(item.message)
        right = ours.comparable(item.message)
        if item.unordered and left == right:
            pass
        elif item.unordered and isinstance(left, Tagged) and isinstance(right, Tagged):
            left = Tagged((left[0], tuple(sorted(left[1], key=repr))))
            right = Tagged((right[0], tuple(sorted(right[1], key=repr))))
        if left != right:
            problems.append("results differ")
        if item.queries and len(ours.queries) > len(reference.queries):
            problems.append("ormlette ran %d queries, Django %d" % (len(ours.queries), len(reference.queries)))
        if problems:
            raise AssertionError("differential case %r (%s, %s run): %s\n  django:\n%s\n  ormlette:\n%s" % (
                item.name, backends.VENDOR, run, "; ".join(problems), reference.report(), ours.report()))
        return reference, ours
