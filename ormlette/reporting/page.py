"""The report page: one self-contained HTML file (inline CSS, script and data; no network)."""
import html
import json

from ormlette.reporting.page_assets import SCRIPT, STYLE


def render(title, statements, duplicates, similar, groups, unused):
    """The page's HTML text."""
    data = {
        "title": title,
        "statements": [s.as_dict() for s in statements],
        "duplicates": [{"count": n, "sql": s.sql, "params": s.as_dict()["params"], "i": s.index}
                       for n, s in duplicates],
        "similar": [{"count": n, "shape": shape, "ids": [s.index for s in group],
                     "repeats": n - len({(s.sql, repr(s.params)) for s in group})} for n, shape, group in similar],
        "nplusone": [{"count": g.count, "site": "%s:%d" % (g.filename, g.lineno), "message": g.message(),
                      "fix": g.fix, "what": g.what} for g in groups],
        "unused": [u.message() for u in unused],
        "total_ms": round(sum(s.duration for s in statements) * 1000, 3),
    }
    payload = json.dumps(data, default=repr).replace("</", "<\\/")
    return _TEMPLATE % {"title": html.escape(title), "style": STYLE, "script": SCRIPT, "data": payload}


_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>%(title)s</title>
<style>%(style)s</style>
</head>
<body>
<header><h1>%(title)s</h1><div id="summary"></div></header>
<section id="findings"></section>
<section><h2>Timeline</h2><div id="chart-box"><svg id="timeline" role="img" aria-label="statement timeline"></svg></div></section>
<section>
<h2>Statements</h2>
<div class="controls">
<input id="filter" type="search" placeholder="filter SQL, call site, database...">
<label><input id="only-repeated" type="checkbox"> repeated shapes only</label>
<span id="shown"></span>
</div>
<table id="statements">
<thead><tr>
<th data-key="i" data-type="num">#</th><th data-key="start" data-type="num">start ms</th>
<th data-key="ms" data-type="num">time ms</th><th data-key="rows" data-type="num">rows</th>
<th data-key="db">db</th><th data-key="sql">SQL</th><th data-key="site">call site</th>
</tr></thead>
<tbody></tbody>
</table>
</section>
<script type="application/json" id="report-data">%(data)s</script>
<script>%(script)s</script>
</body>
</html>
"""
