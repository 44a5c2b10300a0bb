"""Func (SQL function calls and templates) and OrderBy, the expressions built on a function or template.

Both are importable from ``expressions``, as in Django.
"""
import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles

from ormlette.db.models import fields
from ormlette.db.models.expressions.base import Expression, F, Value
from ormlette.db.models.query_utils import Q


class Func(Expression):
    """An SQL function call: ``function``, ``template``, ``arg_joiner``, ``arity``."""

    function = None
    template = "%(function)s(%(expressions)s)"
    arg_joiner = ", "
    arity = None

    def __init__(self, *expressions, output_field=None, **extra):
        if self.arity is not None and len(expressions) != self.arity:
            raise TypeError("'%s' takes exactly %s %s (%s given)" % (
                self.__class__.__name__, self.arity, "argument" if self.arity == 1 else "arguments",
                len(expressions)))
        super().__init__(output_field=output_field)
        self.source_expressions = self._parse_expressions(*expressions)
        self.extra = extra

    def __repr__(self):
        args = self.arg_joiner.join(str(arg) for arg in self.source_expressions)
        extra = {**self.extra, **self._get_repr_options()}
        if extra:
            extra = ", ".join(str(key) + "=" + str(val) for key, val in sorted(extra.items()))
            return "{}({}, {})".format(self.__class__.__name__, args, extra)
        return "{}({})".format(self.__class__.__name__, args)

    def _get_repr_options(self):
        return {}

    @staticmethod
    def _parse_expressions(*expressions):
        return [arg if hasattr(arg, "resolve_expression") else (F(arg) if isinstance(arg, str) else Value(arg))
                for arg in expressions]

    def get_source_expressions(self):
        return self.source_expressions

    def set_source_expressions(self, exprs):
        self.source_expressions = exprs

    def copy(self):
        copy_ = super().copy()
        copy_.source_expressions = self.source_expressions[:]
        copy_.extra = self.extra.copy()
        return copy_

    def _key_extra(self):
        return (self.function, self.template, self.arg_joiner, tuple(sorted(
            (k, v) for k, v in self.extra.items() if isinstance(v, (str, int, float, bool, type(None))))),
            self.output_key())

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.vendor_keys = frozenset(name[3:-4] for name in dir(cls) if name.startswith("as_") and name.endswith("_key"))

    vendor_keys = frozenset()  # vendors with an ``as_<vendor>_key`` (filled per class)

    def key(self, k):
        """The shape key: ``as_<vendor>_key`` where the class has one, else the generic key.

        The rule for every function: the key follows the form that is rendered. When an ``as_<vendor>_sa``
        renders a different expression (other parameters, other order), add the matching
        ``as_<vendor>_key`` returning that expression's key, or the cached statement gets wrong values.
        """
        if self.vendor_keys and k.connection.vendor in self.vendor_keys:
            return getattr(self, "as_%s_key" % k.connection.vendor)(k)
        return super().key(k)

    def as_sa(self, c):
        """Vendor hook ``as_<vendor>_sa`` first, then the generic rendering."""
        vendor_method = getattr(self, "as_%s_sa" % c.connection.vendor, None)
        if vendor_method is not None:
            return vendor_method(c)
        return self.as_generic_sa(c)

    def as_generic_sa(self, c, function=None, template=None, **extra_context):
        args = [e.as_sa(c) for e in self.source_expressions]
        function = function or self.extra.get("function", self.function)
        template = template or self.extra.get("template", self.template)
        if template == Func.template and function and self.arg_joiner == ", " and not extra_context:
            return _named_function(function, args)
        context = {**self.extra, **extra_context}
        if function is not None:
            context["function"] = function
        return TemplateSQL(template, args, self.arg_joiner, context)


def _named_function(name, args):
    return sa.sql.functions.Function(name, *args)


class TemplateSQL(sa.sql.expression.ColumnElement):
    """Render a Django-style template (``%(function)s(%(expressions)s)``) around compiled args."""

    inherit_cache = False

    def __init__(self, template, args, arg_joiner=", ", context=None):
        self.template = template
        self.args = list(args)
        self.arg_joiner = arg_joiner
        self.context = context or {}
        self.type = sa.types.NullType()


@compiles(TemplateSQL)
def _render_template(element, compiler, **kw):
    rendered = [compiler.process(a, **kw) for a in element.args]
    context = {k: (compiler.process(v, **kw) if isinstance(v, sa.sql.ClauseElement) else v)
               for k, v in element.context.items()}
    context["expressions"] = element.arg_joiner.join(rendered)
    for index, text in enumerate(rendered):
        context.setdefault("expression" if index == 0 else "expression%d" % index, text)
    template = element.template
    if compiler.preparer._double_percents and "%%" not in template:
        pass
    return template % context


class Random(Expression):
    """The backend's random number (``order_by('?')``)."""

    output_field = fields.FloatField()

    def as_sa(self, c):
        return c.connection.ops.random_function_sql()


class OrderBy(Expression):
    """An ORDER BY term with direction and NULLS placement."""

    conditional = False

    def __init__(self, expression, descending=False, nulls_first=None, nulls_last=None):
        if nulls_first and nulls_last:
            raise ValueError("nulls_first and nulls_last are mutually exclusive")
        if nulls_first is False or nulls_last is False:
            raise ValueError("nulls_first and nulls_last values must be True or None.")
        self.nulls_first = nulls_first
        self.nulls_last = nulls_last
        self.descending = descending
        if not hasattr(expression, "resolve_expression"):
            raise ValueError("expression must be an expression type")
        self.expression = expression

    def __repr__(self):
        return "{}({}, descending={})".format(self.__class__.__name__, self.expression, self.descending)

    def set_source_expressions(self, exprs):
        self.expression = exprs[0]

    def get_source_expressions(self):
        return [self.expression]

    def _key_extra(self):
        return (self.descending, self.nulls_first, self.nulls_last)

    def as_sa(self, c):
        expr = self.expression.as_sa(c)
        from ormlette.db.models.expressions.subquery import Exists

        if isinstance(self.expression, (Exists, Q)) or getattr(self.expression, "conditional", False) and \
                not c.connection.features.supports_boolean_expr_in_select_clause:
            expr = sa.case((expr, 1), else_=0)
        return c.connection.ops.order_by_sa(expr, self.descending, self.nulls_first, self.nulls_last)

    def get_group_by_cols(self):
        cols = []
        for source in self.get_source_expressions():
            cols.extend(source.get_group_by_cols())
        return cols

    def reverse_ordering(self):
        self.descending = not self.descending
        if self.nulls_first:
            self.nulls_last, self.nulls_first = True, None
        elif self.nulls_last:
            self.nulls_first, self.nulls_last = True, None
        return self

    def asc(self):
        self.descending = False

    def desc(self):
        self.descending = True
