"""Run the same query code through ormlette and Django 5.2 and compare (issue 4 differential tests).

A case is a Python expression (a string) evaluated in a namespace holding the model classes, every
public name of ``<orm>.db.models`` and ``<orm>.db.models.functions``, ``datetime``, ``Decimal`` and
``tz`` (UTC). The same string runs on both sides; results (or exception classes and messages) must
be equal and ormlette must not send more queries than Django.

Django is configured lazily (inside fixtures) through ``tests.django_ref`` when it exists, else the
suite's ``tests.compat.django_reference``.
"""
import datetime
import decimal
import math

DJANGO_APP_LABELS = set()


def configure_django():
    """Configure the reference Django once for this process."""
    try:
        from tests.django_ref import configure_django as configure
    except ImportError:
        from tests.compat.django_reference import configure_django as configure
    configure()


def namespace(models_module, functions_module, model_classes, *more_modules):
    """The evaluation namespace of one ORM."""
    ns = {"datetime": datetime, "Decimal": decimal.Decimal, "tz": datetime.timezone.utc, "math": math}
    for module in (*more_modules, models_module, functions_module):
        ns.update({name: getattr(module, name) for name in dir(module) if not name.startswith("_")})
    ns.update(datetime=datetime, math=math)
    ns["models"] = models_module
    ns.update(model_classes)
    return ns


def create_tables(connection, model_classes, drop=False):
    """CREATE (or DROP) the tables of ``model_classes`` on ``connection``."""
    with connection.schema_editor() as editor:
        for model in (reversed(model_classes) if drop else model_classes):
            (editor.delete_model if drop else editor.create_model)(model)


def _value(value):
    if isinstance(value, float):
        return ("float", round(value, 6))
    if isinstance(value, dict):
        return {k: _value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)) and not hasattr(value, "_fields"):
        return type(value)(_value(v) for v in value)
    if hasattr(value, "_fields"):
        return ("row", tuple(value._fields), tuple(_value(v) for v in value))
    if hasattr(value, "resolve_expression") and not hasattr(value, "_meta"):
        return ("expression", repr(value))
    if hasattr(value, "_meta") and hasattr(value, "__dict__"):
        return ("obj", type(value).__name__, {k: _value(v) for k, v in value.__dict__.items()
                                              if not k.startswith("_")})
    return value


def evaluate(ns, code):
    """("ok", normalised result, ordered?) or ("error", class name, message)."""
    try:
        result = eval(code, ns)  # noqa: S307 - test code strings written in this repository
        ordered = True
        if hasattr(result, "query") and hasattr(result, "ordered"):
            ordered = result.ordered
            result = list(result)
        elif hasattr(result, "__iter__") and not isinstance(result, (str, dict, bytes)) and \
                not isinstance(result, (list, tuple)):
            result = list(result)
        return ("ok", _value(result), ordered)
    except Exception as exc:  # noqa: BLE001 - the exception itself is compared
        return ("error", type(exc).__name__, str(exc))


def same(a, b):
    """Whether two evaluate() outcomes agree (unordered results compared as multisets)."""
    if a[0] != b[0]:
        return False
    if a[0] == "error":
        return a[1] == b[1]
    if a[1] == b[1]:
        return True
    if (not a[2] or not b[2]) and isinstance(a[1], list) and isinstance(b[1], list):
        return sorted(map(repr, a[1])) == sorted(map(repr, b[1]))
    return False


def run_case(code, orm_ns, dj_ns, orm_conn, dj_conn, compare_messages=False):
    """Evaluate ``code`` on both ORMs; raise AssertionError on a difference or a query-count excess."""
    from django.test.utils import CaptureQueriesContext as DjangoCapture

    from ormlette.test.utils import CaptureQueriesContext

    from ormlette.db.models import fast

    with DjangoCapture(dj_conn) as dj_queries:
        expected = evaluate(dj_ns, code)
    fast.forget()
    for run in ("cold", "warm"):  # warm: the same code again, on what the cold run learned
        with CaptureQueriesContext(orm_conn) as orm_queries:
            got = evaluate(orm_ns, code)
        assert same(got, expected), "%s (%s)\n  ormlette: %r\n  django:   %r\n  sql: %s" % (
            code, run, got, expected, [q["sql"] for q in orm_queries.captured_queries])
        if compare_messages and expected[0] == "error":
            assert got[2] == expected[2], "%s (%s): message %r != %r" % (code, run, got[2], expected[2])
        if expected[0] == "ok":
            assert len(orm_queries) <= len(dj_queries), "%s (%s): %d queries > Django's %d" % (
                code, run, len(orm_queries), len(dj_queries))
    return got
