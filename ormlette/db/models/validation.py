"""full_clean(): field cleaning, clean(), unique checks and constraint checks against the database."""
from ormlette.core.exceptions import NON_FIELD_ERRORS, ValidationError


def full_clean(instance, exclude, validate_unique, validate_constraints):
    """Run every validation step, collecting errors per field as Django."""
    errors = {}
    exclude = set(exclude) if exclude is not None else set()
    try:
        instance.clean_fields(exclude=exclude)
    except ValidationError as e:
        errors = e.update_error_dict(errors)
    try:
        instance.clean()
    except ValidationError as e:
        errors = e.update_error_dict(errors)
    if validate_unique:
        for name in errors:
            if name != NON_FIELD_ERRORS and name not in exclude:
                exclude.add(name)
        try:
            instance.validate_unique(exclude=exclude)
        except ValidationError as e:
            errors = e.update_error_dict(errors)
    if validate_constraints:
        for name in errors:
            if name != NON_FIELD_ERRORS and name not in exclude:
                exclude.add(name)
        try:
            instance.validate_constraints(exclude=exclude)
        except ValidationError as e:
            errors = e.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def _unique_checks(instance, exclude):
    opts = instance._meta
    checks = []
    for together in opts.unique_together:
        if not any(name in exclude for name in together):
            checks.append(tuple(together))
    for constraint in opts.total_unique_constraints:
        if not any(name in exclude for name in constraint.fields):
            checks.append(tuple(constraint.fields))
    for field in opts.local_fields:
        if field.unique and field.name not in exclude:
            checks.append((field.name,))
    return checks


def validate_unique(instance, exclude):
    """Query for rows that would clash with this instance's unique values."""
    exclude = set(exclude or ())
    errors = {}
    model = type(instance)
    opts = instance._meta
    for check in _unique_checks(instance, exclude):
        lookup = {}
        for name in check:
            field = opts.get_field(name)
            value = getattr(instance, field.attname)
            if value is None or (value == "" and False):
                break
            if field.primary_key and not instance._state.adding:
                break
            lookup[str(field.attname)] = value
        else:
            if len(lookup) != len(check):
                continue
            qs = model._default_manager.filter(**lookup)
            if not instance._state.adding and instance.pk is not None:
                qs = qs.exclude(pk=instance.pk)
            if qs.exists():
                key = check[0] if len(check) == 1 else NON_FIELD_ERRORS
                errors.setdefault(key, []).append(_unique_error(instance, check))
    if errors:
        raise ValidationError(errors)


def _unique_error(instance, check):
    opts = instance._meta
    params = {"model": instance, "model_class": type(instance), "model_name": str(opts.verbose_name).capitalize(),
              "unique_check": check}
    if len(check) == 1:
        field = opts.get_field(check[0])
        params["field_label"] = str(field.verbose_name).capitalize()
        return ValidationError(message=field.error_messages["unique"], code="unique", params=params)
    field_labels = [str(opts.get_field(f).verbose_name).capitalize() for f in check]
    params["field_labels"] = " and ".join(field_labels) if len(field_labels) == 2 else ", ".join(field_labels)
    return ValidationError(message="%(model_name)s with this %(field_labels)s already exists.",
                           code="unique_together", params=params)


def validate_constraints(instance, exclude):
    """Run each Meta.constraints entry's validate()."""
    errors = {}
    for model, constraints in instance.get_constraints():
        for constraint in constraints:
            try:
                constraint.validate(model, instance, exclude=exclude, using=instance._state.db or "default")
            except ValidationError as e:
                if getattr(constraint, "violation_error_code", None) == "unique" and len(
                        getattr(constraint, "fields", ())) == 1 and constraint.fields[0] not in (exclude or ()):
                    errors.setdefault(constraint.fields[0], []).append(e)
                else:
                    errors = e.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def validate_unique_constraint(constraint, model, instance, exclude, using):
    """UniqueConstraint.validate for field-based constraints."""
    exclude = set(exclude or ())
    if constraint.fields and exclude.intersection(constraint.fields):
        return
    if not constraint.fields:
        return
    lookup = {}
    for name in constraint.fields:
        field = model._meta.get_field(name)
        value = getattr(instance, field.attname)
        if value is None and constraint.nulls_distinct is not False:
            return
        lookup[field.attname] = value
    qs = model._default_manager.using(using).filter(**lookup)
    if not instance._state.adding and instance.pk is not None:
        qs = qs.exclude(pk=instance.pk)
    if constraint.condition is not None:
        from ormlette.db.models.expressions.base import Exists
        from ormlette.db.models.query_utils import Q

        # One query, as Django: the instance matches the condition AND a clashing row exists.
        values = {f.attname: getattr(instance, f.attname) for f in model._meta.concrete_fields
                  if f.name not in exclude}
        clash = check_condition(model, constraint.condition & Q(Exists(qs.filter(constraint.condition))),
                                values, using)
    else:
        clash = qs.exists()
    if clash is True:
        if constraint.violation_error_message == constraint.default_violation_error_message and \
                len(constraint.fields) >= 1 and not constraint.condition:
            if len(constraint.fields) == 1:
                raise ValidationError(_unique_error(instance, constraint.fields).messages[0], code="unique")
            raise ValidationError(_unique_error(instance, constraint.fields))
        raise ValidationError(constraint.get_violation_error_message(), code=constraint.violation_error_code)


def check_condition(model, condition, values, using):
    """Evaluate a Q against plain values with one ``SELECT 1 WHERE ...`` query (no FROM).

    True or False; None when the condition reads a field missing from ``values`` (not checked).
    """
    import sqlalchemy as sa

    from ormlette.core.exceptions import EmptyResultSet, FullResultSet
    from ormlette.db import connections
    from ormlette.db.errors import DatabaseError
    from ormlette.db.models.sql.context import KeyContext
    from ormlette.db.models.sql.query import Query
    from ormlette.db.models.sql.write import run_write

    query = Query(model)
    for name, value in _value_map(model, values).items():
        query.add_annotation(value, name, select=False)
    query.add_q(condition)
    if any(query.alias_refcount.get(alias) for alias in query.alias_map):
        return None  # it reads a field without a value (excluded): Django skips the check (FieldError)
    where = query.where
    connection = connections[using]
    k = KeyContext(connection)
    try:
        key = ("check", where.key(k))  # COALESCE(..., TRUE): NULL satisfies a condition, as a CHECK does
    except EmptyResultSet:
        return False
    except FullResultSet:
        return True

    def build(c):
        c.query = query
        return sa.select(sa.literal_column("1")).where(sa.func.coalesce(where.as_sa(c), sa.true()))

    try:
        cursor = run_write(connection, key, k.params, build)
    except DatabaseError:
        return True  # Django treats a condition the database cannot evaluate as passing
    try:
        return cursor.fetchone() is not None
    finally:
        cursor.close()


def _value_map(model, values):
    """{name, attname and "pk": Value(instance value, output_field=field)}."""
    from ormlette.db.models.expressions.base import Value

    mapping = {}
    for field in model._meta.concrete_fields:
        if field.attname not in values:
            continue
        value = values[field.attname]
        if not hasattr(value, "resolve_expression"):
            value = Value(value, output_field=field)
        mapping[field.name] = value
        mapping[field.attname] = value
        if field.primary_key:
            mapping["pk"] = value
    return mapping
