"""Resolving ``a__b__c`` paths to joins, and alias bookkeeping."""
from ormlette.core.exceptions import FieldDoesNotExist, FieldError
from ormlette.db.models.sql.datastructures import INNER, LOUTER, BaseTable, Join, MultiJoin


class JoinInfo:
    """Result of setup_joins."""

    __slots__ = ("final_field", "targets", "opts", "joins", "path", "transform_function")

    def __init__(self, final_field, targets, opts, joins, path, transform_function):
        self.final_field = final_field
        self.targets = targets
        self.opts = opts
        self.joins = joins
        self.path = path
        self.transform_function = transform_function


def get_field_names_from_opts(opts):
    """The names a lookup may start with on ``opts``: every field's name, and attname for concrete ones."""
    if opts is None:
        return set()
    names = set()
    for field in opts.get_fields():
        names.add(field.name)
        if getattr(field, "concrete", False):
            names.add(field.attname)
    return names


def _choices_message(opts, query):
    names = get_field_names_from_opts(opts)
    names |= set(query.annotation_select)
    names |= set(getattr(query, "_filtered_relations", {}))
    return ", ".join(sorted(n for n in names if n))


class JoinsMixin:
    """Alias management and join set-up for Query."""

    def get_initial_alias(self):
        """The base table's alias (created on first use)."""
        if self.alias_map:
            alias = self.base_table
            self.ref_alias(alias)
        else:
            alias = self.join(BaseTable(self.get_meta().db_table, None))
        return alias

    @property
    def base_table(self):
        """The first alias."""
        for alias in self.alias_map:
            return alias

    def table_alias(self, table_name, create=False, filtered_relation=None):
        """(alias, created): reuse the table name as the first alias, then T2, T3, ..."""
        alias_list = self.table_map.get(table_name)
        if not create and alias_list:
            alias = alias_list[0]
            self.alias_refcount[alias] += 1
            return alias, False
        if alias_list:
            alias = "%s%d" % (self.alias_prefix, len(self.alias_map) + 1)
            alias_list.append(alias)
        else:
            alias = filtered_relation.alias if filtered_relation is not None else table_name
            self.table_map[table_name] = [alias]
        self.alias_refcount[alias] = 1
        return alias, True

    def ref_alias(self, alias):
        """Increase an alias's reference count."""
        self.alias_refcount[alias] += 1

    def unref_alias(self, alias, amount=1):
        """Decrease an alias's reference count."""
        self.alias_refcount[alias] -= amount

    def join(self, join, reuse=None):
        """Return an alias for ``join``, reusing an equal existing join when allowed."""
        reuse_aliases = [a for a, j in self.alias_map.items()
                         if (reuse is None or a in reuse) and j.equals(join)]
        if reuse_aliases:
            if join.table_alias in reuse_aliases:
                reuse_alias = join.table_alias
            else:
                reuse_alias = reuse_aliases[-1]
            self.ref_alias(reuse_alias)
            return reuse_alias
        alias, _ = self.table_alias(join.table_name, create=True, filtered_relation=join.filtered_relation)
        if join.join_type:
            if self.alias_map[join.parent_alias].join_type == LOUTER or join.nullable:
                join_type = LOUTER
            else:
                join_type = INNER
            join.join_type = join_type
        join.table_alias = alias
        self.alias_map[alias] = join
        return alias

    def names_to_path(self, names, opts, allow_many=True, fail_on_missing=False):
        """Walk field names: (path infos, final field, targets, remaining names)."""
        path, names_with_path = [], []
        final_field = targets = None
        pos = -1
        for pos, name in enumerate(names):
            cur_names_with_path = (name, [])
            if name == "pk" and opts is not None:
                name = opts.pk.name
            field = None
            filtered_relation = None
            try:
                if opts is None:
                    raise FieldDoesNotExist
                field = opts.get_field(name)
            except FieldDoesNotExist:
                if name in self.annotation_select:
                    field = self.annotation_select[name].output_field
                elif name in getattr(self, "_filtered_relations", {}) and pos == 0:
                    filtered_relation = self._filtered_relations[name]
                    field = opts.get_field(filtered_relation.relation_name)
            if field is None:
                if pos == 0 or fail_on_missing:
                    available = _choices_message(opts, self) if opts is not None else ""
                    raise FieldError("Cannot resolve keyword '%s' into field. Choices are: %s" % (name, available))
                pos -= 1  # ``name`` is a lookup or transform, not part of the path
                break
            if hasattr(field, "path_infos"):
                pathinfos = field.get_path_info(filtered_relation) if filtered_relation else field.path_infos
                if not allow_many:
                    for inner_pos, p in enumerate(pathinfos):
                        if p.m2m:
                            cur_names_with_path[1].extend(pathinfos[0:inner_pos + 1])
                            names_with_path.append(cur_names_with_path)
                            raise MultiJoin(pos + 1, names_with_path)
                last = pathinfos[-1]
                path.extend(pathinfos)
                final_field = last.join_field
                opts = last.to_opts
                targets = last.target_fields
                cur_names_with_path[1].extend(pathinfos)
                names_with_path.append(cur_names_with_path)
            else:
                final_field = field
                targets = (field,)
                if fail_on_missing and pos + 1 != len(names):
                    raise FieldError("Cannot resolve keyword %r into field. Join on '%s' not permitted."
                                     % (names[pos + 1], name))
                break
        return path, final_field, targets, names[pos + 1:]

    def setup_joins(self, names, opts, alias, can_reuse=None, allow_many=True):
        """Create (or reuse) the joins for ``names``; returns JoinInfo."""
        joins = [alias]

        def final_transformer(field, alias):
            if not self.alias_cols:
                alias = None
            return field.get_col(alias)

        last_field_exception = None
        for pivot in range(len(names), 0, -1):
            try:
                path, final_field, targets, rest = self.names_to_path(names[:pivot], opts, allow_many,
                                                                      fail_on_missing=True)
            except FieldError as exc:
                if pivot == 1:
                    raise
                last_field_exception = exc
            else:
                transforms = names[pivot:]
                break
        for name in transforms:
            def transform(field, alias, *, name=name, previous=final_transformer):
                try:
                    wrapped = previous(field, alias)
                    return self.try_transform(wrapped, name)
                except FieldError:
                    if isinstance(final_field, type(final_field)) and hasattr(final_field, "path_infos") \
                            and last_field_exception:
                        raise last_field_exception
                    raise
            final_transformer = transform
        for join in path:
            opts = join.to_opts
            nullable = self.is_nullable(join.join_field) if join.direct else True
            connection = Join(opts.db_table, alias, None, INNER, join.join_field, nullable,
                              filtered_relation=join.filtered_relation)
            reuse = can_reuse if join.m2m else None
            alias = self.join(connection, reuse=reuse)
            joins.append(alias)
        return JoinInfo(final_field, targets, opts, joins, path, final_transformer)

    def trim_joins(self, targets, joins, path):
        """Drop trailing joins whose target column is available on the previous table."""
        joins = joins[:]
        for pos, info in enumerate(reversed(path)):
            if len(joins) == 1 or not info.direct:
                break
            if info.filtered_relation:
                break
            join_targets = {t.column for t in info.join_field.foreign_related_fields}
            cur_targets = {t.column for t in targets}
            if not cur_targets.issubset(join_targets):
                break
            targets_dict = {r[1].column: r[0] for r in info.join_field.related_fields if r[1].column in cur_targets}
            targets = tuple(targets_dict[t.column] for t in targets)
            self.unref_alias(joins.pop())
        return targets, joins[-1], joins

    def is_nullable(self, field):
        """Whether the column can hold NULL."""
        return field.null

    def promote_joins(self, aliases):
        """Make these joins (and joins hanging off them) LEFT OUTER."""
        aliases = list(aliases)
        while aliases:
            alias = aliases.pop(0)
            join = self.alias_map[alias]
            if join.join_type is None:
                continue
            parent_louter = join.parent_alias and self.alias_map[join.parent_alias].join_type == LOUTER
            already_louter = join.join_type == LOUTER
            if (join.nullable or parent_louter) and not already_louter:
                self.alias_map[alias] = join.promote()
                aliases.extend(a for a, j in self.alias_map.items()
                               if j.parent_alias == alias and a not in aliases)

    def demote_joins(self, aliases):
        """Make these joins (and their parents) INNER."""
        aliases = list(aliases)
        while aliases:
            alias = aliases.pop(0)
            join = self.alias_map[alias]
            if join.join_type == LOUTER:
                self.alias_map[alias] = join.demote()
                parent = self.alias_map[join.parent_alias]
                if parent.join_type == INNER or parent.join_type is None:
                    continue
                aliases.append(join.parent_alias)

    def reset_refcounts(self, to_counts):
        """Restore reference counts."""
        for alias, cur_refcount in self.alias_refcount.copy().items():
            unref_amount = cur_refcount - to_counts.get(alias, 0)
            self.unref_alias(alias, unref_amount)

    def change_aliases(self, change_map):
        """Rename aliases everywhere (used when combining or nesting queries)."""
        if not change_map:
            return
        self.where = self.where.relabeled_clone(change_map)
        self.select = tuple(col.relabeled_clone(change_map) for col in self.select)
        self.annotations = {k: v.relabeled_clone(change_map) for k, v in self.annotations.items()}
        if isinstance(self.group_by, tuple):
            self.group_by = tuple(col.relabeled_clone(change_map) for col in self.group_by)
        new_alias_map = {}
        for old_alias, join in self.alias_map.items():
            new_alias = change_map.get(old_alias, old_alias)
            new_alias_map[new_alias] = join.relabeled_clone(change_map)
        self.alias_map = new_alias_map
        for old_alias, new_alias in change_map.items():
            if old_alias in self.alias_refcount:
                self.alias_refcount[new_alias] = self.alias_refcount.pop(old_alias)
            for table_name, aliases in self.table_map.items():
                self.table_map[table_name] = [new_alias if a == old_alias else a for a in aliases]
        self.external_aliases = {change_map.get(a, a): aliased for a, aliased in self.external_aliases.items()}

    def bump_prefix(self, other_query, exclude=None):
        """Rename this query's aliases so they cannot clash with ``other_query``'s (subqueries)."""
        taken = set(other_query.subq_aliases) | set(self.subq_aliases) | {other_query.alias_prefix}
        new_prefix = next((p for p in _prefixes() if p not in taken))
        self.subq_aliases = other_query.subq_aliases | self.subq_aliases | {new_prefix}
        self.alias_prefix = new_prefix
        exclude = exclude or set()
        change_map = {alias: "%s%d" % (self.alias_prefix, pos)
                      for pos, alias in enumerate(self.alias_map) if alias not in exclude}
        self.change_aliases(change_map)
        return change_map


def _prefixes():
    """U, V, ..., Z, A, ..., then two-letter prefixes (Django's alias prefix sequence)."""
    letters = "UVWXYZABCDEFGHIJKLMNOPQRST"
    yield from letters
    for first in letters:
        for second in letters:
            yield first + second


__all__ = ["JoinsMixin", "JoinInfo", "INNER", "LOUTER"]
