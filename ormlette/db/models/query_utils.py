"""Small shared query vocabulary: Q, lookup registration, deferred attributes."""
import copy
import functools
import inspect

from ormlette.core.exceptions import FieldError
from ormlette.db.models import fetch_modes
from ormlette.db.models.sql.tree import Node

LOOKUP_SEP = "__"


class Q(Node):
    """Encapsulate filters as objects combinable with ``&``, ``|``, ``^`` and ``~``."""

    AND = "AND"
    OR = "OR"
    XOR = "XOR"
    default = AND
    conditional = True

    connectors = (None, AND, OR, XOR)

    def __init__(self, *args, _connector=None, _negated=False, **kwargs):
        if _connector not in self.connectors:
            connector_reprs = ", ".join(repr(conn) for conn in self.connectors[1:])
            raise ValueError("_connector must be one of %s, or None." % connector_reprs)
        super().__init__(children=[*args, *sorted(kwargs.items())], connector=_connector, negated=_negated)

    def _combine(self, other, conn):
        if getattr(other, "conditional", False) is False:
            raise TypeError(other)
        if not self:
            return other.copy() if hasattr(other, "copy") else copy.copy(other)
        if not other and isinstance(other, Q):
            return self.copy()
        obj = self.create(connector=conn)
        obj.add(self, conn)
        obj.add(other, conn)
        return obj

    def __or__(self, other):
        return self._combine(other, self.OR)

    def __and__(self, other):
        return self._combine(other, self.AND)

    def __xor__(self, other):
        return self._combine(other, self.XOR)

    def __invert__(self):
        obj = self.copy()
        obj.negate()
        return obj

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        """Resolve into a where node of ``query`` (used when a Q is an expression)."""
        return query.build_filter_tree(self, allow_joins=allow_joins, reuse=reuse, summarize=summarize)

    def flatten(self):
        """Yield this Q and every child, recursively."""
        yield self
        for child in self.children:
            if isinstance(child, tuple):
                child = child[1]
            if hasattr(child, "flatten"):
                yield from child.flatten()
            else:
                yield child

    def deconstruct(self):
        """(path, args, kwargs) as Django."""
        path = "ormlette.db.models.Q"
        args = tuple(self.children)
        kwargs = {}
        if self.connector != self.default:
            kwargs["_connector"] = self.connector
        if self.negated:
            kwargs["_negated"] = True
        return path, args, kwargs

    def __eq__(self, other):
        return type(self) is type(other) and self.connector == other.connector and \
            self.negated == other.negated and self.children == other.children

    def __hash__(self):
        from ormlette.utils.hashable import make_hashable

        return hash((type(self), self.connector, self.negated, *make_hashable(self.children)))


# Merged per-class lookup tables; cleared whenever a class registry changes.
_MERGED_LOOKUPS = {}


class _hybrid:
    """A method usable on the class and on instances (``register_lookup``)."""

    def __init__(self, func):
        self.func = func

    def __get__(self, instance, owner):
        target = owner if instance is None else instance
        return functools.partial(self.func, target)


class RegisterLookupMixin:
    """Class (and instance) level registry of lookups and transforms by name."""

    @classmethod
    def _class_lookups(cls):
        merged = _MERGED_LOOKUPS.get(cls)
        if merged is None:
            merged = {}
            for parent in reversed(inspect.getmro(cls)):
                merged.update(parent.__dict__.get("class_lookups", {}))
            _MERGED_LOOKUPS[cls] = merged
        return merged

    def get_lookups(self):
        """Every lookup and transform available on this object."""
        lookups = self._class_lookups() if isinstance(self, type) else type(self)._class_lookups()
        if not isinstance(self, type):
            lookups = {**lookups, **self.__dict__.get("instance_lookups", {})}
        return lookups

    def get_lookup(self, lookup_name):
        """The Lookup class registered as ``lookup_name``, or None."""
        from ormlette.db.models.lookups.base import Lookup

        found = self.get_lookups().get(lookup_name)
        if found is not None and not issubclass(found, Lookup):
            return None
        if found is None and hasattr(self, "output_field") and self.output_field is not self:
            return self.output_field.get_lookup(lookup_name)
        return found

    def get_transform(self, lookup_name):
        """The Transform class registered as ``lookup_name``, or None."""
        from ormlette.db.models.lookups.base import Transform

        found = self.get_lookups().get(lookup_name)
        if found is not None and not issubclass(found, Transform):
            return None
        if found is None and hasattr(self, "output_field") and self.output_field is not self:
            return self.output_field.get_transform(lookup_name)
        return found

    @_hybrid
    def register_lookup(cls_or_self, lookup, lookup_name=None):
        """Register a lookup or transform on a class (all fields of it) or one instance."""
        name = lookup_name or lookup.lookup_name
        if isinstance(cls_or_self, type):
            if "class_lookups" not in cls_or_self.__dict__:
                cls_or_self.class_lookups = {}
            cls_or_self.class_lookups[name] = lookup
            _MERGED_LOOKUPS.clear()
        else:
            cls_or_self.__dict__.setdefault("instance_lookups", {})[name] = lookup
        return lookup

    @_hybrid
    def _unregister_lookup(cls_or_self, lookup, lookup_name=None):
        """Remove a registered lookup (used by tests)."""
        name = lookup_name or lookup.lookup_name
        if isinstance(cls_or_self, type):
            cls_or_self.__dict__.get("class_lookups", {}).pop(name, None)
            _MERGED_LOOKUPS.clear()
        else:
            cls_or_self.__dict__.get("instance_lookups", {}).pop(name, None)


class DeferredAttribute:
    """Descriptor for a deferred field: loads it from the database on first access.

    A non-data descriptor, as Django's: a loaded value lives in the instance dict and is read and
    written there directly, without calling into Python.
    """

    def __init__(self, field):
        self.field = field

    def __get__(self, instance, cls=None):
        if instance is None:
            return self
        data = instance.__dict__
        name = self.field.attname
        if name not in data:
            self.load(instance)
        return data[name]

    def load(self, instance):
        """Fetch the deferred value as the instance's fetch mode says."""
        if fetch_modes.listener is not None:
            fetch_modes.listener("deferred", instance, self.field.attname)
        instance._state.fetch_mode.fetch(self, instance)

    def is_cached(self, instance):
        """Whether ``instance`` holds the value."""
        return self.field.attname in instance.__dict__

    def fetch_one(self, instance):
        """Load the value for ``instance`` (FETCH_ONE)."""
        instance.refresh_from_db(fields=[self.field.attname])

    def fetch_many(self, instances):
        """Load the value for ``instances`` in one query (FETCH_PEERS)."""
        name = self.field.attname
        first = instances[0]
        by_pk = {}
        for peer in instances:
            by_pk.setdefault(peer.pk, []).append(peer)
        manager = type(first)._base_manager.db_manager(first._state.db)
        for pk, value in manager.filter(pk__in=list(by_pk)).values_list("pk", name):
            for peer in by_pk.get(pk, ()):
                peer.__dict__[name] = value
        if name not in first.__dict__:
            first.refresh_from_db(fields=[name])  # gone from the table: refresh reports it as Django does

    def blocked_message(self, instance):
        """The RAISE mode's message: model, field and the fix."""
        name = self.field.attname
        return ("Fetching of %s.%s blocked. Load it with the query: add %r to .only(...) or take it out of "
                ".defer(...), or let lazy loads fetch for all peers: .fetch_mode(models.FETCH_PEERS)."
                % (type(instance).__qualname__, self.field.name, name))


def check_rel_lookup_compatibility(model, target_opts, field):
    """Whether an instance of ``model`` can be used to filter on ``field``."""
    return model._meta.concrete_model is target_opts.concrete_model or \
        issubclass(model, target_opts.concrete_model) or issubclass(target_opts.concrete_model, model)


def refs_expression(lookup_parts, annotations):
    """Find the annotation a lookup path starts with: (expression, remaining parts)."""
    for n in range(1, len(lookup_parts) + 1):
        level_n_lookup = LOOKUP_SEP.join(lookup_parts[0:n])
        if annotations and level_n_lookup in annotations:
            return level_n_lookup, lookup_parts[n:]
    return None, ()


__all__ = ["Q", "RegisterLookupMixin", "DeferredAttribute", "LOOKUP_SEP", "FieldError", "refs_expression"]


class FilteredRelation:
    """A relation joined with an extra ON condition (``annotate(x=FilteredRelation(...))``)."""

    def __init__(self, relation_name, *, condition=Q()):
        if not relation_name:
            raise ValueError("relation_name cannot be empty.")
        self.relation_name = relation_name
        self.alias = None
        if not isinstance(condition, Q):
            raise ValueError("condition argument must be a Q() instance.")
        self.condition = condition
        self.path = []

    def __eq__(self, other):
        if not isinstance(other, self.__class__):
            return NotImplemented
        return (self.relation_name == other.relation_name and self.alias == other.alias
                and self.condition == other.condition)

    def __hash__(self):
        return hash((self.relation_name, self.alias))

    def clone(self):
        """A copy."""
        clone = FilteredRelation(self.relation_name, condition=self.condition)
        clone.alias = self.alias
        clone.path = self.path[:]
        return clone
