"""Model.__init__ with keyword arguments: a generated per-model function that fills the instance dict.

Same rules as ``Model._init_field`` for every concrete field, with the per-field branching decided
once per model: the attribute names are constants, defaults that are always None or "" are
inlined, and a relation given as an object takes the generic path.
"""
from ormlette.db.models.fields.base import NOT_PROVIDED, Field
from ormlette.utils.codegen import compile_function

_MISSING = object()


def init_fields_function(opts):
    """``(instance, kwargs) -> None`` for ``opts.concrete_fields`` (cached while that tuple is current)."""
    fields = opts.concrete_fields
    cached = opts.__dict__.get("_init_fields_cache")
    if cached is None or cached[0] is not fields:
        cached = (fields, _generate(fields))
        opts.__dict__["_init_fields_cache"] = cached
    return cached[1]


def _generate(fields):
    from ormlette.db.models.base import DEFERRED

    namespace = {"MISSING": _MISSING, "DEFERRED": DEFERRED}
    lines = ["def init_fields(self, kwargs):", "    data = self.__dict__", "    pop = kwargs.pop"]
    for index, field in enumerate(fields):
        if not field.generated:
            namespace["field%d" % index] = field
            lines.extend("    " + line for line in _field_lines(field, index, namespace))
    return compile_function("\n".join(lines) + "\n", namespace, "init_fields")


def _field_lines(field, index, namespace):
    """Pop the field's value (or take its default) and store it unless DEFERRED."""
    lines = []
    if field.is_relation and (field.many_to_one or field.one_to_one):
        lines += ["if %r in kwargs:" % field.name, "    self._init_field(field%d, kwargs)" % index, "else:"]
        indent = "    "
    else:
        indent = ""
    body = ["value = pop(%r, MISSING)" % field.attname, "if value is MISSING:"]
    if not field.is_relation and field.name != field.attname:
        body += ["    value = pop(%r) if %r in kwargs else %s" % (field.name, field.name,
                                                                _default_source(field, index, namespace))]
    else:
        body += ["    value = %s" % _default_source(field, index, namespace)]
    body += ["if value is not DEFERRED:", "    data[%r] = value" % field.attname]
    return lines + [indent + line for line in body]


def _default_source(field, index, namespace):
    """An expression for the field's default: a constant when it is always None or ""."""
    if type(field).get_default is Field.get_default and field.default is NOT_PROVIDED and \
            field.db_default is NOT_PROVIDED:
        return "None" if not field.empty_strings_allowed or field.null else "''"
    namespace["default%d" % index] = field.get_default
    return "default%d()" % index
