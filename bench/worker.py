"""One backend in one process: create the database, seed it, run every contender in interleaved rounds.

Run by bench/run.py as ``python -m bench.worker --backend sqlite --out results.json [--quick]``.
"""
import argparse
import gc
import json
import platform
import sys
import time
import traceback
import tracemalloc

from bench import config, schema
from bench.contenders import ALL, NotAvailable, load
from bench.workloads import WORKLOADS

# The reference checksum comes from the first of these that ran the workload.
CHECK_ORDER = ("raw", "raw_obj", "django", "sqlalchemy", "peewee", "ormlette", "raw_copy")


class Context:
    """What workload hooks need: the vendor, the sizes and a raw connection for checks."""

    def __init__(self, vendor, db, sizes):
        self.vendor = vendor
        self.db = db
        self.sizes = sizes
        self.raw = schema.connect(vendor, db)
        self.create_round = 0
        cur = self.raw.cursor()
        cur.execute(schema.sql(vendor, "SELECT SUM(quantity) FROM bench_orderitem WHERE id <= %s"),
                    (sizes.update_rows,))
        self.base_update_quantity = int(cur.fetchone()[0] or 0)
        cur.close()


def reason_of(exc):
    """A one-line reason for a contender that could not run a workload."""
    if isinstance(exc, NotAvailable):
        return str(exc)
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return ("%s: %s" % (type(exc).__name__, text))[:160]


def open_contenders(names, vendor, db, sizes, log):
    """{name: contender or the reason it could not be opened}."""
    out = {}
    for name in names:
        try:
            contender = load(name)(vendor, db, sizes)
            contender.open()
            out[name] = contender
        except Exception as exc:  # a missing package or an unsupported backend
            log("  %s: not available (%s)" % (name, reason_of(exc)))
            out[name] = reason_of(exc)
    return out


def run_once(ctx, workload, contender):
    """(seconds, checksum) of one timed run; the write workloads are undone afterwards."""
    args = workload.args(ctx)
    if workload.prepare:
        args = getattr(contender, workload.prepare)(*args)
    method = getattr(contender, workload.method)
    calls = range(workload.calls(ctx.sizes) if workload.calls else 1)
    gc.collect()
    start = time.perf_counter()
    try:
        for _ in calls:
            result = method(*args)
    except BaseException:
        # Undo a half-done write only where undoing is safe whatever happened (deleting new rows).
        if workload.restore and workload.restore_on_error:
            workload.restore(ctx)
        raise
    elapsed = time.perf_counter() - start
    try:
        checksum = workload.verify(ctx) if workload.verify else workload.digest(result)
    finally:
        if workload.restore:
            workload.restore(ctx)
    return elapsed, checksum


def peak_memory(ctx, workload, contender):
    """Peak traced Python memory (KiB) of one run (separate from the timed runs)."""
    args = workload.args(ctx)
    gc.collect()
    tracemalloc.start()
    try:
        getattr(contender, workload.method)(*args)
        return tracemalloc.get_traced_memory()[1] // 1024
    finally:
        tracemalloc.stop()


def warm_up(ctx, workloads, contenders, results, log):
    """One untimed run of everything: decides what runs and the reference checksums."""
    expected = {}
    for w in workloads:
        entry = results.setdefault(w.id, {})
        sums = {}
        for name, contender in contenders.items():
            if isinstance(contender, str):
                entry[name] = {"status": "n/a", "reason": contender}
                continue
            try:
                _, sums[name] = run_once(ctx, w, contender)
                entry[name] = {"status": "ok", "times": []}
            except Exception as exc:
                entry[name] = {"status": "n/a", "reason": reason_of(exc)}
                if not isinstance(exc, NotAvailable):
                    log("  %s %s: %s" % (w.id, name, reason_of(exc)))
                    if "-v" in sys.argv:
                        traceback.print_exc()
        ref = next((n for n in CHECK_ORDER if n in sums), None)
        if ref is not None:
            expected[w.id] = (ref, sums[ref])
        for name, value in sums.items():
            entry[name]["checksum"] = repr(value)
            if value != sums[ref]:
                entry[name].update(status="mismatch", reason="checksum %r != %s's %r" % (value, ref, sums[ref]))
                log("  %s %s: MISMATCH %r vs %s %r" % (w.id, name, value, ref, sums[ref]))
    return expected


def timed_rounds(ctx, workloads, contenders, results, expected, log):
    """Interleaved rounds: each round runs every workload on every contender (rotating the order)."""
    sizes = ctx.sizes
    names = list(contenders)
    for rnd in range(max(sizes.rounds, sizes.heavy_rounds)):
        log("  round %d" % (rnd + 1))
        for w in workloads:
            if rnd >= (sizes.heavy_rounds if w.heavy else sizes.rounds):
                continue
            shift = rnd % len(names)
            for name in names[shift:] + names[:shift]:
                entry = results[w.id][name]
                if entry["status"] != "ok":
                    continue
                try:
                    elapsed, checksum = run_once(ctx, w, contenders[name])
                except Exception as exc:
                    entry.update(status="n/a", reason="failed in round %d: %s" % (rnd + 1, reason_of(exc)))
                    continue
                entry["times"].append(elapsed)
                if checksum != expected[w.id][1]:
                    entry.update(status="mismatch", reason="round %d checksum %r" % (rnd + 1, checksum))


def main(argv=None):
    """Entry point of one backend's benchmark process."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", required=True, choices=config.BACKENDS)
    parser.add_argument("--out", required=True)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--contenders", default=",".join(ALL))
    parser.add_argument("--workloads", default="")
    parser.add_argument("--rounds", type=int, default=0)
    parser.add_argument("-v", action="store_true")
    opts = parser.parse_args(argv)
    sizes = config.QUICK if opts.quick else config.FULL
    if opts.rounds:
        sizes.rounds = sizes.heavy_rounds = opts.rounds
    wanted = [w.strip().upper() for w in opts.workloads.split(",") if w.strip()]
    workloads = [w for w in WORKLOADS
                 if not wanted or w.id.upper() in wanted or w.id.rstrip("ab").upper() in wanted]
    if not workloads:
        parser.error("no workload matches %r (ids: %s)" % (opts.workloads, ", ".join(w.id for w in WORKLOADS)))

    def log(msg):
        print("[%s] %s" % (opts.backend, msg), file=sys.stderr, flush=True)

    db = config.create_database(opts.backend)
    contenders = {}
    try:
        log("seeding %s" % ", ".join("%s=%d" % kv for kv in sizes.as_dict().items() if kv[0] in
                                        ("orders", "items", "big_items")))
        schema.create_and_seed(opts.backend, db, sizes)
        ctx = Context(opts.backend, db, sizes)
        contenders = open_contenders(opts.contenders.split(","), opts.backend, db, sizes, log)
        results = {}
        log("warm-up and checks")
        expected = warm_up(ctx, workloads, contenders, results, log)
        timed_rounds(ctx, workloads, contenders, results, expected, log)
        for w in workloads:
            if w.id == "W12":
                for name, contender in contenders.items():
                    if results[w.id][name]["status"] == "ok":
                        results[w.id][name]["peak_kib"] = peak_memory(ctx, w, contender)
        ctx.raw.close()
    finally:
        for contender in contenders.values():
            if not isinstance(contender, str):
                try:
                    contender.close()
                except Exception:
                    pass
        config.drop_database(opts.backend, db)
    payload = {
        "backend": opts.backend, "quick": opts.quick, "sizes": sizes.as_dict(),
        "python": platform.python_version(), "machine": platform.platform(),
        "versions": versions(), "started": time.strftime("%Y-%m-%d %H:%M:%S"),
        "workloads": [{"id": w.id, "title": w.title, "ops": w.ops(sizes), "ref": w.ref} for w in workloads],
        "results": results,
    }
    with open(opts.out, "w") as f:
        json.dump(payload, f, indent=1)
    log("wrote %s" % opts.out)


def versions():
    """Versions of the packages being compared."""
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for pkg in ("ormlette", "django", "sqlalchemy", "peewee", "psycopg", "mysqlclient", "pymysql"):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            out[pkg] = None
    import sqlite3

    out["sqlite"] = sqlite3.sqlite_version
    return out


if __name__ == "__main__":
    main()
