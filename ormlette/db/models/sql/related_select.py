"""select_related(): the joined SELECT blocks of related models (query/iterables.py builds their objects)."""
from ormlette.core.exceptions import FieldError
from ormlette.db.models.query_utils import LOOKUP_SEP
from ormlette.db.models.sql.plan import SelectItem


class RelatedInfo:
    """How one joined block attaches to its parent object."""

    __slots__ = ("field", "reverse", "parent", "attnames", "pk_index", "model")

    def __init__(self, field, reverse, parent, model, fields):
        self.field = field
        self.reverse = reverse
        self.parent = parent
        self.model = model
        self.attnames = tuple(f.attname for f in fields)
        self.pk_index = next(i for i, f in enumerate(fields) if f.primary_key)


def related_select_items(query, alias):
    """SelectItem(kind="related") entries for ``query.select_related``, parents before children."""
    requested = query.select_related
    restricted = isinstance(requested, dict)
    items = []
    _walk(query, query.get_meta(), alias, requested if restricted else {}, restricted, (), None, 1, items)
    return items


def _choices(opts):
    direct = [f.name for f in opts.fields if f.is_relation]
    reverse = [rel.field.related_query_name() for rel in opts.related_objects if rel.field.unique and
               not rel.many_to_many and not rel.hidden]
    return ", ".join(direct + reverse) or "(none)"


def _mask(query, path):
    """(fields to load for the model at ``path`` or None for all, names loaded, only-mode active)."""
    names, defer = query.deferred_loading
    if not names:
        return None, None
    prefix = LOOKUP_SEP.join(path) + LOOKUP_SEP if path else ""
    below = [n[len(prefix):] for n in names if n.startswith(prefix)] if prefix else list(names)
    if defer:
        return {n for n in below if LOOKUP_SEP not in n}, True
    if not below:
        return None, None
    return {n.split(LOOKUP_SEP, 1)[0] for n in below}, False


def _fields_for(opts, mask, defer):
    if mask is None:
        return list(opts.concrete_fields)
    if defer:
        return [f for f in opts.concrete_fields if f.primary_key or (f.name not in mask and f.attname not in mask)]
    return [f for f in opts.concrete_fields if f.primary_key or f.name in mask or f.attname in mask]


def _check_not_deferred(field, mask, defer):
    if mask is None:
        return
    deferred = (field.name in mask or field.attname in mask) if defer else \
        (field.name not in mask and field.attname not in mask)
    if deferred:
        raise FieldError("Field %s.%s cannot be both deferred and traversed using select_related at the same time."
                         % (field.model._meta.object_name, field.name))


def _walk(query, opts, alias, requested, restricted, path, parent, depth, items):
    if not restricted and depth > query.max_depth:
        return
    mask, defer = _mask(query, path)
    found = set()
    for field in opts.fields:
        found.add(field.name)
        if restricted:
            nested = requested.get(field.name, {})
            if not field.is_relation and (nested or field.name in requested):
                raise FieldError("Non-relational field given in select_related: '%s'. Choices are: %s"
                                 % (field.name, _choices(opts)))
            if field.name not in requested:
                continue
        elif not _auto_follow(field):
            continue
        if not field.is_relation or field.many_to_many or not field.concrete:
            continue
        if restricted:
            _check_not_deferred(field, mask, defer)
        join_alias = query.setup_joins([field.name], opts, alias).joins[-1]
        _add(query, items, field, False, field.remote_field.model, join_alias, path + (field.name,), parent,
             requested.get(field.name, {}) if restricted else {}, restricted, depth)
    if restricted:
        for rel in opts.related_objects:
            if not rel.field.unique or rel.many_to_many or rel.hidden:
                continue
            name = rel.field.related_query_name()
            found.add(name)
            if name not in requested:
                continue
            join_alias = query.setup_joins([name], opts, alias).joins[-1]
            _add(query, items, rel.field, True, rel.related_model, join_alias, path + (name,), parent,
                 requested.get(name, {}), restricted, depth)
        invalid = set(requested).difference(found)
        if invalid:
            raise FieldError("Invalid field name(s) given in select_related: %s. Choices are: %s"
                             % (", ".join("'%s'" % name for name in sorted(invalid)), _choices(opts)))


def _auto_follow(field):
    # select_related() without arguments follows non-null forward relations only.
    return field.is_relation and field.concrete and not field.null and not field.many_to_many and \
        field.remote_field is not None and not field.remote_field.parent_link


def _add(query, items, field, reverse, model, alias, path, parent, requested, restricted, depth):
    mask, defer = _mask(query, path)
    fields = _fields_for(model._meta, mask, defer)
    info = RelatedInfo(field, reverse, parent, model, fields)
    items.append(SelectItem("related", model=model, fields=fields, alias=alias, path=path,
                            nullable=reverse or field.null, reverse=reverse, related=info))
    _walk(query, model._meta, alias, requested, restricted, path, len(items) - 1, depth + 1, items)
