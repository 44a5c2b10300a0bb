"""Smoke test of the benchmark suite: the quick mode runs on SQLite and writes its outputs.

No timing is asserted; the checksums every contender computes are (a wrong result is a failure).
"""
import importlib.util
import json
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WORKLOAD_IDS = ["W1", "W2", "W3", "W4a", "W4b", "W5", "W6a", "W6b", "W7a", "W7b", "W8", "W9a", "W9b", "W10",
                "W11", "W12", "W13", "W14"]


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory):
    """Run ``bench/run.py --quick`` on SQLite once; returns (process, output directory)."""
    out = tmp_path_factory.mktemp("bench")
    proc = subprocess.run(
        [sys.executable, os.path.join(ROOT, "bench", "run.py"), "--quick", "--backends", "sqlite",
         "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=240,
    )
    return proc, out


def _results(out):
    with open(os.path.join(out, "sqlite.json")) as f:
        return json.load(f)


def test_quick_run_completes(quick_run):
    proc, out = quick_run
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert os.path.exists(os.path.join(out, "results.md"))


def test_every_workload_reported(quick_run):
    _, out = quick_run
    data = _results(out)
    assert [w["id"] for w in data["workloads"]] == WORKLOAD_IDS
    with open(os.path.join(out, "results.md")) as f:
        table = f.read()
    for wid in WORKLOAD_IDS:
        assert "| %s " % wid in table


def test_raw_driver_and_django_measured(quick_run):
    _, out = quick_run
    results = _results(out)["results"]
    for wid in WORKLOAD_IDS:
        if wid != "W10":  # nothing to build for a raw driver
            assert results[wid]["raw"]["status"] == "ok", results[wid]["raw"]
            assert len(results[wid]["raw"]["times"]) >= 1
        assert results[wid]["django"]["status"] == "ok", results[wid]["django"]
    assert results["W10"]["raw"]["status"] == "n/a"


def test_no_contender_returns_wrong_results(quick_run):
    _, out = quick_run
    wrong = {(wid, name): e.get("reason") for wid, entries in _results(out)["results"].items()
             for name, e in entries.items() if e["status"] == "mismatch"}
    assert not wrong


def test_unavailable_workloads_give_a_reason(quick_run):
    _, out = quick_run
    for entries in _results(out)["results"].values():
        for e in entries.values():
            if e["status"] == "n/a":
                assert e["reason"]


@pytest.mark.skipif(importlib.util.find_spec("matplotlib") is None, reason="matplotlib (bench extra) not installed")
def test_chart_written(quick_run):
    _, out = quick_run
    with open(os.path.join(out, "sqlite.png"), "rb") as f:
        assert f.read(8) == b"\x89PNG\r\n\x1a\n"
