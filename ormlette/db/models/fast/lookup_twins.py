"""Twins of a recorded queryset's template lookups: ``type(leaf)(leaf.lhs, value)`` made cheaply.

A recorded ``filter()`` builds, for each new value, the lookup the template holds at that place. The
lookup's constructor re-checks the lhs and re-runs the field's value preparation; for a value of a
type the stock preparation returns unchanged, and an lhs the template already prepared, neither
step can change the result, so the twin only sets the attributes the constructor would have set.
"""
from ormlette.db.models.lookups.related import SCALAR_TYPES, RelatedLookupMixin, lookup_target_field
from ormlette.db.models.fast.unchanged import ANY_VALUE, prep_unchanged_types
from ormlette.db.models.lookups.base import Exact, Lookup

# get_prep_lookup implementations whose only change to a plain value is the field's get_prep_value.
_PLAIN_PREP_LOOKUPS = frozenset({Lookup.get_prep_lookup, Exact.get_prep_lookup, RelatedLookupMixin.get_prep_lookup})


def lookup_twin_maker(leaf, value_type):
    """A function of one value building ``type(leaf)(leaf.lhs, value)`` for values of exactly ``value_type``."""
    cls, lhs = type(leaf), leaf.lhs
    if not _constructs_plainly(cls, leaf):
        return lambda value: cls(lhs, value)
    if _prepares_unchanged(cls, leaf, value_type):
        def twin(value):
            obj = new(cls)
            obj.__dict__ = {"lhs": lhs, "rhs": value, "bilateral_transforms": []}
            return obj
        return twin

    def prepared_twin(value):
        obj = new(cls)
        obj.__dict__ = {"lhs": lhs, "rhs": value}
        obj.rhs = obj.get_prep_lookup()
        obj.bilateral_transforms = []
        return obj
    return prepared_twin


new = object.__new__


def _constructs_plainly(cls, leaf):
    # Lookup.__init__ on an already prepared lhs with no bilateral transforms only stores and prepares the rhs.
    return (cls.__init__ is Lookup.__init__ and cls.get_prep_lhs is Lookup.get_prep_lhs
            and cls.__new__ is object.__new__ and hasattr(leaf.lhs, "resolve_expression")
            and leaf.bilateral_transforms == [] and set(leaf.__dict__) == {"lhs", "rhs", "bilateral_transforms"})


def _prepares_unchanged(cls, leaf, value_type):
    """Whether ``cls``'s get_prep_lookup returns a ``value_type`` value as it is, for this lhs."""
    if any(klass.__dict__.get("get_prep_lookup", Lookup.get_prep_lookup) not in _PLAIN_PREP_LOOKUPS
           for klass in cls.__mro__):  # e.g. IntegerFieldFloatRounding changes the value itself
        return False
    if not cls.prepare_rhs:
        return True
    output_field = getattr(leaf.lhs, "output_field", None)
    if not _keeps_type(output_field, value_type):
        return False  # includes an lhs without a field: the rhs would be wrapped in Value
    if issubclass(cls, RelatedLookupMixin):
        return value_type in SCALAR_TYPES and _keeps_type(lookup_target_field(leaf.lhs), value_type)
    return True


def _keeps_type(field, value_type):
    """Whether ``field.get_prep_value`` returns values of exactly ``value_type`` unchanged."""
    types = prep_unchanged_types(field)
    return types is ANY_VALUE or value_type in types
