"""``./run django-suite``: Django 5.2's ORM test apps on ormlette, with real Django as the control.

    python -m tests.django_suite.runner [--backend B ...] [--control run|file] [--update] [--check] [apps...]

Each (app, side) runs in its own process with a timeout. The table compares ormlette with
real Django on the same backend: "django" is how many tests pass on Django, "ormlette" how many
of those pass on ormlette. ``--control run`` runs real Django now (otherwise the committed list
``expected/<backend>.django.txt`` is the control); ``--update`` rewrites the committed lists of
what passes (``expected/<backend>.django.txt`` with --control run, ``expected/<backend>.ormlette.txt``);
``--check`` runs only the apps with a test on that list and exits non-zero when one of its tests fails.
"""
import argparse
import collections
import concurrent.futures
import json
import os
import re
import subprocess
import sys
import tempfile
import time

from tests.django_suite import sdist

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
EXPECTED = os.path.join(HERE, "expected")
BACKENDS = ("sqlite", "postgresql", "mysql")
APPS = (
    "basic lookup queries aggregation annotations expressions expressions_case expressions_window "
    "db_functions many_to_one many_to_many one_to_one m2m_through select_related prefetch_related defer "
    "update delete bulk_create get_or_create custom_managers ordering null_queries or_lookups "
    "field_defaults raw_query transactions select_for_update signals constraints dates datetimes "
    "update_only_fields from_db_value custom_lookups reverse_lookup many_to_one_null m2o_recursive "
    "m2m_recursive model_fields distinct_on_fields async model_inheritance proxy_models composite_pk "
    "filtered_relation queryset_pickle string_lookup timezones custom_columns custom_pk "
    "select_related_onetoone m2m_signals order_with_respect_to model_enums generic_relations"
).split()


def expected_path(backend, side):
    """The committed list of test ids that pass on ``side`` (django or ormlette) on ``backend``."""
    return os.path.join(EXPECTED, "%s.%s.txt" % (backend, side))


def read_ids(path):
    """Test ids in a committed list (one per line, '#' comments), or an empty set."""
    if not os.path.exists(path):
        return set()
    with open(path) as f:
        return {line.strip() for line in f if line.strip() and not line.startswith("#")}


def write_ids(path, ids, header):
    """Write a list of test ids, sorted, after a comment header."""
    with open(path, "w") as f:
        f.write("# %s\n" % header)
        for test_id in sorted(ids):
            f.write(test_id + "\n")


def run_one(side, backend, app, suite, results, timeout, reuse=False):
    """Run one app on one side in a child process; return its outcome (a timeout fails the app)."""
    out = os.path.join(results, "%s.%s.%s.json" % (backend, side, app))
    if reuse and os.path.exists(out):
        with open(out) as f:
            return json.load(f)
    command = [sys.executable, "-m", "tests.django_suite.child", "--side", side, "--backend", backend,
               "--app", app, "--suite", suite, "--out", out]
    env = dict(os.environ, PYTHONPATH=ROOT, PYTHONDONTWRITEBYTECODE="1")
    started = time.monotonic()
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    try:
        _, stderr = process.communicate(timeout=timeout)
        problem = None if process.returncode == 0 else "exit %d: %s" % (process.returncode, stderr[-2000:])
    except subprocess.TimeoutExpired:
        process.terminate()  # SIGTERM: the child drops its databases on the way out
        try:
            process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
        problem = "timed out after %ds" % timeout
    outcome = {"passed": [], "failed": [], "skipped": [], "messages": {}, "setup_error": problem}
    if os.path.exists(out):
        with open(out) as f:
            outcome = json.load(f)
        if problem and not outcome.get("setup_error"):
            outcome["setup_error"] = problem
    outcome["seconds"] = round(time.monotonic() - started, 1)
    return outcome


def _of_app(ids, app):
    return {test_id for test_id in ids if test_id.split(".", 1)[0] == app}


def table(backend, apps, control, outcomes):
    """Lines of the per-app table (control = ids passing on Django)."""
    lines = ["backend %s" % backend, "%-26s %7s %8s %7s %6s %6s" % (
        "app", "django", "ormlette", "failed", "%", "secs")]
    total_control = total_passed = 0
    for app in apps:
        outcome = outcomes[app]
        app_control = _of_app(control, app)
        passed = set(outcome["passed"]) & app_control
        total_control += len(app_control)
        total_passed += len(passed)
        percent = 100.0 * len(passed) / len(app_control) if app_control else 100.0
        note = " (setup: %s)" % _short(outcome["setup_error"]) if outcome.get("setup_error") else ""
        lines.append("%-26s %7d %8d %7d %6.1f %6s%s" % (
            app, len(app_control), len(passed), len(app_control) - len(passed), percent,
            outcome.get("seconds", ""), note))
    percent = 100.0 * total_passed / total_control if total_control else 100.0
    lines.append("%-26s %7d %8d %7d %6.1f" % (
        "TOTAL", total_control, total_passed, total_control - total_passed, percent))
    return lines


def _short(text):
    last = [line for line in (text or "").strip().splitlines() if line.strip()]
    return last[-1][:140] if last else ""


def failure_causes(control, outcomes):
    """Failing tests (of those passing on Django) grouped by the last line of their error."""
    causes = collections.Counter()
    for app, outcome in outcomes.items():
        failed = _of_app(control, app) - set(outcome["passed"])
        messages = outcome.get("messages", {})
        for test_id in failed:
            message = messages.get(test_id)
            if message is None:
                message = outcome.get("setup_error") or _import_error(messages, test_id) or "not run"
            causes[_normalise(_short(message))] += 1
    return causes


def _import_error(messages, test_id):
    module = test_id.rsplit(".", 2)[0]
    for key, message in messages.items():
        if key.startswith("unittest.loader._FailedTest") and key.endswith(module.split(".", 1)[-1]):
            return message
    return None


def _normalise(line):
    line = re.sub(r"0x[0-9a-f]+", "0x?", line)
    return re.sub(r"\d{3,}", "N", line)


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="./run django-suite", description=__doc__.split("\n\n")[0])
    parser.add_argument("apps", nargs="*", help="apps of Django's tests/ folder (default: the ORM apps)")
    parser.add_argument("--backend", action="append", choices=BACKENDS,
                        help="backend (repeatable; default: ORMLETTE_TEST_BACKENDS or all three)")
    parser.add_argument("--control", choices=["file", "run", "only"], default="file",
                        help="'run' runs real Django now too; 'only' runs just real Django; "
                             "'file' (default) reads the committed control list")
    parser.add_argument("--update", action="store_true", help="rewrite the committed pass lists")
    parser.add_argument("--check", action="store_true",
                        help="fail when a test on the committed ormlette list does not pass")
    parser.add_argument("--jobs", type=int, default=int(os.environ.get("ORMLETTE_DJANGO_SUITE_JOBS", "2")))
    parser.add_argument("--timeout", type=int, default=600, help="seconds per app and side")
    parser.add_argument("--results", help="directory for the per-app JSON results (kept)")
    parser.add_argument("--reuse", action="store_true",
                        help="take the outcomes already in --results instead of running them again")
    parser.add_argument("--causes", type=int, default=0, help="print the N most common failure causes")
    return parser.parse_args(argv)


def _backends(args):
    if args.backend:
        return args.backend
    raw = os.environ.get("ORMLETTE_TEST_BACKENDS", " ".join(BACKENDS)).replace(",", " ").split()
    return [{"sqlite3": "sqlite", "postgres": "postgresql", "mariadb": "mysql"}.get(b, b) for b in raw]


def run_backend(backend, args, apps, suite, results):
    """Run the apps on one backend; print the table; return the ormlette tests that regressed."""
    sides = {"file": ["ormlette"], "run": ["ormlette", "django"], "only": ["django"]}[args.control]
    jobs = [(side, app) for app in apps for side in sides]
    with concurrent.futures.ThreadPoolExecutor(max(1, args.jobs)) as pool:
        futures = {job: pool.submit(run_one, job[0], backend, job[1], suite, results, args.timeout,
                                    args.reuse) for job in jobs}
        outcomes = {job: future.result() for job, future in futures.items()}
    empty = {"passed": [], "failed": [], "skipped": [], "messages": {}, "setup_error": "not run"}
    orm = {app: outcomes.get(("ormlette", app), empty) for app in apps}
    orm_passed = {test_id for outcome in orm.values() for test_id in outcome["passed"]}
    if args.control != "file":
        control = {test_id for app in apps for test_id in outcomes[("django", app)]["passed"]}
    else:
        control = _of_apps(read_ids(expected_path(backend, "django")), apps)
    print("\n".join(table(backend, apps, control, orm)))
    if args.causes:
        print("most common causes of the failures on %s:" % backend)
        for cause, count in failure_causes(control, orm).most_common(args.causes):
            print("  %5d  %s" % (count, cause))
    committed = _of_apps(read_ids(expected_path(backend, "ormlette")), apps)
    if args.update:
        _update(backend, apps, control if args.control != "file" else None,
                orm_passed & control if args.control != "only" else None)
    return sorted(committed - orm_passed)


def _of_apps(ids, apps):
    wanted = set(apps)
    return {test_id for test_id in ids if test_id.split(".", 1)[0] in wanted}


def _update(backend, apps, control, orm_passed):
    """Replace the given apps' ids in the committed lists, keeping the other apps' ids."""
    for side, ids in (("ormlette", orm_passed), ("django", control)):
        if ids is None:
            continue
        path = expected_path(backend, side)
        kept = {test_id for test_id in read_ids(path) if test_id.split(".", 1)[0] not in set(apps)}
        write_ids(path, kept | ids, "Django %s test ids passing on %s, backend %s (./run django-suite --update)"
                  % (sdist.installed_version(), side, backend))


def _checked_apps(backend, apps):
    """With --check: only the apps with a test on the committed ormlette list (no other can regress)."""
    listed = {test_id.split(".", 1)[0] for test_id in read_ids(expected_path(backend, "ormlette"))}
    return [app for app in apps if app in listed]


def main(argv=None):
    args = parse_args(argv)
    suite = sdist.suite_dir()
    results = args.results or tempfile.mkdtemp(prefix="django-suite-")
    os.makedirs(results, exist_ok=True)
    regressions = {}
    for backend in _backends(args):
        apps = args.apps or list(APPS)
        if args.check and not args.update:
            apps = _checked_apps(backend, apps)
        regressions[backend] = run_backend(backend, args, apps, suite, results)
    print("results (JSON per app and side): %s" % results)
    failed = {backend: ids for backend, ids in regressions.items() if ids}
    for backend, ids in failed.items():
        print("%s: %d test(s) on the committed ormlette list did not pass:" % (backend, len(ids)))
        for test_id in ids[:50]:
            print("  " + test_id)
    return 1 if args.check and failed else 0


if __name__ == "__main__":
    sys.exit(main())
