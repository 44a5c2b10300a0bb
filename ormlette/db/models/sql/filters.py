"""Turning Q objects and keyword filters into WHERE trees (with Django's NULL and join rules)."""
import difflib
from collections import Counter

from ormlette.core.exceptions import FieldError
from ormlette.db.models.query_utils import LOOKUP_SEP, Q, refs_expression
from ormlette.db.models.sql.datastructures import INNER, LOUTER, MultiJoin
from ormlette.db.models.sql.where import AND, OR, XOR, WhereNode

RESERVED_FILTER_NAMES = frozenset({"_connector", "_negated"})

# (model, "field__lookup") -> (field, lookups) when the path is a local non-relation column, else False.
_simple_paths = {}


def _resolve_simple_path(query, arg):
    try:
        path, final_field, _, rest = query.names_to_path(arg.split(LOOKUP_SEP), query.get_meta())
    except Exception:  # noqa: BLE001 - the general path reports errors with full context
        return False
    if path or final_field is None or final_field.is_relation or not final_field.concrete:
        return False
    if final_field.model is not query.model:
        return False
    return final_field, tuple(rest)


class JoinPromoter:
    """Decide INNER vs LEFT OUTER for joins used by one boolean node (Django's rules)."""

    def __init__(self, connector, num_children, negated):
        self.connector = connector
        self.negated = negated
        if self.negated:
            self.effective_connector = OR if connector == AND else AND
        else:
            self.effective_connector = connector
        self.num_children = num_children
        self.votes = Counter()

    def add_votes(self, votes):
        """Record the joins one child needs."""
        self.votes.update(votes)

    def update_join_types(self, query):
        """Promote or demote the voted joins; return the aliases to demote further up."""
        to_promote, to_demote = set(), set()
        for table, votes in self.votes.items():
            if self.effective_connector in (OR, XOR) and votes < self.num_children:
                to_promote.add(table)
            if self.effective_connector == AND or (self.effective_connector == OR and votes == self.num_children):
                to_demote.add(table)
        query.promote_joins(to_promote)
        query.demote_joins(to_demote)
        return to_demote


class FiltersMixin:
    """filter()/exclude() support for Query."""

    def add_q(self, q_object):
        """AND a Q object into the WHERE clause."""
        existing_inner = {a for a in self.alias_map if self.alias_map[a].join_type == INNER}
        clause, _ = self._add_q(q_object, self.used_aliases)
        if clause:
            self.where.add(clause, AND)
        self.demote_joins(existing_inner)

    def build_where(self, filter_expr):
        """A WHERE node for a Q (or expression) without adding it."""
        return self.build_filter(filter_expr, allow_joins=False)[0]

    def build_filter_tree(self, q_object, allow_joins=True, reuse=None, summarize=False):
        """Resolve a Q used as an expression (aggregate filter=, When, annotate) into a WhereNode.

        ``reuse=None`` lets it reuse any equal join (e.g. the aggregate's own join), and the joins it
        needs become LEFT OUTER so rows without related objects survive, as in Django.
        """
        clause, joins = self._add_q(q_object, reuse, allow_joins=allow_joins, split_subq=False,
                                    check_filterable=False, summarize=summarize)
        self.promote_joins(joins)
        return clause

    def _add_q(self, q_object, used_aliases, branch_negated=False, current_negated=False, allow_joins=True,
               split_subq=True, check_filterable=True, summarize=False, update_join_types=True):
        connector = q_object.connector
        current_negated ^= q_object.negated
        branch_negated = branch_negated or q_object.negated
        target_clause = WhereNode.create(connector=connector, negated=q_object.negated)
        joinpromoter = JoinPromoter(q_object.connector, len(q_object.children), current_negated)
        for child in q_object.children:
            child_clause, needed_inner = self.build_filter(
                child, can_reuse=used_aliases, branch_negated=branch_negated, current_negated=current_negated,
                allow_joins=allow_joins, split_subq=split_subq, check_filterable=check_filterable,
                summarize=summarize, update_join_types=update_join_types)
            joinpromoter.add_votes(needed_inner)
            if child_clause:
                target_clause.add(child_clause, connector)
        needed_inner = joinpromoter.update_join_types(self) if update_join_types else []
        return target_clause, needed_inner

    def build_filter(self, filter_expr, branch_negated=False, current_negated=False, can_reuse=None,
                     allow_joins=True, split_subq=True, check_filterable=True, summarize=False,
                     update_join_types=True):
        """Build one filter: a (WhereNode, joins that must stay INNER) pair."""
        if isinstance(filter_expr, dict):
            raise FieldError("Cannot parse keyword query as dict")
        if isinstance(filter_expr, Q):
            return self._add_q(filter_expr, branch_negated=branch_negated, current_negated=current_negated,
                               used_aliases=can_reuse,
                               allow_joins=allow_joins, split_subq=split_subq, check_filterable=check_filterable,
                               summarize=summarize, update_join_types=update_join_types)
        if hasattr(filter_expr, "resolve_expression"):
            return self._build_expression_filter(filter_expr, can_reuse, allow_joins, summarize)
        arg, value = filter_expr
        if not arg:
            raise FieldError("Cannot parse keyword query %r" % arg)
        if arg in RESERVED_FILTER_NAMES:
            raise FieldError("Cannot resolve keyword %r into field." % arg)
        simple = self._build_simple_filter(arg, value, current_negated)
        if simple is not None:
            return simple
        lookups, parts, reffed_expression = self.solve_lookup_type(arg, summarize)
        if check_filterable:
            self.check_filterable(reffed_expression)
        if not allow_joins and len(parts) > 1:
            raise FieldError("Joined field references are not permitted in this query")
        pre_joins = self.alias_refcount.copy()
        value = self.resolve_lookup_value(value, can_reuse, allow_joins, summarize)
        used_joins = {k for k, v in self.alias_refcount.items() if v > pre_joins.get(k, 0)}
        if check_filterable:
            self.check_filterable(value)
        if reffed_expression:
            condition = self.build_lookup(lookups, reffed_expression, value)
            return WhereNode([condition], connector=AND), []
        opts = self.get_meta()
        alias = self.get_initial_alias()
        allow_many = not branch_negated or not split_subq
        try:
            join_info = self.setup_joins(parts, opts, alias, can_reuse=can_reuse, allow_many=allow_many)
            if can_reuse is not None:
                can_reuse.update(join_info.joins)
        except MultiJoin as e:
            return self.split_exclude(filter_expr, can_reuse, e.names_with_path)
        used_joins.update(join_info.joins)
        targets, alias, join_list = self.trim_joins(join_info.targets, join_info.joins, join_info.path)
        if can_reuse is not None:
            can_reuse.update(join_list)
        if join_info.final_field.is_relation:
            if len(targets) == 1:
                col = self._get_col(targets[0], join_info.final_field, alias)
            else:
                from ormlette.db.models.lookups.related import MultiColSource

                col = MultiColSource(alias, targets, join_info.targets, join_info.final_field)
        else:
            col = self._get_col(targets[0], join_info.final_field, alias)
        condition = self.build_lookup(lookups, col, value)
        lookup_type = condition.lookup_name
        clause = WhereNode([condition], connector=AND)
        require_outer = lookup_type == "isnull" and condition.rhs is True and not current_negated
        if current_negated and (lookup_type != "isnull" or condition.rhs is False) and condition.rhs is not None:
            require_outer = True
            if lookup_type != "isnull":
                if self.is_nullable(targets[0]) or self.alias_map[join_list[-1]].join_type == LOUTER:
                    lookup_class = targets[0].get_lookup("isnull")
                    col = self._get_col(targets[0], join_info.targets[0], alias)
                    clause.add(lookup_class(col, False), AND)
                if hasattr(value, "target") and getattr(value, "alias", None) is not None and \
                        self.is_nullable(value.target):
                    lookup_class = value.target.get_lookup("isnull")
                    clause.add(lookup_class(value, False), AND)
        return clause, used_joins if not require_outer else ()

    def _build_simple_filter(self, arg, value, current_negated):
        """build_filter for a lookup on a local, non-relation column with a plain value (no joins).

        The result is what the general path builds; only the path resolution is memoised.
        """
        if hasattr(value, "resolve_expression") or (
                isinstance(value, (list, tuple)) and any(hasattr(v, "resolve_expression") for v in value)):
            return None
        first = arg.split(LOOKUP_SEP, 1)[0]
        if (self.annotations and first in self.annotations) or first in self._filtered_relations:
            return None
        resolved = _simple_paths.get((self.model, arg))
        if resolved is None:
            resolved = _resolve_simple_path(self, arg)
            _simple_paths[(self.model, arg)] = resolved
        if resolved is False:
            return None
        field, lookups = resolved
        alias = self.get_initial_alias()
        condition = self.build_lookup(list(lookups), self._get_col(field, field, alias), value)
        clause = WhereNode([condition], connector=AND)
        lookup_type = condition.lookup_name
        if current_negated and (lookup_type != "isnull" or condition.rhs is False) and condition.rhs is not None:
            if lookup_type != "isnull" and self.is_nullable(field):
                clause.add(field.get_lookup("isnull")(self._get_col(field, field, alias), False), AND)
            return clause, ()
        if lookup_type == "isnull" and condition.rhs is True and not current_negated:
            return clause, ()
        return clause, {alias}

    def _build_expression_filter(self, filter_expr, can_reuse, allow_joins, summarize):
        if not getattr(filter_expr, "conditional", False):
            raise TypeError("Cannot filter against a non-conditional expression.")
        condition = filter_expr.resolve_expression(self, allow_joins=allow_joins, reuse=can_reuse,
                                                   summarize=summarize)
        from ormlette.db.models.lookups.base import Lookup

        if not isinstance(condition, Lookup) and not isinstance(condition, WhereNode):
            condition = self.build_lookup(["exact"], condition, True)
        return WhereNode([condition], connector=AND), []

    def _get_col(self, target, field, alias):
        if not self.alias_cols:
            alias = None
        return target.get_col(alias, field)

    def check_filterable(self, expression):
        """Raise for expressions that cannot appear in WHERE (e.g. window functions in some spots)."""
        if hasattr(expression, "resolve_expression") and not getattr(expression, "filterable", True):
            raise FieldError(expression.__class__.__name__ + " is disallowed in the filter clause.")
        if hasattr(expression, "get_source_expressions"):
            for expr in expression.get_source_expressions():
                if expr is not None:
                    self.check_filterable(expr)

    def solve_lookup_type(self, lookup, summarize=False):
        """Split ``a__b__lt`` into (lookups, field parts, annotation expression)."""
        lookup_splitted = lookup.split(LOOKUP_SEP)
        if self.annotations:
            annotation, expression_lookups = refs_expression(lookup_splitted, self.annotations)
            if annotation:
                expression = self.annotations[annotation]
                if summarize:
                    from ormlette.db.models.expressions.base import Ref

                    expression = Ref(annotation, expression)
                return expression_lookups, (), expression
        _, field, _, lookup_parts = self.names_to_path(lookup_splitted, self.get_meta())
        field_parts = lookup_splitted[0:len(lookup_splitted) - len(lookup_parts)]
        if len(lookup_parts) > 1 and not field_parts:
            raise FieldError('Invalid lookup "%s" for model %s".' % (lookup, self.get_meta().model.__name__))
        return lookup_parts, field_parts, False

    def resolve_lookup_value(self, value, can_reuse, allow_joins, summarize=False):
        """Resolve expressions (and expressions inside lists) in a filter value."""
        if hasattr(value, "resolve_expression"):
            return value.resolve_expression(self, reuse=can_reuse, allow_joins=allow_joins, summarize=summarize)
        if isinstance(value, (list, tuple)):
            values = (self.resolve_lookup_value(sub_value, can_reuse, allow_joins, summarize) for sub_value in value)
            type_ = type(value)
            if hasattr(type_, "_make"):
                return type_(*values)
            return type_(values)
        return value

    def build_lookup(self, lookups, lhs, rhs):
        """Apply transforms then the final lookup (``exact`` by default)."""
        *transforms, lookup_name = lookups or ["exact"]
        for name in transforms:
            lhs = self.try_transform(lhs, name)
        lookup_class = lhs.get_lookup(lookup_name)
        if not lookup_class:
            lhs = self.try_transform(lhs, lookup_name)
            lookup_name = "exact"
            lookup_class = lhs.get_lookup(lookup_name)
            if not lookup_class:
                return None
        if rhs is None and lookup_name not in ("exact", "iexact"):
            if not lookup_class.can_use_none_as_rhs:
                raise ValueError("Cannot use None as a query value")
        if rhs is None and lookup_name in ("exact", "iexact") and not lookup_class.can_use_none_as_rhs:
            return lhs.get_lookup("isnull")(lhs, True)
        lookup = lookup_class(lhs, rhs)
        return lookup

    def try_transform(self, lhs, name):
        """Apply transform ``name`` or raise FieldError naming the lookup."""
        transform_class = lhs.get_transform(name)
        if transform_class:
            return transform_class(lhs)
        output_field = lhs.output_field.__class__
        suggested = difflib.get_close_matches(name, lhs.output_field.get_lookups())
        suggestion = ", perhaps you meant %s?" % " or ".join(suggested) if suggested else "."
        raise FieldError("Unsupported lookup '%s' for %s or join on the field not permitted%s"
                         % (name, output_field.__name__, suggestion))

    def split_exclude(self, filter_expr, can_reuse, names_with_path):
        """exclude() across a multi-valued relation: ``NOT pk IN (subquery)``, as Django."""
        from ormlette.db.models.sql.subqueries import build_split_exclude

        return build_split_exclude(self, filter_expr, can_reuse, names_with_path)


__all__ = ["FiltersMixin", "JoinPromoter", "XOR", "OR"]
