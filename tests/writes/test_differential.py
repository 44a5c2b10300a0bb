"""Differential tests for issue 5 (writes, bulk, locking, validation, raw SQL) against Django 5.2."""
import decimal

from tests.differential.harness import Differential, case, parametrize

SOURCE = '''
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length


class WProduct(models.Model):
    name = models.CharField(max_length=50)
    price = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    stock = models.IntegerField(default=0)
    status = models.CharField(max_length=10, default="active", choices=[("active", "Active"),
                                                                          ("archived", "Archived")])

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(stock__gte=0), name="wdiff_stock_non_negative"),
            models.UniqueConstraint(fields=["name"], condition=Q(status="active"), name="wdiff_active_name"),
        ]


class WOrder(models.Model):
    note = models.CharField(max_length=50, default="")
    total = models.DecimalField(max_digits=12, decimal_places=2, default=0)


class WItem(models.Model):
    order = models.ForeignKey(WOrder, on_delete=models.CASCADE, related_name="items")
    product = models.ForeignKey(WProduct, on_delete=models.PROTECT)
    quantity = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["order", "product"], name="wdiff_item_unique")]


class WTag(models.Model):
    name = models.CharField(max_length=30, unique=True)
    uses = models.IntegerField(default=0)


class WPost(models.Model):
    body = models.TextField()
    word_count = models.GeneratedField(expression=Length("body"), output_field=models.IntegerField(),
                                       db_persist=True)
'''


def load(ns):
    ns.WProduct.objects.create(name="lamp", price=decimal.Decimal("10.00"), stock=5)
    ns.WProduct.objects.create(name="desk", price=decimal.Decimal("99.50"), stock=1)
    ns.WProduct.objects.create(name="old", stock=0, status="archived")
    ns.WTag.objects.create(name="python", uses=1)
    ns.WPost.objects.create(body="hello world")


env = Differential(SOURCE, label="wdiff", data=load).fixture()


def P(ns):
    return ns.WProduct.objects


def place_order(ns, lines):
    with ns.transaction.atomic():
        order = ns.WOrder.objects.create(total=0)
        ns.WItem.objects.bulk_create([ns.WItem(order=order, product_id=pk, quantity=q) for pk, q in lines])
        for pk, q in lines:
            if P(ns).filter(pk=pk, stock__gte=q).update(stock=ns.F("stock") - q) == 0:
                raise ValueError("Insufficient stock for product %s" % pk)
        return order


def place_and_report(ns, lines):
    try:
        place_order(ns, lines)
    except ValueError as exc:
        error = str(exc)
    else:
        error = None
    return error, ns.WOrder.objects.count(), ns.WItem.objects.count(), list(P(ns).order_by("pk").values_list(
        "name", "stock"))


def save_sequence(ns):
    p = ns.WProduct(name="new", price=1)
    p.save()
    p.stock = 3
    p.save(update_fields=["stock"])
    p.refresh_from_db()
    return p


def forced_update_missing(ns):
    p = P(ns).get(name="lamp")
    P(ns).filter(pk=p.pk).delete()
    p.save(force_update=True)


def update_fields_missing(ns):
    p = P(ns).get(name="lamp")
    P(ns).filter(pk=p.pk).delete()
    p.save(update_fields=["stock"])


def catch_db_error(ns, func):
    try:
        func(ns)
    except ns.db.DatabaseError as exc:
        return "DatabaseError", str(exc)
    return None


def get_or_create_pair(ns):
    a = ns.WTag.objects.get_or_create(name="python", defaults={"uses": 9})
    b = ns.WTag.objects.get_or_create(name="django", defaults={"uses": 2})
    return a, b, list(ns.WTag.objects.order_by("name").values_list("name", "uses"))


def update_or_create_pair(ns):
    a = ns.WTag.objects.update_or_create(name="python", defaults={"uses": 5})
    b = ns.WTag.objects.update_or_create(name="go", defaults={"uses": 5}, create_defaults={"uses": 50})
    return a, b, list(ns.WTag.objects.order_by("name").values_list("name", "uses"))


def bulk_create_tags(ns, **kwargs):
    tags = [ns.WTag(name="python", uses=7), ns.WTag(name="rust", uses=3)]
    ns.WTag.objects.bulk_create(tags, **kwargs)
    return list(ns.WTag.objects.order_by("name").values_list("name", "uses"))


def bulk_create_products(ns):
    objs = ns.WProduct.objects.bulk_create([ns.WProduct(name="p%d" % i, stock=i) for i in range(50)])
    return [o.pk is not None for o in objs], P(ns).count()


def bulk_update_products(ns):
    objs = list(P(ns).order_by("pk"))
    for o in objs:
        o.stock += 10
        o.price = o.price * 2
    n = P(ns).bulk_update(objs, ["stock", "price"])
    return n, list(P(ns).order_by("pk").values_list("stock", "price"))


def sfu_outside(ns):
    return list(P(ns).select_for_update())


def sfu_inside(ns):
    with ns.transaction.atomic():
        return list(P(ns).select_for_update().filter(stock__gt=0).order_by("pk"))


def full_clean_errors(ns, **kwargs):
    values = {"name": "lamp", "price": 1, "stock": -1, "status": "nope"}
    values.update(kwargs)
    ns.WProduct(**values).full_clean()


def generated_after_save(ns):
    post = ns.WPost.objects.create(body="abc")
    return post.word_count, list(ns.WPost.objects.filter(word_count__gt=3).values_list("word_count", flat=True))


def raw_products(ns):
    table = ns.WProduct._meta.db_table
    return [(p.name, p.stock) for p in P(ns).raw("SELECT * FROM %s WHERE stock > %%s ORDER BY id" % table, [0])]


def raw_deferred(ns):
    table = ns.WProduct._meta.db_table
    p = list(P(ns).raw("SELECT id, name FROM %s ORDER BY id" % table))[0]
    return sorted(p.get_deferred_fields()), p.name


def cursor_roundtrip(ns):
    table = ns.WProduct._meta.db_table
    with ns.connection.cursor() as cur:
        cur.execute("UPDATE %s SET stock = stock + 1 WHERE name = %%s" % table, ["lamp"])
        cur.execute("SELECT name, stock FROM %s WHERE stock >= %%s ORDER BY name" % table, [2])
        return [tuple(r) for r in cur.fetchall()]


def extra_select(ns):
    rows = P(ns).extra(select={"double": "stock * 2"}, where=["stock >= %s"], params=[1]).order_by("pk")
    return [(p.name, p.double) for p in rows]


CASES = [
    case("order_placed", lambda ns: place_and_report(ns, [(1, 2), (2, 1)]), mutates=True),
    case("order_insufficient_stock", lambda ns: place_and_report(ns, [(1, 2), (2, 5)]), mutates=True),
    case("order_duplicate_line", lambda ns: place_order(ns, [(1, 1), (1, 1)]), mutates=True, message=False),
    case("save_sequence", save_sequence, mutates=True),
    # ormlette raises Model.NotUpdated (Django 6.0's subclass of DatabaseError); compare as DatabaseError.
    case("forced_update_missing", lambda ns: catch_db_error(ns, forced_update_missing), mutates=True),
    case("update_fields_missing", lambda ns: catch_db_error(ns, update_fields_missing), mutates=True),
    case("save_force_both", lambda ns: ns.WProduct(name="x").save(force_insert=True, force_update=True)),
    case("create", lambda ns: P(ns).create(name="made", stock=2), mutates=True),
    case("get_or_create", get_or_create_pair, mutates=True),
    case("update_or_create", update_or_create_pair, mutates=True),
    case("update_f", lambda ns: (P(ns).filter(stock__gt=0).update(stock=ns.F("stock") * 2),
                                 list(P(ns).order_by("pk").values_list("stock", flat=True))), mutates=True),
    case("update_across_relation", lambda ns: (
        place_order(ns, [(1, 1)]),
        P(ns).filter(witem__quantity__gte=1).update(status="archived"),
        list(P(ns).order_by("pk").values_list("status", flat=True)))[1:], mutates=True),
    case("update_check_violation", lambda ns: P(ns).update(stock=ns.F("stock") - 100), mutates=True,
         message=False),
    case("bulk_create_products", bulk_create_products, mutates=True),
    case("bulk_create_ignore", lambda ns: bulk_create_tags(ns, ignore_conflicts=True), mutates=True),
    case("bulk_create_update_conflicts", lambda ns: bulk_create_tags(
        ns, update_conflicts=True, update_fields=["uses"],
        unique_fields=["name"] if ns.connection.features.supports_update_conflicts_with_target else None),
        mutates=True),
    case("bulk_create_conflict_args", lambda ns: bulk_create_tags(ns, ignore_conflicts=True, update_conflicts=True)),
    case("bulk_create_duplicate_fails", lambda ns: bulk_create_tags(ns), mutates=True, message=False),
    case("bulk_update", bulk_update_products, mutates=True),
    case("bulk_update_no_fields", lambda ns: P(ns).bulk_update(list(P(ns).all()), [])),
    case("sfu_outside_transaction", sfu_outside),
    case("sfu_inside_transaction", sfu_inside),
    case("full_clean_errors", full_clean_errors),
    case("full_clean_unique_condition", lambda ns: full_clean_errors(ns, stock=1, status="active")),
    case("full_clean_ok", lambda ns: full_clean_errors(ns, name="fresh", stock=1, status="active")),
    case("generated_after_create", generated_after_save, mutates=True),
    case("raw_products", raw_products),
    case("raw_deferred", raw_deferred),
    case("cursor_roundtrip", cursor_roundtrip, mutates=True),
    case("extra_select_where", extra_select),
]


@parametrize(CASES)
def test_writes_differential(env, case):
    env.check(case)
