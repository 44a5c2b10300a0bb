"""Differential tests (ormlette vs Django 5.2): JSONField key transforms and JSON lookups."""
import uuid

from tests.differential.harness import Differential, case, parametrize

SOURCE = '''
import json
import uuid

from django.db import models


class UUIDEncoder(json.JSONEncoder):
    def default(self, o):
        if isinstance(o, uuid.UUID):
            return str(o)
        return super().default(o)


class Doc(models.Model):
    name = models.CharField(max_length=20)
    meta = models.JSONField(null=True)
    extra = models.JSONField(null=True, encoder=UUIDEncoder)

    class Meta:
        ordering = ["name"]


class Label(models.Model):
    doc = models.ForeignKey(Doc, models.CASCADE, related_name="labels", null=True)
    text = models.CharField(max_length=20)
    data = models.JSONField(default=dict)

    class Meta:
        ordering = ["text"]
'''

HOSTILE = {"a'b": 1, 'q"t': "dq", "a.b": 3, "$": 4, "'; DROP TABLE x; --": 5, "%s": 6, "?": 7, "sp ace": 8,
           "%(x)s": 9, "ünï": 10}

DOCS = [
    ("d00_sqlnull", None),
    ("d02_red", {"color": "red", "size": 3, "name": "Alpha", "tags": ["a", "b"], "active": True, "n": None,
                 "nested": {"a": {"b": {"c": 1}}}, "items": [{"x": 1}, {"x": 2}]}),
    ("d03_blue", {"color": "blue", "size": 10, "name": "beta", "tags": ["b"], "active": False,
                  "items": [{"x": 3}], "nested": {"a": {"b": {"c": 2}}}}),
    ("d04_Red", {"color": "Red", "size": 2.5, "name": "gamma x", "n": 0, "num_str": "1"}),
    ("d05_array", [1, [2, 3], {"k": "v"}]),
    ("d06_empty_obj", {}),
    ("d07_empty_arr", []),
    ("d08_string", "plain string"),
    ("d09_number", 42),
    ("d10_hostile", HOSTILE),
    ("d11_nulls", {"color": None, "size": "3", "name": None}),
]


def load(ns):
    """Every kind of document, plus JSON null stored with Value(None, JSONField())."""
    for name, meta in DOCS:
        ns.Doc.objects.create(name=name, meta=meta)
    ns.Doc.objects.create(name="d01_jsonnull", meta=ns.Value(None, ns.JSONField()))
    ns.Doc.objects.filter(name="d02_red").update(extra={"id": UUID, "n": 1})
    docs = {doc.name: doc for doc in ns.Doc.objects.all()}
    for text, doc, data in (("l1", "d02_red", {"w": 1}), ("l2", "d03_blue", {"w": 2, "doc": "x"}),
                            ("l3", "d02_red", {"w": 3}), ("l4", None, {})):
        ns.Label.objects.create(text=text, doc=docs.get(doc), data=data)


UUID = uuid.UUID("12345678-1234-5678-1234-567812345678")
diff = Differential(SOURCE, label="diffjson", data=load)
env = diff.fixture()

NO_CONTAINS = {"sqlite": "never reached"}  # marker only: Django and ormlette both raise NotSupportedError


def names(**filters):
    """The names of the documents matching ``filters``."""
    return lambda ns: list(ns.Doc.objects.filter(**filters).values_list("name", flat=True))


def excluded(**filters):
    """The names of the documents ``exclude(**filters)`` keeps."""
    return lambda ns: list(ns.Doc.objects.exclude(**filters).values_list("name", flat=True))


def null_kind(ns, **filters):
    """(SQL NULL?, JSON null?) for the document matching ``filters``."""
    docs = ns.Doc.objects.filter(**filters)
    return docs.filter(meta__isnull=True).exists(), docs.filter(meta=None).exists()


def bulk_update_none(ns):
    """bulk_update() of None and of Value(None, JSONField()) into two documents."""
    first, second = ns.Doc.objects.filter(name__in=["d02_red", "d03_blue"]).order_by("name")
    first.meta, second.meta = None, ns.Value(None, ns.JSONField())
    ns.Doc.objects.bulk_update([first, second], ["meta"])
    return null_kind(ns, name="d02_red"), null_kind(ns, name="d03_blue")


def kt(ns, lookup):
    """KT() from the side's fields.json module."""
    return ns.models.fields.json.KT(lookup)


KEY_CASES = [
    case("key_str", names(meta__color="red")),
    case("key_str_case", names(meta__color="Red")),
    case("key_int", names(meta__size=3)),
    case("key_float", names(meta__size=2.5)),
    case("key_numeric_string", names(meta__size="3")),
    case("key_true", names(meta__active=True)),
    case("key_false", names(meta__active=False)),
    case("key_json_null", names(meta__n=None)),
    case("key_color_null", names(meta__color=None)),
    case("key_zero", names(meta__n=0)),
    case("key_list", names(meta__tags=["a", "b"])),
    case("key_dict", names(meta__nested__a={"b": {"c": 1}})),
    case("key_missing", names(meta__nope="x")),
    case("index_in_object", names(meta__items__0__x=1)),
    case("index_second", names(meta__items__1__x=2)),
    case("index_tag", names(meta__tags__0="a")),
    case("index_top_array", names(meta__0=1)),
    case("index_nested_array", names(meta__1__0=2)),
    case("index_then_key", names(meta__2__k="v")),
    case("path_three_keys", names(meta__nested__a__b__c=1)),
    case("path_three_keys_gt", names(meta__nested__a__b__c__gt=1)),
    case("key_exact_explicit", names(meta__color__exact="blue")),
    case("key_gt", names(meta__size__gt=3)),
    case("key_gte", names(meta__size__gte=2.5)),
    case("key_lt", names(meta__size__lt=3)),
    case("key_lte", names(meta__size__lte=3)),
    case("key_gt_string", names(meta__color__gt="blue")),
    case("key_icontains", names(meta__name__icontains="A")),
    case("key_icontains_lower", names(meta__color__icontains="red")),
    case("key_iexact", names(meta__color__iexact="RED")),
    case("key_startswith", names(meta__color__startswith="r")),
    case("key_istartswith", names(meta__color__istartswith="r")),
    case("key_endswith", names(meta__name__endswith="x")),
    case("key_iendswith", names(meta__name__iendswith="A")),
    case("key_regex", names(meta__color__regex=r"^[rR]")),
    case("key_iregex", names(meta__color__iregex=r"^r")),
    case("key_pattern_wildcards", names(meta__name__startswith="%")),
    case("key_pattern_underscore", names(meta__name__icontains="_")),
    case("key_in_strings", names(meta__color__in=["red", "blue"])),
    case("key_in_numbers", names(meta__size__in=[3, 10])),
    case("key_in_mixed", names(meta__size__in=[2.5, "3"])),
    case("key_in_bool", names(meta__active__in=[True])),
    case("key_in_many", names(meta__size__in=list(range(1, 12)))),
    case("key_in_empty", names(meta__color__in=[])),
    case("key_isnull_true", names(meta__n__isnull=True)),
    case("key_isnull_false", names(meta__n__isnull=False)),
    case("key_color_isnull_false", names(meta__color__isnull=False)),
    case("index_isnull_false", names(meta__1__isnull=False)),
    case("exclude_key", excluded(meta__color="red")),
    case("exclude_key_null", excluded(meta__color=None)),
    case("q_or", lambda ns: list(ns.Doc.objects.filter(
        ns.Q(meta__color="red") | ns.Q(meta__size__gt=5)).values_list("name", flat=True))),
    case("key_vs_key", lambda ns: list(ns.Doc.objects.filter(
        meta__size=ns.F("meta__size")).values_list("name", flat=True))),
    case("key_in_with_none", names(meta__color__in=["red", None])),
    case("exclude_key_json_null", excluded(meta__n=None)),
    case("exclude_key_isnull", excluded(meta__n__isnull=True)),
    case("key_between_bounds", names(meta__size__gt=2, meta__size__lt=5)),
    case("index_isnull_true", names(meta__tags__1__isnull=True)),
    case("key_arithmetic", lambda ns: list(ns.Doc.objects.filter(meta__has_key="size").exclude(
        name="d11_nulls").annotate(v=ns.ExpressionWrapper(ns.F("meta__size") + 1, output_field=ns.FloatField())
                                   ).values_list("name", "v")), message=False),
    case("count_key", lambda ns: ns.Doc.objects.filter(meta__color__isnull=False).count()),
    case("encoder_key_exact", names(extra__id=UUID)),
    case("encoder_key_in", names(extra__id__in=[UUID, "x"])),
    case("encoder_contains", names(extra__contains={"id": UUID})),
    case("encoder_values", lambda ns: list(ns.Doc.objects.filter(extra__isnull=False).values_list(
        "extra", "extra__id", "extra__n"))),
    case("negative_index", names(**{"meta__tags__-1": "b"})),
    case("exists_key", lambda ns: ns.Doc.objects.filter(meta__nested__a__b__c=2).exists()),
    case("key_range", names(meta__size__range=(2, 5))),
    case("path_in", names(meta__nested__a__b__c__in=[1, 2])),
    case("index_lt", names(meta__items__0__x__lt=3)),
    case("key_vs_column", lambda ns: list(ns.Doc.objects.filter(
        meta__name=ns.F("name")).values_list("name", flat=True)), message=False),  # PG: both fail, SQL differs
    case("same_shape_other_keys", lambda ns: [
        list(ns.Doc.objects.filter(**{"meta__" + key: value}).values_list("name", flat=True))
        for key, value in (("color", "red"), ("name", "beta"), ("0", 1), ("1", 1), ("size", 10))]),
    case("subquery_in_key", lambda ns: list(ns.Doc.objects.filter(meta__color__in=ns.Doc.objects.filter(
        meta__size__gt=5).values("meta__color")).values_list("name", flat=True))),
    case("values_distinct_key", lambda ns: sorted(ns.Doc.objects.filter(meta__has_key="color").values_list(
        "meta__color", flat=True).distinct(), key=repr)),
]

HOSTILE_CASES = [
    case("hostile_key_%d" % i, names(**{"meta__" + key: value}))
    for i, (key, value) in enumerate(sorted(HOSTILE.items()))
] + [
    case("hostile_has_key_%d" % i, names(meta__has_key=key)) for i, key in enumerate(sorted(HOSTILE))
] + [
    # values("meta__<key>") names the column after the key, which Django rejects for such keys: use aliases.
    case("hostile_values", lambda ns: list(ns.Doc.objects.filter(name="d10_hostile").annotate(
        **{"v%d" % i: ns.F("meta__" + key) for i, key in enumerate(sorted(HOSTILE))}).values_list(
        *["v%d" % i for i in range(len(HOSTILE))]))),
    case("hostile_values_alias_error", lambda ns: list(ns.Doc.objects.values_list("meta__sp ace"))),
    case("hostile_values_alias_nul", lambda ns: list(ns.Doc.objects.values("meta__k\x00ey"))),
    case("hostile_values_alias_comment", lambda ns: list(ns.Doc.objects.values_list("meta__k--ey", flat=True))),
    case("hostile_has_keys", names(meta__has_keys=sorted(HOSTILE))),
]

DOCUMENT_CASES = [
    case("doc_exact_dict", names(meta={"color": "Red", "size": 2.5, "name": "gamma x", "n": 0, "num_str": "1"})),
    case("doc_exact_empty_dict", names(meta={})),
    case("doc_exact_empty_list", names(meta=[])),
    case("doc_exact_string", names(meta="plain string")),
    case("doc_exact_number", names(meta=42)),
    case("doc_json_null", names(meta=None)),
    case("doc_json_null_value", lambda ns: list(ns.Doc.objects.filter(
        meta=ns.Value(None, ns.JSONField())).values_list("name", flat=True))),
    case("doc_isnull", names(meta__isnull=True)),
    case("doc_not_isnull", names(meta__isnull=False)),
    case("doc_icontains", names(meta__icontains="ALPHA")),
    case("contains_dict", names(meta__contains={"color": "red"})),
    case("contains_nested_list", names(meta__contains={"tags": ["b"]})),
    case("contains_empty", names(meta__contains={})),
    case("contains_array", names(meta__contains=[1])),
    case("contains_on_key", names(meta__tags__contains=["b"])),
    case("contains_on_key_scalar", names(meta__name__contains="lph")),
    case("contained_by", names(meta__contained_by={"color": "Red", "size": 2.5, "name": "gamma x", "n": 0,
                                                   "num_str": "1", "extra": 1})),
    case("contained_by_empty", names(meta__contained_by={})),
    case("has_key", names(meta__has_key="color")),
    case("has_key_null_value", names(meta__has_key="n")),
    case("has_key_numeric_name", names(meta__has_key="0")),
    case("has_key_nested", names(meta__nested__has_key="a")),
    case("has_key_deep", names(meta__nested__a__has_key="b")),
    case("has_key_in_array_item", names(meta__items__0__has_key="x")),
    case("has_keys", names(meta__has_keys=["color", "size", "tags"])),
    case("has_keys_one_missing", names(meta__has_keys=["color", "nope"])),
    case("has_any_keys", names(meta__has_any_keys=["tags", "num_str"])),
    case("has_any_keys_none", names(meta__has_any_keys=["nope", "zilch"])),
    case("has_key_exclude", excluded(meta__has_key="color")),
    case("contains_exclude", excluded(meta__contains={"color": "red"})),
    case("doc_startswith", names(meta__startswith="plain")),
    case("doc_in", names(meta__in=[42, "plain string"])),
    case("doc_gt_number", names(meta__gt=41)),
]

SELECT_CASES = [
    case("values_list_key", lambda ns: list(ns.Doc.objects.values_list("name", "meta__color"))),
    case("values_list_size", lambda ns: list(ns.Doc.objects.values_list("name", "meta__size"))),
    case("values_list_bool", lambda ns: list(ns.Doc.objects.values_list("name", "meta__active"))),
    case("values_list_null", lambda ns: list(ns.Doc.objects.values_list("name", "meta__n"))),
    case("values_list_object", lambda ns: list(ns.Doc.objects.values_list("name", "meta__nested__a"))),
    case("values_list_array", lambda ns: list(ns.Doc.objects.values_list("name", "meta__tags"))),
    case("values_list_index", lambda ns: list(ns.Doc.objects.values_list("name", "meta__items__0"))),
    case("values_list_numeric_string", lambda ns: list(ns.Doc.objects.values_list("name", "meta__num_str"))),
    case("values_deep_index", lambda ns: list(ns.Doc.objects.values_list("name", "meta__items__0__x"))),
    case("order_by_path", lambda ns: list(ns.Doc.objects.order_by("meta__nested__a__b__c", "name").values_list(
        "name", flat=True))),
    case("values_dict", lambda ns: list(ns.Doc.objects.values("name", "meta__color", "meta__nested__a__b__c"))),
    case("values_whole_doc", lambda ns: list(ns.Doc.objects.values_list("name", "meta"))),
    case("annotate_f", lambda ns: list(ns.Doc.objects.annotate(c=ns.F("meta__color")).values_list("name", "c"))),
    case("annotate_f_instances", lambda ns: list(ns.Doc.objects.annotate(c=ns.F("meta__size")))),
    case("annotate_kt", lambda ns: list(ns.Doc.objects.annotate(c=kt(ns, "meta__color")).values_list("name", "c"))),
    case("annotate_kt_number", lambda ns: list(
        ns.Doc.objects.annotate(c=kt(ns, "meta__size")).values_list("name", "c"))),
    case("annotate_kt_bool", lambda ns: list(
        ns.Doc.objects.annotate(c=kt(ns, "meta__active")).values_list("name", "c"))),
    case("annotate_kt_path", lambda ns: list(
        ns.Doc.objects.annotate(c=kt(ns, "meta__nested__a__b__c")).values_list("name", "c"))),
    case("annotate_kt_index", lambda ns: list(
        ns.Doc.objects.annotate(c=kt(ns, "meta__tags__1")).values_list("name", "c"))),
    case("kt_without_key", lambda ns: kt(ns, "meta")),
    case("annotate_key_transform_class", lambda ns: list(ns.Doc.objects.annotate(
        c=ns.models.fields.json.KeyTransform("color", "meta")).values_list("name", "c"))),
    case("filter_kt_annotation", lambda ns: list(ns.Doc.objects.annotate(c=kt(ns, "meta__color")).filter(
        c__startswith="r").values_list("name", flat=True))),
    case("filter_kt_annotation_exact", lambda ns: list(ns.Doc.objects.annotate(c=kt(ns, "meta__color")).filter(
        c="red").values_list("name", flat=True))),
    case("values_kwarg_kt", lambda ns: list(ns.Doc.objects.filter(meta__has_key="size").values(
        "name", s=kt(ns, "meta__size")))),
    case("filter_f_annotation", lambda ns: list(ns.Doc.objects.annotate(c=ns.F("meta__color")).filter(
        c="red").values_list("name", flat=True))),
    case("filter_annotation_key", lambda ns: list(ns.Doc.objects.annotate(m=ns.F("meta")).filter(
        m__size__gte=3).values_list("name", flat=True))),
    case("order_by_key", lambda ns: list(ns.Doc.objects.filter(meta__color__isnull=False).exclude(
        meta__color=None).order_by("meta__color", "name").values_list("name", flat=True))),
    case("order_by_key_desc", lambda ns: list(ns.Doc.objects.filter(meta__size__isnull=False).order_by(
        "-meta__size", "name").values_list("name", flat=True))),
    case("order_by_kt", lambda ns: list(ns.Doc.objects.filter(meta__name__isnull=False).order_by(
        kt(ns, "meta__name"), "name").values_list("name", flat=True))),
    case("group_by_key", lambda ns: list(ns.Doc.objects.filter(meta__has_key="color").values(
        "meta__color").annotate(n=ns.Count("id")).order_by("meta__color"))),
    case("annotate_json_null_value", lambda ns: list(ns.Doc.objects.filter(name="d02_red").annotate(
        v=ns.Value(None, ns.JSONField())).values_list("v", flat=True))),
    case("annotate_json_value", lambda ns: list(ns.Doc.objects.filter(name="d02_red").annotate(
        v=ns.Value({"k": [1, 2]}, ns.JSONField())).values_list("v", flat=True))),
    case("create_json_null", lambda ns: (ns.Doc.objects.create(name="zz", meta=ns.Value(None, ns.JSONField())),
                                         null_kind(ns, name="zz"))[1], mutates=True),
    case("cast_kt", lambda ns: list(ns.Doc.objects.filter(meta__has_key="size").exclude(
        name="d11_nulls").annotate(v=ns.Cast(kt(ns, "meta__size"), ns.FloatField())).values_list("name", "v"))),
    case("coalesce_kt", lambda ns: list(ns.Doc.objects.annotate(
        v=ns.Coalesce(kt(ns, "meta__color"), ns.Value("none", ns.TextField()))).values_list("name", "v"))),
    case("order_nulls_last", lambda ns: list(ns.Doc.objects.order_by(
        ns.F("meta__size").desc(nulls_last=True), "name").values_list("name", flat=True))),
    case("count_key_values", lambda ns: ns.Doc.objects.aggregate(n=ns.Count("meta__color"), m=ns.Count("id"))),
    case("max_kt", lambda ns: ns.Doc.objects.aggregate(m=ns.Max(kt(ns, "meta__name")))),
    case("outer_ref_key", lambda ns: list(ns.Doc.objects.filter(meta__has_key="color").annotate(
        other=ns.Subquery(ns.Doc.objects.filter(meta__has_key="color").exclude(
            meta__color=ns.OuterRef("meta__color")).values("name")[:1])).values_list("name", "other"))),
    case("update_from_kt", lambda ns: (ns.Doc.objects.filter(meta__has_key="name").exclude(
        meta__name=None).update(name=kt(ns, "meta__name")), list(ns.Doc.objects.values_list("name", flat=True))),
        mutates=True),
    case("join_key_filter", lambda ns: list(ns.Label.objects.filter(doc__meta__color="red").values_list(
        "text", flat=True))),
    case("join_reverse_key_filter", lambda ns: list(ns.Doc.objects.filter(labels__data__w__gte=2).values_list(
        "name", flat=True))),
    case("join_exclude_key", lambda ns: list(ns.Label.objects.exclude(doc__meta__size__gt=3).values_list(
        "text", flat=True))),
    case("join_values_and_order", lambda ns: list(ns.Label.objects.order_by("-doc__meta__size", "text").values_list(
        "text", "doc__meta__color", "data__w"))),
    case("join_has_key", lambda ns: list(ns.Label.objects.filter(doc__meta__has_key="tags").values_list(
        "text", flat=True))),
    case("case_when_key", lambda ns: list(ns.Doc.objects.annotate(red=ns.Case(
        ns.When(meta__color="red", then=ns.Value(True)), default=ns.Value(False))).values_list("name", "red"))),
    case("nested_contains", names(meta__items__contains=[{"x": 1}])),
    case("distinct_on_key", lambda ns: list(ns.Doc.objects.filter(meta__has_key="color").order_by(
        "meta__color", "name").distinct("meta__color").values_list("name", flat=True))),
    case("union_key_values", lambda ns: sorted(ns.Doc.objects.filter(meta__color="red").order_by().values_list(
        "name", "meta__size").union(ns.Doc.objects.filter(meta__size__gt=5).order_by().values_list(
        "name", "meta__size")), key=repr)),
    case("window_partition_by_key", lambda ns: list(ns.Doc.objects.annotate(
        n=ns.Window(ns.Count("id"), partition_by=[ns.F("meta__color")])).values_list("name", "n"))),
    case("alias_then_filter", lambda ns: list(ns.Doc.objects.alias(s=ns.F("meta__size")).filter(
        s__gt=2).values_list("name", flat=True))),
    case("prefetch_filtered_by_key", lambda ns: [(d.name, [label.text for label in d.picked]) for d in
                                                 ns.Doc.objects.filter(meta__has_key="items").prefetch_related(
        ns.Prefetch("labels", queryset=ns.Label.objects.filter(data__w__gte=2), to_attr="picked"))]),
    case("exists_outer_key", lambda ns: list(ns.Doc.objects.filter(ns.Exists(ns.Label.objects.filter(
        doc=ns.OuterRef("pk"), data__w__gt=ns.OuterRef("meta__size")))).values_list("name", flat=True)),
        xfail={v: "Django 5.2 crashes without a native JSON type: its key gt lookup json.loads() the "
                  "compiled OuterRef's SQL parameters (JSONDecodeError); ormlette compares the expressions"
               for v in ("sqlite", "mysql")}),
    case("update_json_null_value", lambda ns: (ns.Doc.objects.filter(name="d02_red").update(
        meta=ns.Value(None, ns.JSONField())), null_kind(ns, name="d02_red")), mutates=True),
    case("save_sql_null", lambda ns: (ns.Doc.objects.create(name="zz", meta=None), null_kind(ns, name="zz"))[1],
         mutates=True),
    case("bulk_update_none", lambda ns: bulk_update_none(ns), mutates=True),
    case("bulk_create_nulls", lambda ns: (ns.Doc.objects.bulk_create([
        ns.Doc(name="zz1", meta=None), ns.Doc(name="zz2", meta=ns.Value(None, ns.JSONField()))]) and None,
        null_kind(ns, name="zz1"), null_kind(ns, name="zz2")), mutates=True),
    case("update_by_key", lambda ns: (ns.Doc.objects.filter(meta__color="red").update(name="zz"),
                                      list(ns.Doc.objects.values_list("name", flat=True))), mutates=True),
    case("delete_by_has_key", lambda ns: ns.Doc.objects.filter(meta__has_key="tags").delete(), mutates=True),
]


@parametrize(KEY_CASES)
def test_key_transforms(env, case):
    env.check(case)


@parametrize(HOSTILE_CASES)
def test_hostile_keys(env, case):
    env.check(case)


@parametrize(DOCUMENT_CASES)
def test_document_lookups(env, case):
    env.check(case)


@parametrize(SELECT_CASES)
def test_select_order_annotate(env, case):
    env.check(case)
