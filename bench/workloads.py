"""The workloads W1-W12: what each contender method receives, how results are checked.

Each workload names a contender method. ``args(ctx)`` builds its (untimed) arguments, ``digest``
turns the result into a comparable checksum, ``verify(ctx)`` reads the database after a write
workload and ``restore(ctx)`` undoes its effect (both untimed).
"""
import datetime
import decimal
import random
from dataclasses import dataclass
from typing import Callable, Optional

from bench.schema import EPOCH, STATUSES, item_row, sql

ORDER_COLS = ("id", "customer_id", "status", "created_at")
ITEM_COLS = ("id", "order_id", "product_id", "quantity", "price")
JOIN_COLS = ORDER_COLS + ("customer.id", "customer.name", "customer.email", "customer.created_at")


def field(row, name, columns):
    """``name`` of a result row that is a tuple (by position), a dict or an object (dotted path)."""
    if isinstance(row, tuple):
        return row[columns.index(name)]
    if isinstance(row, dict):
        return row[name.replace(".", "__")]
    for part in name.split("."):
        row = getattr(row, part)
    return row


def money(value):
    """Decimal/float/str amounts normalised to a 2-place Decimal."""
    return decimal.Decimal(str(value)).quantize(decimal.Decimal("0.01"))


def day(value):
    """Day of month of a datetime (or of the text SQLite returns to raw tuples)."""
    return int(value[8:10]) if isinstance(value, str) else value.day


def digest_orders(rows, columns=ORDER_COLS):
    """(count, sum ids, sum customer ids, sum status lengths, sum days)."""
    f = field
    return (len(rows), sum(f(r, "id", columns) for r in rows), sum(f(r, "customer_id", columns) for r in rows),
            sum(len(f(r, "status", columns)) for r in rows), sum(day(f(r, "created_at", columns)) for r in rows))


def digest_slices(slices):
    """(slices, rows, sum ids) of W2's result lists."""
    return (len(slices), sum(len(s) for s in slices), sum(field(r, "id", ORDER_COLS) for s in slices for r in s))


def digest_items(rows):
    """(count, sum order ids, sum quantities, sum prices)."""
    f = field
    return (len(rows), sum(f(r, "order_id", ITEM_COLS) for r in rows),
            sum(f(r, "quantity", ITEM_COLS) for r in rows), sum(money(f(r, "price", ITEM_COLS)) for r in rows))


def digest_joined(rows):
    """Order digest plus (sum customer name lengths, sum customer days)."""
    f = field
    return digest_orders(rows, JOIN_COLS) + (sum(len(f(r, "customer.name", JOIN_COLS)) for r in rows),
                                             sum(day(f(r, "customer.created_at", JOIN_COLS)) for r in rows))


def digest_groups(rows):
    """Sorted (status, count) pairs."""
    cols = ("status", "n")
    return tuple(sorted((field(r, "status", cols), field(r, "n", cols)) for r in rows))


def digest_aggregate(result):
    """(count, sum quantity, max price, min price) from a dict or a tuple."""
    if isinstance(result, dict):
        result = (result["n"], result["q"], result["mx"], result["mn"])
    n, q, mx, mn = result
    return (n, int(q), money(mx), money(mn))


def digest_compiled(results):
    """(queries, queries whose parameters hold their customer id i + 1) of W10."""
    hits = sum(1 for i, (text, params) in enumerate(results) if text and (i + 1) in list(params))
    return (len(results), hits)


def digest_created(objs):
    """(created, created with a primary key set)."""
    return (len(objs), sum(1 for o in objs if (o if isinstance(o, int) else field(o, "id", ())) is not None))


def identity(result):
    """The result itself (the contender already computed the checksum)."""
    return tuple(result) if isinstance(result, (list, tuple)) else result


@dataclass
class Workload:
    """One timed operation, the same for every contender."""

    id: str
    title: str
    method: str
    ops: Callable            # sizes -> operations per run (for per-op times)
    args: Callable           # ctx -> positional args (untimed)
    digest: Callable = identity
    ref: str = "raw"         # the raw contender the ratio is taken against
    heavy: bool = False
    verify: Optional[Callable] = None   # ctx -> checksum read from the database after the run
    restore: Optional[Callable] = None  # ctx -> None (undo the write, untimed)
    prepare: Optional[str] = None        # contender method building per-run state (untimed)
    restore_on_error: bool = False       # restore() is safe even when the run failed half-way
    calls: Optional[Callable] = None     # sizes -> calls of the method per timed run (default 1)


def _ids(ctx):
    rnd = random.Random(1)
    return (rnd.sample(range(1, ctx.sizes.orders + 1), min(ctx.sizes.gets, ctx.sizes.orders)),)


def _slice_params(ctx):
    rnd = random.Random(2)
    return ([(STATUSES[rnd.randrange(4)], rnd.randint(1, ctx.sizes.customers)) for _ in range(ctx.sizes.slices)],)


def _compile_params(ctx):
    return ([(STATUSES[i % 4], i + 1) for i in range(ctx.sizes.compiles)],)


def _bulk_rows(ctx):
    rnd = random.Random(3)
    return ([item_row(rnd, ctx.sizes) for _ in range(ctx.sizes.bulk_rows)],)


def _create_rows(ctx):
    ctx.create_round += 1
    stamp = EPOCH + datetime.timedelta(days=400)
    return ([("New %d" % i, "new-%d-%d@example.com" % (ctx.create_round, i), stamp)
             for i in range(ctx.sizes.creates)],)


def _query_one(ctx, text, params=()):
    cur = ctx.raw.cursor()
    cur.execute(sql(ctx.vendor, text), params)
    row = cur.fetchone()
    cur.close()
    return row


def _execute(ctx, text, params=()):
    cur = ctx.raw.cursor()
    cur.execute(sql(ctx.vendor, text), params)
    cur.close()


def _new_items(ctx):
    n, q = _query_one(ctx, "SELECT COUNT(*), COALESCE(SUM(quantity), 0) FROM bench_orderitem WHERE id > %s",
                      (ctx.sizes.items,))
    return (n, int(q))


def _drop_new_items(ctx):
    _execute(ctx, "DELETE FROM bench_orderitem WHERE id > %s", (ctx.sizes.items,))
    _settle(ctx, "bench_orderitem")


def _settle(ctx, table):
    """Reclaim the dead row versions a timed write left (PostgreSQL), so every run starts from the same table."""
    if ctx.vendor == "postgresql":
        _execute(ctx, "VACUUM %s" % table)


def _updated_items(ctx):
    n, q = _query_one(ctx, "SELECT COUNT(*), SUM(quantity) FROM bench_orderitem WHERE id <= %s",
                      (ctx.sizes.update_rows,))
    return (n, int(q) - ctx.base_update_quantity)


def _undo_increment(ctx):
    _execute(ctx, "UPDATE bench_orderitem SET quantity = quantity - 1 WHERE id <= %s", (ctx.sizes.update_rows,))
    _settle(ctx, "bench_orderitem")


def _new_customers(ctx):
    (n,) = _query_one(ctx, "SELECT COUNT(*) FROM bench_customer WHERE id > %s", (ctx.sizes.customers,))
    return (n,)


def _drop_new_customers(ctx):
    _execute(ctx, "DELETE FROM bench_customer WHERE id > %s", (ctx.sizes.customers,))
    _settle(ctx, "bench_customer")


def _no_args(ctx):
    return ()


def _excluded_ids(ctx):
    """Half the order ids, at most 5,000 (a long ``__in`` list: one array parameter on PostgreSQL)."""
    rnd = random.Random(4)
    return (sorted(rnd.sample(range(1, ctx.sizes.orders + 1), min(5000, ctx.sizes.orders // 2))),)


WORKLOADS = [
    Workload("W1", "get by pk (random ids)", "get_by_pk", lambda s: s.gets, _ids, digest_orders),
    Workload("W2", "filter + order_by + slice of 20", "filter_slice", lambda s: s.slices, _slice_params,
             digest_slices),
    Workload("W3", "all orders as model instances", "orders", lambda s: 1, _no_args, digest_orders, ref="raw_obj"),
    Workload("W4a", "all items via values_list()", "items_values_list", lambda s: 1, _no_args, digest_items,
             ref="raw_obj"),
    Workload("W4b", "all items via values()", "items_values", lambda s: 1, _no_args, digest_items, ref="raw_obj"),
    Workload("W5", "select_related over all orders", "select_related", lambda s: 1, _no_args, digest_joined,
             ref="raw_obj"),
    Workload("W6a", "prefetch_related items of N orders", "prefetch", lambda s: 1,
             lambda ctx: (ctx.sizes.prefetch_orders,), ref="raw_obj"),
    Workload("W6b", "prefetch items and items__product (nested)", "prefetch_nested", lambda s: 1,
             lambda ctx: (ctx.sizes.prefetch_orders,), ref="raw_obj"),
    Workload("W7a", "values(status).annotate(Count) group-by", "group_by", lambda s: s.aggregate_calls, _no_args,
             digest_groups, calls=lambda s: s.aggregate_calls),
    Workload("W7b", "aggregate(Count, Sum, Max, Min) over items", "aggregate", lambda s: s.aggregate_calls,
             _no_args, digest_aggregate, calls=lambda s: s.aggregate_calls),
    Workload("W8", "bulk_create of items", "bulk_create", lambda s: s.bulk_rows, _bulk_rows, heavy=True,
             verify=_new_items, restore=_drop_new_items, restore_on_error=True),
    Workload("W9a", "update() with F() over N items", "update_f", lambda s: 1,
             lambda ctx: (ctx.sizes.update_rows,), verify=_updated_items, restore=_undo_increment),
    Workload("W9b", "bulk_update of N items", "bulk_update", lambda s: s.update_rows,
             lambda ctx: (ctx.sizes.update_rows,),
             verify=_updated_items, restore=_undo_increment, prepare="bulk_update_load"),
    Workload("W10", "build + compile a repeated query shape", "compile", lambda s: s.compiles, _compile_params,
             digest_compiled),
    Workload("W11", "create() in one transaction", "create_many", lambda s: s.creates, _create_rows,
             digest_created, verify=_new_customers, restore=_drop_new_customers, restore_on_error=True),
    Workload("W12", "iterator() over the big item table", "iterate_big", lambda s: 1, _no_args, heavy=True),
    Workload("W13", "exclude(id__in=<5,000 ids>).count()", "exclude_in", lambda s: 1, _excluded_ids),
    Workload("W14", "exclude() across a multi-valued relation, count", "exclude_multi", lambda s: 1,
             lambda ctx: ("returned",)),
]
