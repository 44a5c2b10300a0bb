"""Footprint benchmarks, ormlette against Django 5.2, each measurement in a fresh process:

* ``cold``: import, settings, one model and its first query (process CPU seconds, interleaved rounds);
* ``list``: memory held by the instances of ``list()`` over N rows (tracemalloc, bytes per row);
* ``bulk``: peak memory of ``bulk_create()`` from a generator of M objects (tracemalloc).

    python -m bench.footprint --backends sqlite,postgresql --rows 500000 --bulk 1000000 --rounds 5

CPU seconds are noisy on a shared machine (the minimum and the median are reported); tracemalloc
figures are deterministic for a given Python and data.
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SIDES = ("ormlette", "django")
ITEM_DDL = {"sqlite": "id integer primary key autoincrement", "postgresql": "id bigserial primary key"}


def configure(side, vendor, db):
    """Set up ``side`` on ``db``; return the bench models (django_style.define_models)."""
    from bench.contenders.django_style import define_models

    engine = {"sqlite": "sqlite3", "postgresql": "postgresql"}[vendor]
    settings_dict = dict(db, ENGINE="%s.db.backends.%s" % ("django" if side == "django" else "ormlette", engine))
    if side == "django":
        import django
        from django.conf import settings

        settings.configure(DATABASES={"default": settings_dict}, USE_TZ=True, TIME_ZONE="UTC",
                           DEFAULT_AUTO_FIELD="django.db.models.BigAutoField", INSTALLED_APPS=["bench"])
        django.setup()
        from django.db import models
    else:
        from ormlette.conf import settings

        settings.configure(DATABASES={"default": settings_dict}, USE_TZ=True, TIME_ZONE="UTC")
        from ormlette.db import models
    return define_models(models, "bench")


def child(side, vendor, db, task, size):
    """One measurement in this process; prints a JSON number."""
    import decimal
    import gc
    import tracemalloc

    m = configure(side, vendor, db)
    if task == "cold":
        print(json.dumps(len(list(m.BigItem.objects.filter(quantity=1)[:5]))))
        return
    big = m.BigItem
    if task == "list":
        list(big.objects.all()[:10])
        gc.collect()
        tracemalloc.start()
        base = tracemalloc.get_traced_memory()[0]
        objs = list(big.objects.all())
        gc.collect()
        print(json.dumps((tracemalloc.get_traced_memory()[0] - base) / len(objs)))
        return
    prices = [decimal.Decimal("%d.%02d" % (i % 90 + 1, i % 100)) for i in range(100)]
    rows = (big(order_id=i, product_id=i % 1000, quantity=9, price=prices[i % 100]) for i in range(size))
    big.objects.bulk_create([big(order_id=0, product_id=0, quantity=9, price=prices[0])])
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    objs = big.objects.bulk_create(rows)
    peak = tracemalloc.get_traced_memory()[1] - base
    big.objects.filter(quantity=9).delete()
    print(json.dumps(peak / 1e6 if len(objs) == size else None))


def seed(vendor, rows):
    """A database with ``rows`` bench_bigitem rows; returns its settings (NAME, ...)."""
    from bench import config
    from bench.schema import connect

    db = config.create_database(vendor)
    conn = connect(vendor, db)
    cur = conn.cursor()
    cur.execute("CREATE TABLE bench_bigitem (%s, order_id bigint NOT NULL, product_id bigint NOT NULL, "
                "quantity integer NOT NULL, price decimal(10, 2) NOT NULL)" % ITEM_DDL[vendor])
    mark = "?" if vendor == "sqlite" else "%s"
    data = [(i % 10000 + 1, i % 1000 + 1, i % 5 + 1, "%d.%02d" % (i % 90 + 1, i % 100)) for i in range(rows)]
    cur.executemany("INSERT INTO bench_bigitem (order_id, product_id, quantity, price) VALUES (%s)"
                    % ", ".join([mark] * 4), data)
    if vendor == "sqlite":
        conn.commit()
    conn.close()
    return db


def run_child(side, vendor, db, task, size):
    """(printed value, child CPU seconds) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run([sys.executable, "-m", "bench.footprint", "--child", json.dumps([side, vendor, db, task, size])],
                         cwd=ROOT, check=True, capture_output=True, text=True).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return json.loads(out.strip().splitlines()[-1]), cpu


def measure(vendor, args):
    """The three figures for both sides on one backend."""
    from bench import config

    db = seed(vendor, args.rows)
    try:
        plain = {k: v for k, v in db.items() if k != "TMPDIR"}
        cold = {side: [] for side in SIDES}
        for round_ in range(args.rounds):
            for side in SIDES if round_ % 2 == 0 else SIDES[::-1]:
                cold[side].append(run_child(side, vendor, plain, "cold", 0)[1])
        out = {}
        for side in SIDES:
            times = sorted(cold[side])
            out[side] = {"cold_cpu_min_s": round(times[0], 3), "cold_cpu_median_s": round(times[len(times) // 2], 3),
                         "list_bytes_per_row": round(run_child(side, vendor, plain, "list", 0)[0]),
                         "bulk_peak_mb": round(run_child(side, vendor, plain, "bulk", args.bulk)[0], 1)}
        return out
    finally:
        config.drop_database(vendor, db)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.footprint", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--rows", type=int, default=500_000, help="rows for the list() measurement")
    parser.add_argument("--bulk", type=int, default=1_000_000, help="objects for the bulk_create() measurement")
    parser.add_argument("--rounds", type=int, default=5, help="cold-start rounds per side")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if ROOT not in sys.path:
        sys.path.insert(0, ROOT)
    if args.child:
        child(*json.loads(args.child))
        return
    results = {vendor: measure(vendor, args) for vendor in args.backends.split(",")}
    print(json.dumps(results, indent=2))
    path = os.path.join(tempfile.gettempdir(), "ormlette-footprint.json")
    with open(path, "w") as fh:
        json.dump(results, fh, indent=2)


if __name__ == "__main__":
    main()
