"""Differential tests: ormlette.core.exceptions.ValidationError against Django's."""
import pickle

import pytest

from tests.compat.django_reference import configure_django

configure_django()

import django.core.exceptions as dj  # noqa: E402
import ormlette.core.exceptions as orm  # noqa: E402

SIMPLE_NAMES = [
    "FieldDoesNotExist", "AppRegistryNotReady", "ObjectDoesNotExist", "MultipleObjectsReturned",
    "SuspiciousOperation", "SuspiciousMultipartForm", "SuspiciousFileOperation", "DisallowedHost",
    "DisallowedRedirect", "TooManyFieldsSent", "TooManyFilesSent", "RequestDataTooBig",
    "RequestAborted", "BadRequest", "PermissionDenied", "ViewDoesNotExist", "MiddlewareNotUsed",
    "ImproperlyConfigured", "FieldError", "EmptyResultSet", "FullResultSet",
    "SynchronousOnlyOperation",
]


def shapes(m):
    """Build the same ValidationErrors with module m's class."""
    VE = m.ValidationError
    return [
        VE("Plain message"),
        VE("Value %(value)s is bad", code="bad", params={"value": 42}),
        VE("No params %(x)s"),
        VE("Pct %s", params=("x",)),
        VE(["first", "second"]),
        VE([VE("a %(n)d", params={"n": 1}), "b", VE(["c", "d"])]),
        VE({"name": "required", "age": ["too small", VE("neg %(v)s", params={"v": -1})]}),
        VE({"f": VE(["x", "y"]), m.NON_FIELD_ERRORS: "whole form"}),
        VE([VE({"a": ["one"], "b": ["two", "three"]}), "tail"]),
        VE(VE("wrapped %(v)s", code="c", params={"v": 1})),
        VE(VE(["l1", "l2"])),
        VE(VE({"k": "v"})),
        VE(VE("inner", code="old"), code="new"),
        VE([]),
        VE({}),
        VE(("tuple", "message")),
        VE(123),
    ]


def describe(error):
    """Everything observable about a ValidationError, as plain data."""
    info = {
        "str": str(error),
        "repr": repr(error),
        "messages": error.messages,
        "iter": list(error),
        "has_dict": hasattr(error, "error_dict"),
        "has_message": hasattr(error, "message"),
        "args_len": len(error.args),
        "update": {k: [str(e) for e in v] for k, v in error.update_error_dict({}).items()},
    }
    if hasattr(error, "error_dict"):
        info["message_dict"] = error.message_dict
    else:
        info["codes"] = [e.code for e in error.error_list]
        with pytest.raises(AttributeError):
            error.message_dict
    if hasattr(error, "message"):
        info["single"] = (error.message, error.code, error.params)
    return info


@pytest.mark.parametrize("index", range(len(shapes(dj))))
def test_validation_error_shapes_match(index):
    assert describe(shapes(orm)[index]) == describe(shapes(dj)[index])


def test_equality_and_hash_match():
    dj_errors, orm_errors = shapes(dj), shapes(orm)
    for i in range(len(dj_errors)):
        for j in range(len(dj_errors)):
            assert (orm_errors[i] == orm_errors[j]) == (dj_errors[i] == dj_errors[j]), (i, j)
    assert orm.ValidationError("a") != "a"
    assert orm.ValidationError("a", params={"x": [1]}) == orm.ValidationError("a", params={"x": [1]})
    assert hash(orm.ValidationError(["b", "a"])) == hash(orm.ValidationError(["a", "b"]))
    assert orm.ValidationError({"f": ["a"]}) != orm.ValidationError({"f": ["b"]})


def test_update_error_dict_merges_like_django():
    results = []
    for m in (dj, orm):
        target = {"f": [m.ValidationError("pre")]}
        m.ValidationError({"f": "x", "g": "y"}).update_error_dict(target)
        m.ValidationError(["z"]).update_error_dict(target)
        results.append({k: [e.message for e in v] for k, v in target.items()})
    assert results[0] == results[1] == {"f": ["pre", "x"], "g": ["y"], "__all__": ["z"]}


def test_pickle_roundtrip():
    error = orm.ValidationError({"f": ["x %(v)s"]}, code="c")
    clone = pickle.loads(pickle.dumps(error))
    assert clone.message_dict == error.message_dict
    single = pickle.loads(pickle.dumps(orm.ValidationError("m %(a)s", "c", {"a": 1})))
    assert (single.message, single.code, single.params) == ("m %(a)s", "c", {"a": 1})


def test_dict_value_must_not_be_a_dict_error():
    for m in (dj, orm):
        with pytest.raises(AttributeError):
            m.ValidationError({"f": m.ValidationError({"g": "x"})})


@pytest.mark.parametrize("name", SIMPLE_NAMES)
def test_simple_exceptions_mirror_django(name):
    ours, theirs = getattr(orm, name), getattr(dj, name)
    assert issubclass(ours, Exception)
    assert [c.__name__ for c in ours.__mro__] == [c.__name__ for c in theirs.__mro__]
    assert getattr(ours, "silent_variable_failure", False) == getattr(
        theirs, "silent_variable_failure", False
    )


def test_constants_and_extras():
    assert orm.NON_FIELD_ERRORS == dj.NON_FIELD_ERRORS == "__all__"
    assert issubclass(orm.ObjectNotUpdated, Exception)
    with pytest.raises(orm.ObjectDoesNotExist):
        raise orm.ObjectDoesNotExist("gone")
