"""``Model._meta``: the model's fields, table and Meta options."""
import bisect
import re

from ormlette.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from ormlette.db.models.fast.init_fields import remove_installed_init
from ormlette.utils import learned
from ormlette.utils.functional import cached_property

DEFAULT_NAMES = (
    "verbose_name", "verbose_name_plural", "db_table", "db_table_comment", "ordering", "unique_together",
    "permissions", "get_latest_by", "order_with_respect_to", "app_label", "db_tablespace", "abstract",
    "managed", "proxy", "swappable", "auto_created", "apps", "default_permissions",
    "select_on_save", "default_related_name", "required_db_features", "required_db_vendor",
    "base_manager_name", "default_manager_name", "indexes", "constraints",
)


def camel_case_to_spaces(name):
    """'OrderItem' -> 'order item'."""
    return re.sub(r"(((?<=[a-z])[A-Z])|([A-Z](?![A-Z]|$)))", r" \1", name).strip().lower()


def normalize_together(option):
    """Turn ('a', 'b') into (('a', 'b'),)."""
    if not option:
        return ()
    if not isinstance(option, (tuple, list)):
        raise TypeError("unique_together must be a tuple or list")
    first = option[0]
    if not isinstance(first, (tuple, list)):
        return (tuple(option),)
    return tuple(tuple(ot) for ot in option)


class Options:
    """Metadata of one model class."""

    FORWARD_PROPERTIES = ("fields", "many_to_many", "concrete_fields", "local_concrete_fields", "_forward_fields_map")

    def __init__(self, meta, app_label=None):
        self.meta = meta
        self.local_fields = []
        self.local_many_to_many = []
        self.private_fields = []
        self.model_name = None
        self.verbose_name = None
        self.verbose_name_plural = None
        self.db_table = ""
        self.db_table_comment = ""
        self.ordering = []
        self._ordering_clash = False
        self.indexes = []
        self.constraints = []
        self.unique_together = []
        self.select_on_save = False
        self.default_permissions = ("add", "change", "delete", "view")
        self.permissions = []
        self.object_name = None
        self.app_label = app_label
        self.get_latest_by = None
        self.order_with_respect_to = None
        self.db_tablespace = ""
        self.required_db_features = []
        self.required_db_vendor = None
        self.meta = meta
        self.pk = None
        self.auto_field = None
        self.abstract = False
        self.managed = True
        self.proxy = False
        self.proxy_for_model = None
        self.concrete_model = None
        self.swappable = None
        self.parents = {}
        self.auto_created = False
        self.related_fkey_lookups = []
        self.default_related_name = None
        self.base_manager_name = None
        self.default_manager_name = None
        self.local_managers = []
        self.apps = None
        self.related_objects_cache = None
        self._relation_tree = []

    @property
    def label(self):
        """'app_label.ModelName'."""
        return "%s.%s" % (self.app_label, self.object_name)

    @property
    def label_lower(self):
        """'app_label.modelname'."""
        return "%s.%s" % (self.app_label, self.model_name)

    def contribute_to_class(self, cls, name):
        """Read the Meta class into these options."""
        cls._meta = self
        self.model = cls
        self.object_name = cls.__name__
        self.model_name = self.object_name.lower()
        self.verbose_name = camel_case_to_spaces(self.object_name)
        self.original_attrs = {}
        if self.meta:
            meta_attrs = {k: v for k, v in self.meta.__dict__.items() if not k.startswith("_")}
            for attr_name in DEFAULT_NAMES:
                if attr_name in meta_attrs:
                    setattr(self, attr_name, meta_attrs.pop(attr_name))
                    self.original_attrs[attr_name] = getattr(self, attr_name)
                elif hasattr(self.meta, attr_name):
                    setattr(self, attr_name, getattr(self.meta, attr_name))
                    self.original_attrs[attr_name] = getattr(self, attr_name)
            self.unique_together = normalize_together(self.unique_together)
            if self.verbose_name_plural is None:
                self.verbose_name_plural = "%ss" % self.verbose_name
            if meta_attrs:
                raise TypeError("'class Meta' got invalid attribute(s): %s" % ",".join(meta_attrs))
        else:
            self.verbose_name_plural = "%ss" % self.verbose_name
        if not self.db_table:
            self.db_table = "%s_%s" % (self.app_label, self.model_name)

    def _prepare(self, model):
        """Add an automatic primary key if none was declared."""
        if self.pk is None:
            if self.parents:
                field = next(iter(self.parents.values()))
                field.primary_key = True
                self.setup_pk(field)
            else:

                auto = self._default_auto_field_class()(verbose_name="ID", primary_key=True, auto_created=True)
                model.add_to_class("id", auto)

    def _default_auto_field_class(self):
        from ormlette.conf import settings
        from ormlette.db.models import fields

        path = getattr(self.model, "_default_auto_field_path", None) or settings.DEFAULT_AUTO_FIELD
        name = path.rsplit(".", 1)[-1]
        klass = getattr(fields, name, None)
        if klass is None:
            raise ImproperlyConfigured("DEFAULT_AUTO_FIELD refers to the unknown field class %r." % path)
        return klass

    def add_manager(self, manager):
        """Register a manager declared on the model."""
        self.local_managers.append(manager)
        self._expire_cache()

    def add_field(self, field, private=False):
        """Add a field in declaration order."""
        if private:
            self.private_fields.append(field)
        elif field.is_relation and field.many_to_many:
            bisect.insort(self.local_many_to_many, field)
        else:
            bisect.insort(self.local_fields, field)
            self.setup_pk(field)
        self._expire_cache()

    def setup_pk(self, field):
        """Remember the primary key field."""
        if not self.pk and field.primary_key:
            self.pk = field
            field.serialize = False

    def _expire_cache(self):
        for name in ("fields", "concrete_fields", "local_concrete_fields", "many_to_many", "_forward_fields_map",
                     "_fields_map", "managers", "base_manager", "default_manager", "related_objects",
                     "_get_fields_cache", "db_returning_fields", "total_unique_constraints",
                     "_attname_map", "_name_map", "_init_keywords", "_insert_plans",
                     "_reverse_one_to_one_field_names"):
            self.__dict__.pop(name, None)
        self.__dict__.pop("_get_fields_cache", None)
        if getattr(self, "model", None) is not None:
            remove_installed_init(self.model)
            learned.forget(self.model)

    def __reduce__(self):
        # Pickled by reference (as the model class is): caches on _meta (generated functions) stay out.
        return (getattr, (self.model, "_meta"))

    def __repr__(self):
        return "<Options for %s>" % self.object_name

    def __str__(self):
        return self.label_lower

    # -- managers ---------------------------------------------------------------------------
    @cached_property
    def managers(self):
        """Managers of the model and its abstract bases, in declaration order."""
        managers = []
        seen = set()
        bases = (b for b in self.model.mro() if hasattr(b, "_meta"))
        for depth, base in enumerate(bases):
            for manager in base._meta.local_managers:
                if manager.name in seen:
                    continue
                manager = manager.bind_copy(self.model) if manager.model is not self.model else manager
                seen.add(manager.name)
                managers.append((depth, manager.creation_counter, manager))
        return tuple(m[2] for m in sorted(managers, key=lambda t: (t[0], t[1])))

    @cached_property
    def managers_map(self):
        """name -> manager."""
        return {m.name: m for m in self.managers}

    @cached_property
    def base_manager(self):
        """A plain Manager (or base_manager_name) used for related access."""
        from ormlette.db.models.manager import Manager

        if self.base_manager_name:
            return self.managers_map[self.base_manager_name]
        manager = Manager()
        manager.name = "_base_manager"
        manager.model = self.model
        manager.auto_created = True
        return manager

    @cached_property
    def default_manager(self):
        """The first declared manager (or default_manager_name)."""
        if self.default_manager_name:
            return self.managers_map[self.default_manager_name]
        return self.managers[0] if self.managers else None

    # -- fields -----------------------------------------------------------------------------
    @property
    def _proxied(self):
        """The concrete model's options for a proxy model, else None."""
        concrete = self.concrete_model
        return concrete._meta if self.proxy and concrete is not None and concrete is not self.model else None

    @cached_property
    def fields(self):
        """Forward fields (concrete and private), without many-to-many."""
        if self._proxied is not None:
            return self._proxied.fields
        return tuple(self.local_fields) + tuple(self.private_fields)

    @cached_property
    def concrete_fields(self):
        """Fields backed by a column."""
        return tuple(f for f in self.fields if f.concrete)

    @cached_property
    def local_concrete_fields(self):
        """Concrete fields declared on this model (a proxy's are its concrete model's)."""
        if self._proxied is not None:
            return self._proxied.local_concrete_fields
        return tuple(f for f in self.local_fields if f.concrete)

    @cached_property
    def many_to_many(self):
        """Many-to-many fields."""
        if self._proxied is not None:
            return self._proxied.many_to_many
        return tuple(self.local_many_to_many)

    @cached_property
    def related_objects(self):
        """Reverse relations pointing at this model."""
        return tuple(rel for rel in self._relation_tree_objects())

    @cached_property
    def _reverse_one_to_one_field_names(self):
        """Names of the reverse one-to-one relations (create() refuses them as keywords)."""
        return frozenset(rel.name for rel in self.related_objects if rel.one_to_one)

    def _relation_tree_objects(self):
        from ormlette.db.models.registry import registry_of

        found = []
        for model in registry_of(self.model).all_models():
            opts = model._meta
            if opts.abstract:
                continue
            for field in (*opts.local_fields, *opts.local_many_to_many):
                remote = getattr(field, "remote_field", None)
                if remote is None or not field.is_relation or getattr(remote, "model", None) is None:
                    continue
                target = remote.model
                if isinstance(target, str):
                    continue
                if target._meta.concrete_model is self.concrete_model and not remote.is_hidden_for_meta():
                    found.append(remote)
        return found

    @cached_property
    def _forward_fields_map(self):
        result = {}
        for field in (*self.fields, *self.many_to_many):
            result[field.name] = field
            if getattr(field, "attname", None):
                result[field.attname] = field
        return result

    @cached_property
    def _fields_map(self):
        result = {}
        for rel in self.related_objects:
            result[rel.name] = rel  # a reverse relation's name is its related query name
        return result

    def get_field(self, field_name):
        """The field (or reverse relation) called ``field_name``."""
        try:
            return self._forward_fields_map[field_name]
        except KeyError:
            pass
        try:
            return self._fields_map[field_name]
        except KeyError:
            raise FieldDoesNotExist("%s has no field named '%s'" % (self.object_name, field_name)) from None

    def get_fields(self, include_parents=True, include_hidden=False):
        """Forward and reverse fields, as Django's ``_meta.get_fields()``."""
        reverse = [r for r in self.related_objects if include_hidden or not r.hidden]
        return tuple(reverse) + tuple(self.fields) + tuple(self.many_to_many)

    @cached_property
    def db_returning_fields(self):
        """Fields the database fills on INSERT."""
        return [f for f in self.concrete_fields if getattr(f, "db_returning", False)]

    @cached_property
    def total_unique_constraints(self):
        """UniqueConstraints without a condition."""
        from ormlette.db.models.constraints import UniqueConstraint

        return [c for c in self.constraints if isinstance(c, UniqueConstraint) and c.condition is None
                and not c.contains_expressions]

    def get_parent_list(self):
        """Concrete parents (multi-table inheritance is not supported yet)."""
        return []

    def get_ancestor_link(self, ancestor):
        """No multi-table inheritance."""
        return None

    def get_path_to_parent(self, parent):
        """No multi-table inheritance."""
        return []

    @cached_property
    def _property_names(self):
        names = set()
        for klass in self.model.__mro__:
            for name, value in vars(klass).items():
                if isinstance(value, property):
                    names.add(name)
        return frozenset(names)

    @cached_property
    def _attname_map(self):
        return {f.attname: f for f in self.concrete_fields}

    @cached_property
    def _name_map(self):
        return {f.name: f for f in self.concrete_fields}

    @property
    def swapped(self):
        """Never swapped (no settings-driven model swapping)."""
        return None

    @property
    def verbose_name_raw(self):
        """verbose_name as text."""
        return str(self.verbose_name)
