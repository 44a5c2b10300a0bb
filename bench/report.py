"""Markdown tables and PNG charts from the workers' JSON results."""
import os
import statistics

LABELS = {"raw": "raw", "raw_obj": "raw+obj", "raw_copy": "raw COPY", "ormlette": "ormlette",
          "django": "Django", "sqlalchemy": "SQLAlchemy ORM", "peewee": "Peewee"}
BACKEND_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL", "mysql": "MariaDB/MySQL"}


def p95(times):
    """Nearest-rank 95th percentile."""
    ordered = sorted(times)
    return ordered[max(0, -(-95 * len(ordered) // 100) - 1)]


def summarize(data):
    """{workload id: {contender: stats}} with medians, p95 and ratios (None where not measured)."""
    out = {}
    for w in data["workloads"]:
        entries = data["results"].get(w["id"], {})
        stats = {}
        for name, e in entries.items():
            if e["status"] == "ok" and e.get("times"):
                stats[name] = {"median": statistics.median(e["times"]), "p95": p95(e["times"]),
                               "peak_kib": e.get("peak_kib")}
            else:
                stats[name] = {"median": None, "status": e["status"], "reason": e.get("reason", "")}
        ref = reference(w, stats)
        for name, s in stats.items():
            if s["median"] is None:
                continue
            s["x_raw"] = s["median"] / stats[ref]["median"] if ref else None
            dj = stats.get("django", {}).get("median")
            s["x_django"] = s["median"] / dj if dj else None
        out[w["id"]] = {"workload": w, "ref": ref, "stats": stats}
    return out


def reference(workload, stats):
    """The raw contender a workload's ratio is taken against (COPY for bulk loads where it ran)."""
    candidates = [workload["ref"], "raw", "raw_obj"]
    if workload["id"] == "W8":
        candidates.insert(0, "raw_copy")
    return next((c for c in candidates if stats.get(c, {}).get("median")), None)


def fmt_time(seconds, ops):
    """Median per run (ms) or per operation (us) when a run is many operations."""
    if seconds is None:
        return "-"
    if ops > 1:
        return "%.1f us" % (seconds / ops * 1e6)
    return "%.1f ms" % (seconds * 1e3)


def fmt_ratio(value):
    return "-" if value is None else "%.2fx" % value


def markdown(data):
    """The Markdown report of one backend."""
    summary = summarize(data)
    contenders = [c for c in LABELS if any(summary[w]["stats"].get(c, {}).get("median") for w in summary)]
    lines = ["## %s" % BACKEND_NAMES[data["backend"]], "",
             "Run %s, %s mode, Python %s on %s. Versions: %s." % (
                 data["started"], "quick (tiny sizes)" if data["quick"] else "full", data["python"],
                 data["machine"], ", ".join("%s %s" % kv for kv in data["versions"].items() if kv[1])),
             "Median per run, or per operation (us) where a run is many calls. "
             "`ormlette / ref` is ormlette's median over the raw reference of the workload "
             "(raw+obj where objects or converted values are built, raw COPY for W8 on PostgreSQL).", ""]
    head = ["workload"] + [LABELS[c] for c in contenders] + ["ref", "ormlette / ref", "ormlette / Django"]
    lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for wid, item in summary.items():
        w, stats = item["workload"], item["stats"]
        row = ["%s %s" % (wid, w["title"])]
        for c in contenders:
            s = stats.get(c, {})
            row.append(fmt_time(s.get("median"), w["ops"]) if s.get("median") else _na(s))
        orm = stats.get("ormlette", {})
        row += [LABELS.get(item["ref"], "-"), fmt_ratio(orm.get("x_raw")), fmt_ratio(orm.get("x_django"))]
        lines.append("| " + " | ".join(row) + " |")
    lines += ["", "### Detail", "", "| workload | contender | median | p95 | x ref | x Django | runs |",
              "|---|---|---|---|---|---|---|"]
    for wid, item in summary.items():
        w = item["workload"]
        for c in contenders:
            s = item["stats"].get(c)
            if not s or s.get("median") is None:
                continue
            runs = len(data["results"][wid][c]["times"])
            lines.append("| %s | %s | %s | %s | %s | %s | %d |" % (
                wid, LABELS[c], fmt_time(s["median"], w["ops"]), fmt_time(s["p95"], w["ops"]),
                fmt_ratio(s.get("x_raw")), fmt_ratio(s.get("x_django")), runs))
    peaks = [(c, s["peak_kib"]) for c, s in summary.get("W12", {}).get("stats", {}).items() if s.get("peak_kib")]
    if peaks:
        lines += ["", "W12 peak traced Python memory (tracemalloc, one extra run; driver C buffers not counted): "
                  + ", ".join("%s %.1f MiB" % (LABELS[c], kib / 1024) for c, kib in peaks) + "."]
    reasons = []
    for wid, item in summary.items():
        for c, s in item["stats"].items():
            if s.get("median") is None and c != "raw_copy":
                reasons.append("- %s %s: %s (%s)" % (wid, LABELS[c], s.get("status"), s.get("reason")))
    if reasons:
        lines += ["", "Not measured:", ""] + reasons
    return "\n".join(lines) + "\n"


def _na(s):
    return "n/a" if s.get("status") in (None, "n/a") else "**%s**" % s["status"]


def chart(data, path):
    """A PNG: each contender's median relative to Django per workload (log scale)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    summary = summarize(data)
    contenders = [c for c in LABELS if c != "raw_copy"
                  and any(summary[w]["stats"].get(c, {}).get("x_django") for w in summary)]
    workloads = [w for w in summary if any(summary[w]["stats"].get(c, {}).get("x_django") for c in contenders)]
    fig, ax = plt.subplots(figsize=(12, 0.5 * max(4, len(workloads)) + 1.5))
    height = 0.8 / max(1, len(contenders))
    for i, c in enumerate(contenders):
        ys = [n + i * height for n in range(len(workloads))]
        xs = [summary[w]["stats"].get(c, {}).get("x_django") or 0 for w in workloads]
        ax.barh(ys, xs, height=height, label=LABELS[c])
    ax.set_yticks([n + 0.4 - height / 2 for n in range(len(workloads))])
    ax.set_yticklabels(["%s %s" % (w, summary[w]["workload"]["title"][:34]) for w in workloads], fontsize=8)
    ax.invert_yaxis()
    ax.set_xscale("log")
    ax.axvline(1.0, color="black", linewidth=0.8)
    ax.set_xlabel("median time relative to Django 5.2 (log scale, lower is faster)")
    ax.set_title("ormlette benchmark, %s%s" % (BACKEND_NAMES[data["backend"]], " (quick mode)" if data["quick"] else ""))
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write(results, out_dir):
    """Write results.md (every backend) and <backend>.png; returns the paths written."""
    os.makedirs(out_dir, exist_ok=True)
    paths = []
    md = ["# ormlette benchmark results", "",
          "Generated by `./run bench`. Timings from one process per backend with interleaved rounds; the "
          "machine is shared and noisy, so read ratios, not absolute numbers.", ""]
    for data in results:
        md.append(markdown(data))
        png = os.path.join(out_dir, "%s.png" % data["backend"])
        try:
            chart(data, png)
            paths.append(png)
        except ImportError as exc:  # matplotlib missing: the table still gets written
            md.append("(no chart: %s)\n" % exc)
    path = os.path.join(out_dir, "results.md")
    with open(path, "w") as f:
        f.write("\n".join(md))
    return [path] + paths
