"""The reverse side of relations (``field.remote_field``): ManyToOneRel, OneToOneRel, ManyToManyRel."""
from ormlette.core import exceptions
from ormlette.db.models.fields.mixins import NOT_PROVIDED, FieldCacheMixin  # noqa: F401 (NOT_PROVIDED: kept public)
from ormlette.db.models.query_utils import RegisterLookupMixin
from ormlette.utils.functional import cached_property


class ForeignObjectRel(FieldCacheMixin, RegisterLookupMixin):
    """What a relation looks like from the model it points at."""

    auto_created = True
    concrete = False
    editable = False
    is_relation = True
    null = True
    empty_strings_allowed = False
    primary_key = False
    generated = False

    def __init__(self, field, to, related_name=None, related_query_name=None, limit_choices_to=None,
                 parent_link=False, on_delete=None):
        self.field = field
        self.model = to
        self.related_name = related_name
        self.related_query_name = related_query_name
        self.limit_choices_to = {} if limit_choices_to is None else limit_choices_to
        self.parent_link = parent_link
        self.on_delete = on_delete
        self.symmetrical = False
        self.multiple = True

    # -- the names and kinds Django exposes ------------------------------------------------------
    @cached_property
    def hidden(self):
        """Whether the relation has no reverse accessor (related_name ending in '+')."""
        return self.is_hidden()

    @cached_property
    def name(self):
        """The name used in lookups (the related query name)."""
        return self.field.related_query_name()

    @property
    def remote_field(self):
        """The forward field."""
        return self.field

    @property
    def target_field(self):
        """The field on the related model that filters compare against."""
        target_fields = self.path_infos[-1].target_fields
        if len(target_fields) > 1:
            raise exceptions.FieldError("Can't use target_field for multicolumn relations.")
        return target_fields[0]

    @cached_property
    def related_model(self):
        """The model holding the forward field."""
        return self.field.model

    @cached_property
    def many_to_many(self):
        return self.field.many_to_many

    @cached_property
    def many_to_one(self):
        return self.field.one_to_many

    @cached_property
    def one_to_many(self):
        return self.field.many_to_one

    @cached_property
    def one_to_one(self):
        return self.field.one_to_one

    def __repr__(self):
        return "<%s: %s.%s>" % (type(self).__name__, self.related_model._meta.app_label,
                                self.related_model._meta.model_name)

    def __lt__(self, other):
        return self.field.creation_counter < other.field.creation_counter

    @property
    def identity(self):
        return (type(self), self.field, self.model, self.related_name, self.related_query_name,
                self.parent_link, self.on_delete, self.symmetrical, self.multiple)

    def __eq__(self, other):
        if not isinstance(other, self.__class__):
            return NotImplemented
        return self.field is other.field

    def __hash__(self):
        return hash((type(self), id(self.field)))

    def is_hidden(self):
        """Whether the reverse accessor is suppressed."""
        return bool(self.related_name) and self.related_name[-1] == "+"

    def is_hidden_for_meta(self):
        """Hidden relations still take part in deletion, so ``_meta.related_objects`` keeps them."""
        return False

    def get_accessor_name(self, model=None):
        """The attribute name on the target model (``book_set``, ``books``, ``profile``)."""
        opts = model._meta if model else self.related_model._meta
        model = model or self.related_model
        if self.multiple:
            if self.symmetrical and model == self.model:
                return None
        if self.related_name:
            return self.related_name
        return opts.model_name + ("_set" if self.multiple else "")

    @property
    def accessor_name(self):
        return self.get_accessor_name()

    def get_cache_name(self):
        """Key of the reverse object in the instance's fields cache."""
        return self.get_accessor_name()

    def get_related_field(self):
        """The field on ``self.model`` the relation points at."""
        field = self.model._meta.get_field(self.field_name)
        return field

    def set_field_name(self):
        """Default the target field to the pk of the model pointed at."""
        self.field_name = self.field_name or self.model._meta.pk.name

    # -- query support -----------------------------------------------------------------------------
    @property
    def path_infos(self):
        """Joins from the target model back to the field's model."""
        return self.field.reverse_path_infos

    def get_path_info(self, filtered_relation=None):
        return self.field.get_reverse_path_info(filtered_relation)

    def get_joining_columns(self):
        """((target column, fk column),)."""
        return tuple((rhs, lhs) for lhs, rhs in self.field.get_joining_columns())

    def get_extra_restriction(self, alias, related_alias):
        return None

    def get_lookup(self, lookup_name):
        return self.field.get_lookup(lookup_name)

    def get_lookups(self):
        return self.field.get_lookups()

    def get_transform(self, name):
        return self.field.get_transform(name)

    def get_internal_type(self):
        return self.field.get_internal_type()

    def get_prep_value(self, value):
        return self.target_field.get_prep_value(value)

    def get_db_prep_value(self, value, connection, prepared=False):
        return self.target_field.get_db_prep_value(value, connection, prepared)

    def get_db_converters(self, connection):
        return self.target_field.get_db_converters(connection)

    @property
    def db_type(self):
        return self.field.db_type

    def get_choices(self, include_blank=True, blank_choice=None, limit_choices_to=None, ordering=()):
        """(pk, str(obj)) pairs of the related model."""
        qs = self.related_model._default_manager.all()
        if ordering:
            qs = qs.order_by(*ordering)
        return [(x.pk, str(x)) for x in qs]


class ManyToOneRel(ForeignObjectRel):
    """The reverse of a ForeignKey (``author.book_set``)."""

    def __init__(self, field, to, field_name, related_name=None, related_query_name=None,
                 limit_choices_to=None, parent_link=False, on_delete=None):
        super().__init__(field, to, related_name=related_name, related_query_name=related_query_name,
                         limit_choices_to=limit_choices_to, parent_link=parent_link, on_delete=on_delete)
        self.field_name = field_name

    def __getstate__(self):
        state = self.__dict__.copy()
        state.pop("related_model", None)
        return state


class OneToOneRel(ManyToOneRel):
    """The reverse of a OneToOneField (``user.profile``)."""

    def __init__(self, field, to, field_name, related_name=None, related_query_name=None,
                 limit_choices_to=None, parent_link=False, on_delete=None):
        super().__init__(field, to, field_name, related_name=related_name, related_query_name=related_query_name,
                         limit_choices_to=limit_choices_to, parent_link=parent_link, on_delete=on_delete)
        self.multiple = False


class ManyToManyRel(ForeignObjectRel):
    """The reverse of a ManyToManyField (``tag.post_set``)."""

    def __init__(self, field, to, related_name=None, related_query_name=None, limit_choices_to=None,
                 symmetrical=True, through=None, through_fields=None, db_constraint=True):
        super().__init__(field, to, related_name=related_name, related_query_name=related_query_name,
                         limit_choices_to=limit_choices_to)
        if through and not db_constraint:
            raise ValueError("Can't supply a through model and db_constraint=False")
        self.through = through
        if through_fields and not through:
            raise ValueError("Cannot specify through_fields without a through model")
        self.through_fields = through_fields
        self.symmetrical = symmetrical
        self.db_constraint = db_constraint

    def get_related_field(self):
        """The field of the through model pointing at ``self.model``."""
        opts = self.through._meta
        if self.through_fields:
            field = opts.get_field(self.through_fields[0])
        else:
            for field in opts.fields:
                rel = getattr(field, "remote_field", None)
                if rel and rel.model == self.model:
                    break
        return field.foreign_related_fields[0]
