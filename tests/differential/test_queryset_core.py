"""Differential tests: QuerySet core API (issue 2 item 4) against Django 5.2."""
import datetime
import decimal

from tests.differential.core_models import UTC, differential
from tests.differential.harness import case, parametrize

env = differential().fixture()


def A(ns):
    return ns.Author.objects


def E(ns):
    return ns.Entry.objects


def _names(qs):
    return list(qs.values_list("name", flat=True))


RETRIEVAL = [
    case("all", lambda ns: A(ns).all()),
    case("all_unordered_model", lambda ns: E(ns).all()),
    case("manager_iterates_via_all", lambda ns: list(A(ns).all())),
    case("filter_kw", lambda ns: A(ns).filter(active=True)),
    case("filter_two_kw", lambda ns: A(ns).filter(active=True, age__gte=40)),
    case("filter_chain", lambda ns: A(ns).filter(active=True).filter(age__gte=40)),
    case("filter_no_args", lambda ns: A(ns).filter()),
    case("exclude_kw", lambda ns: A(ns).exclude(active=True)),
    case("exclude_two_kw", lambda ns: A(ns).exclude(active=True, age__gte=40)),
    case("exclude_chain", lambda ns: A(ns).exclude(active=True).exclude(age__gte=40)),
    case("filter_then_exclude", lambda ns: E(ns).filter(views__gte=10).exclude(flag=True)),
    case("get_pk", lambda ns: A(ns).get(pk=3)),
    case("get_kw", lambda ns: A(ns).get(name="Bob")),
    case("get_q", lambda ns: A(ns).get(ns.Q(name="Bob") | ns.Q(name="nobody"))),
    case("get_on_filtered", lambda ns: A(ns).filter(active=True).get(name="Carla")),
    case("get_does_not_exist", lambda ns: A(ns).get(name="nobody")),
    case("get_does_not_exist_is_object_dne", lambda ns: _catch(
        lambda: A(ns).get(pk=999), ns.exceptions.ObjectDoesNotExist)),
    case("get_multiple", lambda ns: A(ns).get(active=True)),
    case("get_multiple_few", lambda ns: E(ns).get(flag=True)),
    case("get_multiple_catch_base", lambda ns: _catch(
        lambda: E(ns).get(flag=False), ns.exceptions.MultipleObjectsReturned)),
    case("get_sliced_error", lambda ns: A(ns).all()[:2].get(pk=1)),
    case("count_all", lambda ns: A(ns).count()),
    case("count_filtered", lambda ns: A(ns).filter(age__gt=30).count()),
    case("count_sliced", lambda ns: A(ns).all()[2:7].count()),
    case("count_sliced_past_end", lambda ns: A(ns).all()[20:100].count()),
    case("count_after_eval_no_query", lambda ns: _count_cached(A(ns).filter(active=True))),
    case("exists_true", lambda ns: A(ns).filter(name="Ann").exists()),
    case("exists_false", lambda ns: A(ns).filter(name="nobody").exists()),
    case("exists_sliced", lambda ns: A(ns).all()[30:].exists()),
    case("len", lambda ns: len(A(ns).filter(active=False))),
    case("bool_true", lambda ns: bool(A(ns).filter(age__gt=20))),
    case("bool_false", lambda ns: bool(A(ns).filter(age__gt=2000))),
    case("len_then_iter_one_query", lambda ns: _len_then_list(A(ns).filter(active=True))),
    case("first_meta_ordering", lambda ns: A(ns).first()),
    case("last_meta_ordering", lambda ns: A(ns).last()),
    case("first_unordered_uses_pk", lambda ns: E(ns).first()),
    case("last_unordered_uses_pk", lambda ns: E(ns).last()),
    case("first_explicit_order", lambda ns: E(ns).order_by("-views").first()),
    case("last_explicit_order", lambda ns: E(ns).order_by("-views").last()),
    case("first_empty", lambda ns: A(ns).filter(name="nobody").first()),
    case("first_after_slice_error", lambda ns: A(ns).all()[1:3].first()),
    case("earliest_field", lambda ns: A(ns).earliest("created")),
    case("latest_field", lambda ns: A(ns).latest("created")),
    case("earliest_desc", lambda ns: A(ns).earliest("-age")),
    case("latest_two_fields", lambda ns: A(ns).latest("age", "name")),
    case("latest_no_field_error", lambda ns: E(ns).latest()),
    case("earliest_empty", lambda ns: A(ns).filter(name="nobody").earliest("created")),
]


def _catch(func, exc_class):
    try:
        func()
    except exc_class as exc:
        return "caught %s" % type(exc).__name__
    return "not raised"


def _count_cached(qs):
    list(qs)
    return qs.count()


def _len_then_list(qs):
    return len(qs), len(list(qs)), bool(qs)


ORDERING = [
    case("order_by_desc", lambda ns: _names(A(ns).order_by("-age", "name"))),
    case("order_by_two", lambda ns: _names(A(ns).order_by("active", "-name"))),
    case("order_by_pk_desc", lambda ns: E(ns).order_by("-pk")),
    case("order_by_id", lambda ns: E(ns).order_by("id")),
    case("order_by_clear", lambda ns: A(ns).order_by()),
    case("order_by_clear_ordered_flag", lambda ns: (A(ns).order_by().ordered, A(ns).ordered, E(ns).ordered,
                                                   E(ns).order_by("title").ordered)),
    case("order_by_replaces", lambda ns: E(ns).order_by("views").order_by("-title")),
    case("order_by_nullable_asc", lambda ns: _names(A(ns).order_by("rating", "name"))),
    case("order_by_f_asc", lambda ns: _names(A(ns).order_by(ns.F("age").asc(), "name"))),
    case("order_by_f_desc", lambda ns: _names(A(ns).order_by(ns.F("age").desc(), "name"))),
    case("order_by_nulls_first", lambda ns: _names(A(ns).order_by(ns.F("age").asc(nulls_first=True), "name"))),
    case("order_by_nulls_last", lambda ns: _names(A(ns).order_by(ns.F("age").asc(nulls_last=True), "name"))),
    case("order_by_desc_nulls_first",
         lambda ns: _names(A(ns).order_by(ns.F("rating").desc(nulls_first=True), "name"))),
    case("order_by_desc_nulls_last",
         lambda ns: _names(A(ns).order_by(ns.F("rating").desc(nulls_last=True), "name"))),
    case("order_by_nulls_both_error", lambda ns: A(ns).order_by(ns.F("age").asc(nulls_first=True, nulls_last=True))),
    case("order_by_random_count", lambda ns: A(ns).order_by("?").count()),
    case("order_by_random_len", lambda ns: len(A(ns).order_by("?"))),
    case("order_by_random_set", lambda ns: sorted(A(ns).order_by("?").values_list("pk", flat=True))),
    case("order_by_unknown_field", lambda ns: A(ns).order_by("nonexistent")),
    case("order_by_unknown_desc", lambda ns: A(ns).order_by("-nonexistent")),
    case("order_by_after_slice", lambda ns: A(ns).all()[:3].order_by("age")),
    case("reverse_meta_ordering", lambda ns: _names(A(ns).reverse())),
    case("reverse_explicit", lambda ns: E(ns).order_by("views").reverse()),
    case("reverse_twice", lambda ns: E(ns).order_by("views").reverse().reverse()),
    case("reverse_unordered", lambda ns: (E(ns).reverse().ordered, sorted(E(ns).reverse().values_list("pk", flat=True)))),
    case("reverse_first", lambda ns: A(ns).reverse().first()),
]

DISTINCT = [
    case("distinct_all", lambda ns: A(ns).distinct().count()),
    case("distinct_values", lambda ns: E(ns).values("flag").distinct().order_by("flag")),
    case("distinct_values_list_flat", lambda ns: E(ns).values_list("flag", flat=True).distinct().order_by("flag")),
    case("distinct_values_meta_ordering", lambda ns: sorted(
        A(ns).values_list("active", flat=True).distinct(), key=str)),
    case("distinct_values_meta_ordering_values", lambda ns: sorted(
        A(ns).values("active").distinct(), key=str)),
    case("distinct_values_list_two_meta_ordering", lambda ns: sorted(
        A(ns).values_list("active", "age").distinct(), key=str)),
    case("distinct_models_meta_ordering_count", lambda ns: len(A(ns).distinct())),
    case("distinct_values_unordered", lambda ns: E(ns).values_list("flag", flat=True).distinct()),
    case("distinct_on_fields", lambda ns: list(
        E(ns).order_by("flag", "views").distinct("flag").values_list("flag", "views"))),
    case("distinct_after_slice_error", lambda ns: A(ns).all()[:2].distinct()),
]

SLICING = [
    case("index_0", lambda ns: A(ns).all()[0]),
    case("index_5", lambda ns: A(ns).all()[5]),
    case("index_out_of_range", lambda ns: A(ns).all()[100]),
    case("index_negative", lambda ns: A(ns).all()[-1]),
    case("slice_negative", lambda ns: A(ns).all()[-3:]),
    case("slice_head", lambda ns: A(ns).all()[:3]),
    case("slice_middle", lambda ns: A(ns).all()[4:9]),
    case("slice_tail", lambda ns: A(ns).all()[20:]),
    case("slice_empty_range", lambda ns: A(ns).all()[5:5]),
    case("slice_reversed_range", lambda ns: A(ns).all()[6:2]),
    case("slice_step", lambda ns: A(ns).all()[1:12:3]),
    case("slice_step_open", lambda ns: A(ns).all()[::5]),
    case("slice_of_slice", lambda ns: A(ns).all()[2:10][1:3]),
    case("slice_of_open_slice", lambda ns: A(ns).all()[3:][:2]),
    case("slice_index_of_slice", lambda ns: A(ns).all()[2:10][1]),
    case("slice_cached_result", lambda ns: _slice_cached(A(ns).filter(active=True))),
    case("index_bad_type", lambda ns: A(ns).all()["a"]),
    case("filter_after_slice", lambda ns: A(ns).all()[:3].filter(active=True)),
    case("exclude_after_slice", lambda ns: A(ns).all()[:3].exclude(active=True)),
    case("values_after_slice", lambda ns: A(ns).all()[1:4].values("name")),
]


def _slice_cached(qs):
    rows = list(qs)
    return rows[1:3] == list(qs[1:3]), qs[2]


VALUES = [
    case("values_all_fields", lambda ns: A(ns).values()[:5]),
    case("values_some", lambda ns: A(ns).values("name", "age")),
    case("values_pk", lambda ns: E(ns).values("pk").order_by("pk")),
    case("values_id_title", lambda ns: E(ns).values("id", "title")),
    case("values_types", lambda ns: A(ns).values("created", "birthday", "wake", "uid", "rating", "score",
                                                 "active", "data")),
    case("values_then_filter", lambda ns: A(ns).values("name").filter(age__gt=40)),
    case("values_unknown_field", lambda ns: A(ns).values("nonexistent")),
    case("values_list_all", lambda ns: A(ns).values_list()[:4]),
    case("values_list_fields", lambda ns: A(ns).values_list("name", "rating")),
    case("values_list_flat", lambda ns: A(ns).values_list("age", flat=True)),
    case("values_list_flat_pk", lambda ns: E(ns).values_list("pk", flat=True).order_by("-pk")),
    case("values_list_named", lambda ns: A(ns).values_list("name", "age", named=True)),
    case("values_list_named_one", lambda ns: E(ns).values_list("title", named=True).order_by("title")),
    case("values_list_flat_two_error", lambda ns: A(ns).values_list("name", "age", flat=True)),
    case("values_list_flat_named_error", lambda ns: A(ns).values_list("name", flat=True, named=True)),
    case("values_list_get", lambda ns: A(ns).values_list("name", "age").get(pk=2)),
    case("values_list_flat_first", lambda ns: A(ns).values_list("name", flat=True).first()),
    case("values_get", lambda ns: A(ns).values("name", "email").get(pk=2)),
    case("values_json", lambda ns: A(ns).values_list("data", flat=True)),
    case("values_count", lambda ns: A(ns).values("name").count()),
]

BULK = [
    case("in_bulk_ids", lambda ns: A(ns).in_bulk([1, 2, 5])),
    case("in_bulk_all", lambda ns: E(ns).in_bulk()),
    case("in_bulk_empty_no_query", lambda ns: A(ns).in_bulk([])),
    case("in_bulk_missing", lambda ns: A(ns).in_bulk([999, 3])),
    case("in_bulk_field_name", lambda ns: A(ns).in_bulk(["user1@example.com", "user2@example.com"],
                                                        field_name="email")),
    case("in_bulk_non_unique_error", lambda ns: A(ns).in_bulk(["Ann"], field_name="name")),
    case("in_bulk_after_slice_error", lambda ns: A(ns).all()[:2].in_bulk([1])),
    case("iterator", lambda ns: A(ns).filter(active=True).iterator()),
    case("iterator_chunk", lambda ns: A(ns).iterator(chunk_size=2)),
    case("iterator_values", lambda ns: E(ns).values_list("title", flat=True).order_by("title").iterator(chunk_size=3)),
    case("iterator_chunk_zero", lambda ns: A(ns).iterator(chunk_size=0)),
    case("iterator_chunk_negative", lambda ns: A(ns).iterator(chunk_size=-3)),
]

EMPTY = [
    case("none_list", lambda ns: A(ns).none()),
    case("none_count", lambda ns: A(ns).none().count()),
    case("none_exists", lambda ns: A(ns).none().exists()),
    case("none_filter", lambda ns: A(ns).none().filter(active=True)),
    case("none_values", lambda ns: A(ns).none().values("name")),
    case("none_first", lambda ns: A(ns).none().first()),
    case("none_get", lambda ns: A(ns).none().get(pk=1)),
    case("none_isinstance_empty", lambda ns: (isinstance(A(ns).none(), ns.models.query.EmptyQuerySet),
                                              isinstance(A(ns).all(), ns.models.query.EmptyQuerySet))),
    case("none_update", lambda ns: A(ns).none().update(age=1), mutates=True),
    case("none_delete", lambda ns: A(ns).none().delete(), mutates=True),
    case("empty_in_count", lambda ns: A(ns).filter(pk__in=[]).count()),
    case("empty_in_or", lambda ns: _names(A(ns).filter(ns.Q(pk__in=[]) | ns.Q(name="Bob")))),
    case("empty_in_exclude", lambda ns: A(ns).exclude(pk__in=[]).count()),
]

CONTAINS = [
    case("contains_true", lambda ns: A(ns).filter(active=True).contains(A(ns).get(name="Bob"))),
    case("contains_false", lambda ns: A(ns).filter(active=True).contains(A(ns).get(name="Ann"))),
    case("contains_cached", lambda ns: _contains_cached(A(ns), A(ns).get(pk=2))),
    case("contains_unsaved", lambda ns: A(ns).contains(ns.Author(name="x"))),
    case("contains_wrong_model", lambda ns: A(ns).contains(E(ns).get(pk=1))),
    case("contains_values_error", lambda ns: A(ns).values("name").contains(A(ns).get(pk=1))),
]


def _contains_cached(manager, obj):
    qs = manager.all()
    list(qs)
    return qs.contains(obj)


REPR = [
    case("repr_long", lambda ns: repr(A(ns).all())),
    case("repr_short", lambda ns: repr(E(ns).order_by("pk")[:2])),
    case("repr_empty", lambda ns: repr(A(ns).none())),
    case("repr_values", lambda ns: repr(E(ns).order_by("pk").values("title")[:3])),
    case("repr_values_list", lambda ns: repr(A(ns).values_list("name", flat=True))),
    case("repr_named", lambda ns: repr(E(ns).order_by("pk").values_list("title", named=True)[:2])),
    case("repr_instance", lambda ns: (repr(A(ns).get(pk=1)), str(A(ns).get(pk=1)), repr(E(ns).get(pk=1)))),
    case("str_instance_default", lambda ns: str(E(ns).get(pk=2))),
]

MANAGERS = [
    case("custom_manager_get_queryset", lambda ns: ns.Entry.flagged_only.all()),
    case("custom_manager_count", lambda ns: ns.Entry.flagged_only.count()),
    case("as_manager_method", lambda ns: ns.Entry.qs.flagged()),
    case("as_manager_chain", lambda ns: ns.Entry.qs.flagged().popular(views=50)),
    case("as_manager_queryset_method_on_qs", lambda ns: ns.Entry.qs.filter(views__gt=0).popular()),
    case("from_queryset_method", lambda ns: ns.Entry.custom.popular()),
    case("manager_class_names", lambda ns: (
        type(ns.Entry.qs).__name__, type(ns.Entry.custom).__name__, type(ns.Entry.objects).__name__,
        type(ns.Entry.qs.all()).__name__)),
    case("default_manager", lambda ns: (ns.Entry._default_manager.name, ns.Author._default_manager.name,
                                        ns.Entry._meta.default_manager.name)),
    case("manager_names", lambda ns: [m.name for m in ns.Entry._meta.managers]),
    case("manager_no_delete", lambda ns: ns.Entry.objects.delete()),
    case("manager_via_instance", lambda ns: E(ns).get(pk=1).objects),
    case("manager_model", lambda ns: ns.Entry.qs.model.__name__),
    case("queryset_model_and_db", lambda ns: (A(ns).all().model.__name__, A(ns).all().db)),
]

UPDATES = [
    case("update_return", lambda ns: (A(ns).filter(active=False).update(bio="x"),
                                      _names(A(ns).filter(bio="x"))), mutates=True),
    case("update_f_add", lambda ns: (A(ns).filter(age__lt=30).update(age=ns.F("age") + 1),
                                     list(A(ns).values_list("name", "age"))), mutates=True),
    case("update_f_mul_decimal", lambda ns: (A(ns).update(rating=ns.F("rating") * 2),
                                             list(A(ns).values_list("rating", flat=True))), mutates=True),
    case("update_f_sub_other_field", lambda ns: (E(ns).update(views=ns.F("views") - ns.F("id")),
                                                 sorted(E(ns).values_list("pk", "views"))), mutates=True),
    case("update_none_value", lambda ns: (A(ns).filter(pk__lte=3).update(age=None, email=None),
                                          list(A(ns).filter(pk__lte=3).values_list("age", "email"))),
         mutates=True),
    case("update_no_match", lambda ns: A(ns).filter(name="nobody").update(age=1), mutates=True),
    case("update_several", lambda ns: (
        E(ns).filter(flag=True).update(views=7, code="C", pub=datetime.datetime(2000, 1, 1, tzinfo=UTC)),
        sorted(E(ns).values_list("pk", "views", "code", "pub"))), mutates=True),
    case("update_unknown_field", lambda ns: A(ns).update(nonexistent=1), mutates=True),
    case("update_after_slice", lambda ns: A(ns).all()[:2].update(age=1), mutates=True),
    case("update_bad_value", lambda ns: A(ns).update(age="abc"), mutates=True),
    case("update_ordered_meta", lambda ns: A(ns).filter(name__startswith="A").update(active=False), mutates=True),
    case("update_pk_lookup_in_kwargs_error", lambda ns: A(ns).update(age__gt=1), mutates=True),
]

DELETES = [
    case("delete_return", lambda ns: (A(ns).filter(active=False).delete(), A(ns).count()), mutates=True),
    case("delete_no_match", lambda ns: A(ns).filter(name="nobody").delete(), mutates=True),
    case("delete_all", lambda ns: (E(ns).all().delete(), E(ns).count()), mutates=True),
    case("delete_after_slice", lambda ns: A(ns).all()[:2].delete(), mutates=True),
    case("delete_values_error", lambda ns: A(ns).values("name").delete(), mutates=True),
    case("delete_instance", lambda ns: (A(ns).get(pk=4).delete(), A(ns).filter(pk=4).exists()), mutates=True),
    case("delete_distinct_fields_error", lambda ns: E(ns).distinct("flag").delete(), mutates=True),
]

CREATES = [
    case("create_returns_instance", lambda ns: A(ns).create(
        name="New", age=33, rating=decimal.Decimal("1.5"), created=datetime.datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)),
         mutates=True),
    case("create_then_count", lambda ns: (E(ns).create(title="new").pk is not None, E(ns).count(),
                                          E(ns).filter(title="new").values("views", "flag", "code")), mutates=True),
    case("create_unknown_kwarg", lambda ns: A(ns).create(nonexistent=1), mutates=True),
    case("save_then_refetch", lambda ns: _save_refetch(ns), mutates=True),
]


def _save_refetch(ns):
    obj = ns.Author(name="Saved", age=50, wake=datetime.time(1, 2, 3))
    obj.save()
    obj.age = 51
    obj.save()
    return A(ns).get(pk=obj.pk)


CASES = (RETRIEVAL + ORDERING + DISTINCT + SLICING + VALUES + BULK + EMPTY + CONTAINS + REPR + MANAGERS
         + UPDATES + DELETES + CREATES)


@parametrize(CASES)
def test_queryset_core(env, case):
    env.check(case)
