"""A seeded generator of random queries over the seed models, and the runner the fuzz tests share.

Each query is a line of Python (``Book.objects.filter(...)...``) evaluated against the ormlette side of
the seed models, so a failing pair prints as code anyone can paste. Queries are drawn from a small
set of shapes with random values, so that many of them share learned structures (the same shape with
other values, None vs a value, other ``__in`` lengths) and some differ only in structure.
"""
import datetime
import random
from decimal import Decimal

from tests.differential.harness import _build_ormlette
from tests.seeds.models_source import SOURCE, load

UTC = datetime.timezone.utc
TITLES = ["Fantasy Realm", "Django ORM", "Draft Fantasy", "Cooking", "Poems", "ORM tips", "SQL joins", "Draft",
          "Python async", "nothing"]
NAMES = ["Asha", "Ravi", "Bob", "Nobody", "alice", "bob", "carol", "zed"]
STATUSES = ["pending", "paid", "shipped", "returned", "lost"]


def _int(rng):
    return rng.choice([0, 1, 3, 5, 10, 12, 20, 40, 80, 100, 150, 300, 999, 1500, -1])


def _str(rng, pool):
    value = rng.choice(pool)
    return rng.choice([value, value.lower(), value[:3], value[-3:], value.upper()])


def _decimal(rng):
    return rng.choice([Decimal("1.00"), Decimal("9.5"), Decimal("19.99"), Decimal("25.50"), Decimal("45"),
                       Decimal("250.00"), Decimal("0.5")])


def _date(rng):
    return datetime.date(rng.choice([2020, 2023, 2024, 2025]), rng.randint(1, 12), rng.randint(1, 28))


def _datetime(rng):
    return datetime.datetime(rng.choice([2024, 2025]), rng.randint(1, 12), rng.randint(1, 28), rng.randint(0, 23),
                             tzinfo=UTC)


INT_LOOKUPS = ["", "__gt", "__gte", "__lt", "__lte", "__in", "__range"]
STR_LOOKUPS = ["", "__iexact", "__contains", "__icontains", "__startswith", "__istartswith", "__endswith", "__in"]
DEC_LOOKUPS = ["", "__gt", "__lt", "__gte", "__in"]
DATE_LOOKUPS = ["", "__gt", "__lt", "__year", "__month", "__range"]

# model -> (field path, kind, nullable), numeric fields for F arithmetic, a to-many relation to count
MODELS = {
    "Book": ([("title", "str", False), ("price", "dec", False), ("sales_count", "int", False),
              ("stock_level", "int", False), ("is_published", "bool", False), ("author__name", "str", False),
              ("author__joined_date", "date", False), ("id", "int", False)],
             ["sales_count", "stock_level", "price"], "author__books"),
    "Post": ([("title", "str", False), ("body_length", "int", False), ("views", "int", False),
              ("likes", "int", False), ("comments", "int", False), ("featured", "bool", False),
              ("published", "bool", False), ("published_at", "datetime", True), ("author__name", "str", False),
              ("tags__name", "str", False), ("id", "int", False)],
             ["views", "likes", "comments", "body_length"], "tags"),
    "Order": ([("status", "str", False), ("customer__name", "str", False), ("items__quantity", "int", False),
               ("items__price", "dec", False), ("created_at", "datetime", False), ("id", "int", False)],
              ["id"], "items"),
}


class QueryGenerator:
    """Random query lines; the same seed gives the same lines.

    Structure (``rng``) and values (``vrng``) come from two generators: each skeleton is drawn once and
    then instantiated 1-8 times with other values, which is what makes queries share learned shapes
    (None vs a value, ``__in`` lengths and Func extra types are values here: they may change the shape).
    """

    def __init__(self, seed):
        self.master = random.Random(seed)
        self.vrng = random.Random(self.master.random())
        self.rng = random.Random(self.master.random())

    def queries(self, count):
        """``count`` query lines."""
        out = []
        while len(out) < count:
            self.rng = random.Random(self.master.random())
            skeleton = self.rng.getstate()
            for _ in range(min(self.master.choice([1, 2, 4, 8]), count - len(out))):
                self.rng.setstate(skeleton)
                out.append(self.query())
        return out

    def query(self):
        rng = self.rng
        model = rng.choice(sorted(MODELS))
        fields, numeric, to_many = MODELS[model]
        code = "%s.objects" % model
        annotations = []
        for _ in range(rng.randint(0, 3)):
            code += self._step(model, fields, numeric, to_many, annotations)
        return self._terminal(code, fields, numeric, annotations)

    # -- one chained call -------------------------------------------------------------------------
    def _step(self, model, fields, numeric, to_many, annotations):
        rng = self.rng
        kind = rng.choice(["filter", "filter", "filter", "filter2", "exclude", "q", "f", "annotate", "func",
                           "func_filter", "distinct"])
        if kind == "filter":
            return ".filter(%s)" % self._kwarg(fields)
        if kind == "filter2":
            first, second = self._kwarg(fields), self._kwarg(fields)
            while second.split("=")[0] == first.split("=")[0]:
                second = self._kwarg(fields)
            return ".filter(%s, %s)" % (first, second)
        if kind == "exclude":
            return ".exclude(%s)" % self._kwarg(fields)
        if kind == "q":
            return ".filter(%s)" % self._q(fields, rng.randint(1, 3))
        if kind == "f":
            field = rng.choice(numeric)
            other = rng.choice(numeric)
            op = rng.choice(["+", "-", "*"])
            lookup = rng.choice(["__gt", "__lt", "__gte", ""])
            return ".filter(%s%s=F(%r) %s %r)" % (field, lookup, other, op,
                                                  self.vrng.choice([0, 1, 2, Decimal("0.5")]))
        if kind == "annotate":
            name = "a%d" % len(annotations)
            annotations.append(name)
            if rng.random() < 0.5:
                return ".annotate(%s=Count(%r, distinct=%r))" % (name, to_many, rng.random() < 0.5)
            return ".annotate(%s=F(%r) %s %r)" % (name, rng.choice(numeric), rng.choice(["+", "*"]),
                                                  self.vrng.choice([1, 2, 3]))
        if kind in ("func", "func_filter"):
            field = rng.choice([f for f in numeric if f != "price"] or numeric)
            extra = self.vrng.choice([1, 2, 7, -3, 2.5, 0.25, Decimal("10"), Decimal("20"), Decimal("1.5"), "4"])
            func = "Func(F(%r), template='(%%(expressions)s + %%(k)s)', k=%r, output_field=%s())" % (
                field, extra, "FloatField" if isinstance(extra, float) else "IntegerField"
                if isinstance(extra, (int, str)) else "DecimalField")
            if kind == "func_filter":
                return ".filter(%s__lt=%s)" % (rng.choice(numeric), func)
            name = "a%d" % len(annotations)
            annotations.append(name)
            return ".annotate(%s=%s)" % (name, func)
        return ".distinct()"

    def _kwarg(self, fields):
        rng, vrng = self.rng, self.vrng
        path, kind, nullable = rng.choice(fields)
        if nullable and vrng.random() < 0.3:
            if rng.random() < 0.5:
                return "%s=None" % path
            return "%s__isnull=%r" % (path, vrng.random() < 0.5)
        lookup = rng.choice({"int": INT_LOOKUPS, "str": STR_LOOKUPS, "dec": DEC_LOOKUPS, "bool": [""],
                             "date": DATE_LOOKUPS, "datetime": DATE_LOOKUPS + ["__date"]}[kind])
        return "%s%s=%r" % (path, lookup, self._value(kind, lookup))

    def _value(self, kind, lookup):
        rng = self.vrng
        one = {"int": lambda: _int(rng), "str": lambda: _str(rng, TITLES + NAMES + STATUSES),
               "dec": lambda: _decimal(rng), "bool": lambda: rng.random() < 0.5, "date": lambda: _date(rng),
               "datetime": lambda: _datetime(rng)}[kind]
        if lookup == "__in":
            return [one() for _ in range(rng.choice([0, 1, 2, 3, 5, 9]))]
        if lookup == "__range":
            low, high = sorted([one(), one()])
            return (low, high)
        if lookup == "__year":
            return rng.choice([2020, 2023, 2024, 2025])
        if lookup == "__month":
            return rng.randint(1, 12)
        if lookup == "__date":
            return _date(rng)
        return one()

    def _q(self, fields, depth):
        rng = self.rng
        if depth <= 1:
            q = "Q(%s)" % self._kwarg(fields)
            return "~" + q if rng.random() < 0.25 else q
        op = rng.choice([" | ", " & ", " ^ "])
        return "(%s%s%s)" % (self._q(fields, depth - 1), op, self._q(fields, rng.randint(1, depth - 1)))

    # -- how the query ends -----------------------------------------------------------------------
    def _terminal(self, code, fields, numeric, annotations):
        rng = self.rng
        kind = rng.choice(["list", "list", "values", "values_list", "flat", "count", "exists", "aggregate",
                           "first", "get", "slice"])
        plain = [path for path, _, _ in fields if "__" not in path]
        order = rng.choice(plain + annotations)
        ordered = "%s.order_by(%r, 'pk')" % (code, ("-" if rng.random() < 0.4 else "") + order)
        if kind == "count":
            return code + ".count()"
        if kind == "exists":
            return code + ".exists()"
        if kind == "aggregate":
            return code + ".aggregate(s=Sum(%r), m=Max(%r), c=Count('pk'))" % (rng.choice(numeric),
                                                                                rng.choice(numeric))
        if kind == "first":
            return ordered + ".first()"
        if kind == "get":
            return "%s.get(pk=%d)" % (code, self.vrng.randint(1, 6))
        names = rng.sample(plain, rng.randint(1, min(3, len(plain)))) + annotations[:rng.randint(0, 1)]
        if kind == "values":
            return "list(%s.values(%s))" % (ordered, ", ".join(map(repr, names)))
        if kind == "values_list":
            return "list(%s.values_list(%s))" % (ordered, ", ".join(map(repr, names)))
        if kind == "flat":
            return "list(%s.values_list(%r, flat=True))" % (ordered, names[0])
        if kind == "slice":
            start = rng.choice([None, 0, 1, 2])
            stop = rng.choice([None, 1, 2, 3, 5])
            return "list(%s[%s:%s])" % (ordered, "" if start is None else start, "" if stop is None else stop)
        return "list(%s)" % ordered


# -- running ----------------------------------------------------------------------------------------
class SeedModels:
    """The ormlette side of the seed models with their data, for the fuzz tests."""

    def __init__(self, label):
        self.side = _build_ormlette(SOURCE, label)
        self.ns = self.side.ns
        self.env = dict(vars(self.ns), Decimal=Decimal, datetime=datetime)

    def create(self):
        with self.side.connection.schema_editor() as editor:
            for model in self.side.models:
                editor.create_model(model)
        load(self.ns)

    def drop(self):
        with self.side.connection.schema_editor() as editor:
            for model in reversed(self.side.models):
                editor.delete_model(model)

    def run(self, code):
        """A comparable outcome of one query line (its value, or the exception it raised)."""
        try:
            return ("ok", normalise(eval(code, self.env)))  # noqa: S307 - generated from our own grammar
        except Exception as exc:  # noqa: BLE001 - errors must agree too
            return ("error", type(exc).__name__, str(exc))


def normalise(value):
    """Model instances as their loaded values, containers recursively, scalars as type + repr."""
    from ormlette.db.models import Model

    if isinstance(value, Model):
        return ("instance", type(value).__name__, tuple(sorted(
            (k, normalise(v)) for k, v in vars(value).items() if not k.startswith("_"))))
    if isinstance(value, dict):
        return ("dict", tuple((k, normalise(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return (type(value).__name__ if type(value) in (list, tuple) else "row", tuple(map(normalise, value)))
    return (type(value).__name__, repr(value))
