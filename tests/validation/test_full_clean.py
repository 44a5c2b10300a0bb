"""full_clean(): clean_fields, clean, validate_unique, validate_constraints."""
import pytest

from ormlette.core.exceptions import NON_FIELD_ERRORS, ValidationError
from ormlette.db import IntegrityError, connection, transaction
from ormlette.test.utils import CaptureQueriesContext
from tests.backends import clean_tables, use_models
from tests.validation.models import Event

tables = use_models(Event)
cleanup = clean_tables(Event, autouse=True)
pytestmark = pytest.mark.usefixtures("tables")


def make(**kwargs):
    values = {"name": "pycon", "kind": "talk", "seats": 10, "start": 1, "end": 2}
    values.update(kwargs)
    return Event(**values)


def errors_of(obj, **kwargs):
    with pytest.raises(ValidationError) as info:
        obj.full_clean(**kwargs)
    return info.value.message_dict


def test_valid_instance_passes():
    make().full_clean()


def test_field_errors_choices_validators_blank():
    errors = errors_of(make(kind="party", seats=0, name="", email="nope"))
    assert errors["kind"] == ["Value 'party' is not a valid choice."]
    assert errors["seats"] == ["Ensure this value is greater than or equal to 1."]
    assert errors["name"] == ["This field cannot be blank."]
    assert errors["email"] == ["Enter a valid email address."]


def test_clean_hook_error_is_non_field():
    errors = errors_of(make(name="forbidden"))
    assert errors == {NON_FIELD_ERRORS: ["That name is forbidden."]}


def test_check_constraint_evaluated_by_database_without_a_row():
    with CaptureQueriesContext(connection) as ctx:
        errors = errors_of(make(start=5, end=3))
    assert errors == {NON_FIELD_ERRORS: ["Constraint “event_end_after_start” is violated."]}
    checks = [q["sql"] for q in ctx.captured_queries if "validation_event" not in q["sql"]]
    assert checks, "the condition is evaluated with SELECT 1 WHERE ... and no FROM"
    assert errors_of(make(seats=900)) == {NON_FIELD_ERRORS: ["Too many seats: event_seats_cap"]}


def test_exclude_skips_constraints_on_excluded_fields():
    make(start=5, end=3).full_clean(exclude=["end"])
    make(start=5, end=3).full_clean(validate_constraints=False)


def test_unique_field_and_unique_together():
    make(room="A", slot=1).save()
    errors = errors_of(make(room="A", slot=1, start=9, end=10))
    assert errors["name"] == ["Event with this Name already exists."]
    assert errors[NON_FIELD_ERRORS] == ["Event with this Room and Slot already exists."]
    existing = Event.objects.get()
    existing.full_clean()  # an instance does not clash with itself
    make(name="other", room="A", slot=None, start=9, end=10).full_clean()  # NULL never clashes
    errors_of(make(name="x", room="A", slot=1, start=9, end=10), validate_unique=True)
    make(room="A", slot=1).full_clean(validate_unique=False, validate_constraints=False, exclude=["name"])


def test_conditional_unique_constraint():
    make(name="t1", kind="talk", start=1, end=2).save()
    errors = errors_of(make(name="t2", kind="talk", start=1, end=3))
    assert errors == {NON_FIELD_ERRORS: ["Constraint “one_talk_per_start” is violated."]}
    make(name="w1", kind="workshop", start=1, end=3).full_clean()


def test_database_enforces_the_same_rules():
    make().save()
    for bad in (make(name="b", start=5, end=3), make(name="c", seats=900), make()):
        with pytest.raises(IntegrityError):
            with transaction.atomic():
                bad.save()
    if connection.features.supports_partial_indexes:
        with pytest.raises(IntegrityError):
            with transaction.atomic():
                make(name="d", start=1, end=9).save()  # second talk at start=1
    assert Event.objects.count() == 1
