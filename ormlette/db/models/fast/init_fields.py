"""Model.__init__ generated per model, with one keyword parameter per field.

``Item(order_id=1, quantity=2)`` binds its values to parameters in C instead of building, probing and
popping a keyword dict; the generated function applies ``Model._init_field``'s rules with the
per-field branching decided once per model (attribute names are constants, defaults that are always
None or "" are inlined). Anything else (positional values, unknown or property keywords, a relation
given both as an object and as an id, connected pre_init/post_init receivers) takes
``Model._init_general``, the reference rules, with the same arguments.

A model whose classes define no ``__init__`` of their own gets the function as its ``__init__``;
otherwise ``Model.__init__`` calls it (a custom ``__init__`` calling ``super().__init__()``).
"""
import keyword

from ormlette.db.models import signals
from ormlette.db.models.fields.base import NOT_PROVIDED, Field
from ormlette.utils.codegen import compile_function

_MISSING = object()

# Where the function is kept on Options (Options._expire_cache drops it with concrete_fields).
CACHE_NAME = "_init_keywords"

# Marks a generated function installed as a model's __init__ (it may be replaced or removed).
GENERATED_MARK = "generated_init"


def keyword_init_function(opts):
    """``(instance, *args, **kwargs) -> None`` for ``opts``'s model, generated once and kept on ``opts``."""
    function = opts.__dict__.get(CACHE_NAME)
    if function is None:
        function = opts.__dict__[CACHE_NAME] = _generate(opts)
        if not opts.abstract and _inherits_stock_init(opts.model):
            type.__setattr__(opts.model, "__init__", function)
    return function


def remove_installed_init(model):
    """Take a generated ``__init__`` off ``model`` (its fields changed; the next instance regenerates it)."""
    if getattr(model.__dict__.get("__init__"), GENERATED_MARK, False):
        type.__delattr__(model, "__init__")


def _inherits_stock_init(model):
    """Whether no class between ``model`` and Model defines an ``__init__`` other than a generated one."""
    from ormlette.db.models.base import Model

    for klass in model.__mro__:
        if klass is Model:
            return True
        init = klass.__dict__.get("__init__")
        if init is not None and not getattr(init, GENERATED_MARK, False):
            return False
    return False


def _generate(opts):
    from ormlette.db.models.base import DEFERRED

    # Every name the function uses besides the parameters starts with "__", which no field name can.
    namespace = {"__MISSING": _MISSING, "__DEFERRED": DEFERRED, "__pre_init": signals.pre_init,
                 "__post_init": signals.post_init, "__OWNER": opts.model}
    fields = [f for f in opts.concrete_fields if not f.generated]
    params = _parameters(fields)
    if opts.abstract or params is None:
        source = "def init_keywords(self, *args, **kwargs):\n    self._init_general(args, kwargs)\n"
        return _compiled(source, namespace)
    signature = "__self, /, *__args, %s**__kwargs" % "".join("%s=__MISSING, " % name for name in params)
    given = "{%s}" % ", ".join("%r: %s" % (name, name) for name in params)
    lines = ["def init_keywords(%s):" % signature,
             "    if __args or __kwargs or __pre_init.receivers or __post_init.receivers or "
             "__self.__class__ is not __OWNER%s:" % "".join(_both_given_checks(fields)),
             "        __given = {__key: __value for __key, __value in %s.items() if __value is not __MISSING}"
             % given,
             "        __given.update(__kwargs)",
             "        return __self._init_general(__args, __given)",
             "    __data = __self.__dict__"]
    for index, field in enumerate(fields):
        lines.extend("    " + line for line in _field_lines(field, index, namespace))
    return _compiled("\n".join(lines) + "\n", namespace)


def _compiled(source, namespace):
    function = compile_function(source, namespace, "init_keywords")
    setattr(function, GENERATED_MARK, True)
    return function


def _parameters(fields):
    """Keyword parameter names: each attname, and the name of each forward relation (None if unusable)."""
    names = []
    for field in fields:
        names.append(field.attname)
        if _is_forward_relation(field):
            names.append(field.name)
    if len(set(names)) != len(names) or not all(n.isidentifier() and not keyword.iskeyword(n) and
                                                not n.startswith("__") for n in names):
        return None
    return names


def _is_forward_relation(field):
    return field.is_relation and (field.many_to_one or field.one_to_one)


def _both_given_checks(fields):
    """A relation given both as an object and as an id takes the reference rules."""
    return ["" if not _is_forward_relation(f) else " or (%s is not __MISSING and %s is not __MISSING)"
            % (f.name, f.attname) for f in fields]


def _field_lines(field, index, namespace):
    """Store the given value or the field's default, unless DEFERRED.

    A keyword under a field's name that is not its attname lands in ``__kwargs`` (reference rules).
    """
    name = field.attname
    constant = _constant_default(field)
    default = repr(constant) if constant is not _MISSING else _default_call(field, index, namespace)
    lines = ["if %s is __MISSING:" % name, "    %s = %s" % (name, default),
             "if %s is not __DEFERRED:" % name, "    __data[%r] = %s" % (name, name)]
    if _is_forward_relation(field):
        # Given as an object: the forward descriptor sets the id and caches the object.
        lines = ["if %s is not __MISSING:" % field.name,
                 "    if %s is not __DEFERRED:" % field.name,
                 "        __self.%s = %s" % (field.name, field.name),
                 "else:"] + ["    " + line for line in lines]
    return lines


def _constant_default(field):
    """The field's default when it is always None or "" (a literal in the source), else _MISSING."""
    if type(field).get_default is Field.get_default and field.default is NOT_PROVIDED and \
            field.db_default is NOT_PROVIDED:
        return None if not field.empty_strings_allowed or field.null else ""
    return _MISSING


def _default_call(field, index, namespace):
    namespace["__default%d" % index] = field.get_default
    return "__default%d()" % index
