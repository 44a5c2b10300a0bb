"""``./run bench``: run the benchmark suite, one process per backend, and write bench/results/.

    ./run bench                          full sizes on sqlite, postgresql and mysql (servers that answer)
    ./run bench --quick                  tiny sizes (the CI smoke test), results in a temporary directory
    ./run bench --backends sqlite --workloads W1,W3 --contenders raw,ormlette,django
    ./run bench --profile                profile ormlette on W1, W3 and W10 (SQLite) instead
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from bench import config, report  # noqa: E402
from bench.contenders import ALL  # noqa: E402


def reachable(backend):
    """Whether the backend's server answers (SQLite always does)."""
    if backend == "sqlite":
        return True
    try:
        config._admin(backend, config.server_params(backend), "drop", "ormlette_bench_probe")
        return True
    except Exception as exc:
        print("bench: skipping %s (%s)" % (backend, str(exc).strip().splitlines()[0]), file=sys.stderr)
        return False


def parse(argv):
    parser = argparse.ArgumentParser(prog="./run bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="tiny sizes, 2 rounds (smoke test)")
    parser.add_argument("--backends", default=",".join(config.BACKENDS))
    parser.add_argument("--contenders", default=",".join(ALL))
    parser.add_argument("--workloads", default="", help="e.g. W1,W4 (default: all)")
    parser.add_argument("--rounds", type=int, default=0, help="override the number of rounds")
    parser.add_argument("--out", default=None, help="results directory (default bench/results)")
    parser.add_argument("--profile", action="store_true", help="profile ormlette's hot path instead")
    return parser.parse_args(argv)


def main(argv=None):
    """Run each backend in its own process, then write the tables and charts."""
    opts = parse(argv)
    if opts.profile:
        from bench import profile_hot

        return profile_hot.main([])
    out_dir = opts.out or (tempfile.mkdtemp(prefix="ormlette-bench-quick-") if opts.quick
                           else os.path.join(ROOT, "bench", "results"))
    results = []
    failed = []
    for backend in [b.strip() for b in opts.backends.split(",") if b.strip()]:
        if backend not in config.BACKENDS:
            raise SystemExit("bench: unknown backend %r" % backend)
        if not reachable(backend):
            continue
        path = os.path.join(out_dir, "%s.json" % backend)
        os.makedirs(out_dir, exist_ok=True)
        cmd = [sys.executable, "-m", "bench.worker", "--backend", backend, "--out", path,
               "--contenders", opts.contenders, "--workloads", opts.workloads]
        if opts.quick:
            cmd.append("--quick")
        if opts.rounds:
            cmd += ["--rounds", str(opts.rounds)]
        if subprocess.call(cmd, cwd=ROOT) != 0:
            failed.append(backend)
            continue
        with open(path) as f:
            results.append(json.load(f))
    if results:
        for path in report.write(results, out_dir):
            print("bench: wrote %s" % path)
    if failed or not results:
        print("bench: failed on %s" % (", ".join(failed) or "every backend"), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
