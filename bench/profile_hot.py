"""Profile ormlette's hot path on W1 (get by pk), W3 (10k objects) and W10 (build + compile).

``./run bench --profile`` (or ``python -m bench.profile_hot [--pyinstrument]``): SQLite, full sizes,
cProfile top functions by internal time for each workload, per-call timings first.
"""
import cProfile
import io
import pstats
import sys
import time

from bench import config, schema
from bench.contenders.c_ormlette import Ormlette
from bench.workloads import WORKLOADS


def measure(fn, repeat=5):
    """Best-of wall time of ``fn()``."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main(argv=None):
    """Seed a SQLite database, then time and profile the three workloads."""
    argv = sys.argv[1:] if argv is None else argv
    sizes = config.FULL
    sizes.big_items = 0
    db = config.create_database("sqlite")
    try:
        schema.create_and_seed("sqlite", db, sizes)
        orm = Ormlette("sqlite", db, sizes)
        orm.open()
        ctx = type("Ctx", (), {"sizes": sizes, "vendor": "sqlite"})()
        jobs = {w.id: w for w in WORKLOADS if w.id in ("W1", "W3", "W10")}
        for wid, w in jobs.items():
            args = w.args(ctx)
            method = getattr(orm, w.method)
            method(*args)  # warm the caches
            best = measure(lambda: method(*args))
            ops = w.ops(sizes)
            print("%s %s: best %.1f ms per run, %.2f us per op" % (wid, w.title, best * 1e3, best / ops * 1e6))
            if "--pyinstrument" in argv:
                from pyinstrument import Profiler

                profiler = Profiler(interval=0.0002)
                profiler.start()
                method(*args)
                profiler.stop()
                print(profiler.output_text(unicode=False, color=False, show_all=False))
                continue
            prof = cProfile.Profile()
            prof.enable()
            method(*args)
            prof.disable()
            out = io.StringIO()
            pstats.Stats(prof, stream=out).sort_stats("tottime").print_stats(22)
            print("\n".join(line for line in out.getvalue().splitlines() if line.strip())[:6000])
        orm.close()
    finally:
        config.drop_database("sqlite", db)
    return 0


if __name__ == "__main__":
    sys.exit(main())
