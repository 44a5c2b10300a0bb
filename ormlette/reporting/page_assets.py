"""The report page's inline style and script (kept apart from the template so each reads on its own)."""

STYLE = """
body{font:14px/1.4 system-ui,sans-serif;margin:0 24px 40px;color:#222}
h1{font-size:20px;margin:16px 0 4px}h2{font-size:16px;margin:20px 0 8px}
#summary{color:#555}
.finding{border-left:4px solid #d9534f;background:#fdf3f2;padding:6px 10px;margin:6px 0;font-family:monospace}
.finding.unused{border-color:#f0ad4e;background:#fdf8ef}.finding.similar{border-color:#5bc0de;background:#f1f9fc}
#chart-box{overflow-x:auto;border:1px solid #ddd}
#timeline rect{fill:#4a90d9}#timeline rect.repeated{fill:#d9534f}#timeline rect:hover{fill:#222}
#timeline text{font-size:10px;fill:#666}
.controls{margin:6px 0}.controls input[type=search]{width:320px;padding:4px}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #eee;padding:4px 6px;text-align:left;
vertical-align:top}
th{cursor:pointer;background:#f6f6f6;user-select:none}th.asc:after{content:" \\25B2"}th.desc:after{content:" \\25BC"}
td.sql{font-family:monospace;white-space:pre-wrap;max-width:700px}tr.repeated td.sql{color:#b52b27}
tr.detail td{background:#fafafa;font-family:monospace;white-space:pre-wrap;font-size:12px}
button.more{font-size:11px;margin-left:6px}
"""

SCRIPT = r"""
(function () {
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var rows = data.statements;
  var shapeCount = {};
  rows.forEach(function (s) { shapeCount[s.db + s.shape] = (shapeCount[s.db + s.shape] || 0) + 1; });
  rows.forEach(function (s) { s.repeated = shapeCount[s.db + s.shape] > 1; });
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }
  document.getElementById('summary').textContent = rows.length + ' statements, ' + data.total_ms.toFixed(3) +
    ' ms in the database; ' + data.nplusone.length + ' N+1 groups, ' + data.duplicates.length +
    ' statements repeated exactly, ' + data.similar.length + ' repeated shapes, ' + data.unused.length + ' unused eager loads';
  var findings = document.getElementById('findings');
  if (data.nplusone.length || data.unused.length || data.similar.length || data.duplicates.length)
    findings.appendChild(el('h2', {}, 'Findings'));
  data.nplusone.forEach(function (g) { findings.appendChild(el('div', {'class': 'finding nplusone'}, g.message)); });
  data.unused.forEach(function (m) { findings.appendChild(el('div', {'class': 'finding unused'}, m)); });
  data.similar.forEach(function (d) {
    var text = d.count + ' similar statements' + (d.repeats ? ' (' + d.repeats + ' exact repeats)' : '') +
      ' (#' + d.ids.slice(0, 8).join(', #') + (d.ids.length > 8 ? ', ...' : '') + '): ' + d.shape;
    findings.appendChild(el('div', {'class': 'finding similar'}, text));
  });

  // Timeline: one bar per statement at its start time, as wide as it took (at least 2 px).
  var svg = document.getElementById('timeline'), NS = 'http://www.w3.org/2000/svg';
  var end = 0;
  rows.forEach(function (s) { end = Math.max(end, s.start + s.ms); });
  var width = Math.max(800, Math.min(4000, rows.length * 6)), barH = 8, height = Math.min(rows.length, 60) * (barH + 2) + 24;
  svg.setAttribute('width', width); svg.setAttribute('height', height);
  var scale = end > 0 ? (width - 20) / end : 1;
  rows.forEach(function (s, n) {
    var r = document.createElementNS(NS, 'rect');
    r.setAttribute('x', 10 + s.start * scale);
    r.setAttribute('y', 4 + (n % 60) * (barH + 2));
    r.setAttribute('width', Math.max(2, s.ms * scale));
    r.setAttribute('height', barH);
    if (s.repeated) r.setAttribute('class', 'repeated');
    var t = document.createElementNS(NS, 'title');
    t.textContent = '#' + s.i + ' ' + s.ms.toFixed(3) + ' ms: ' + s.sql.slice(0, 200);
    r.appendChild(t);
    svg.appendChild(r);
  });
  var axis = document.createElementNS(NS, 'text');
  axis.setAttribute('x', 10); axis.setAttribute('y', height - 4);
  axis.textContent = '0 ms  \u2192  ' + end.toFixed(3) + ' ms';
  svg.appendChild(axis);

  // Table: sort by clicking a header, filter by text, show repeated shapes only.
  var tbody = document.querySelector('#statements tbody'), sortKey = 'i', sortDir = 1, sortNum = true;
  var filter = document.getElementById('filter'), only = document.getElementById('only-repeated');
  function detail(s) {
    var text = 'params: ' + JSON.stringify(s.params) + '\n';
    if (s.error) text += 'error: ' + s.error + '\n';
    text += 'stack (outermost first):\n' + s.stack.map(function (f) {
      return '  ' + f[0] + ':' + f[1] + ' in ' + f[2] + '\n      ' + f[3]; }).join('\n');
    if (s.explain) text += '\nEXPLAIN:\n' + s.explain;
    var tr = el('tr', {'class': 'detail'}), td = el('td', {colspan: 7}, text);
    tr.appendChild(td);
    return tr;
  }
  function draw() {
    var needle = filter.value.toLowerCase(), shown = 0;
    var list = rows.filter(function (s) {
      if (only.checked && !s.repeated) return false;
      return !needle || (s.sql + ' ' + s.site + ' ' + s.db).toLowerCase().indexOf(needle) >= 0;
    });
    list.sort(function (a, b) {
      var x = a[sortKey], y = b[sortKey];
      if (x === null || x === undefined) x = sortNum ? -1 : '';
      if (y === null || y === undefined) y = sortNum ? -1 : '';
      return (x < y ? -1 : x > y ? 1 : 0) * sortDir;
    });
    tbody.textContent = '';
    list.forEach(function (s) {
      var tr = el('tr', {'class': s.repeated ? 'repeated' : '', 'data-i': s.i});
      [s.i, s.start.toFixed(3), s.ms.toFixed(3), s.rows === null ? '' : s.rows, s.db].forEach(function (v) {
        tr.appendChild(el('td', {}, String(v))); });
      var sql = el('td', {'class': 'sql'}, s.sql);
      var more = el('button', {'class': 'more'}, s.explain ? 'stack + EXPLAIN' : 'stack');
      var open = null;
      more.onclick = function () {
        if (open) { open.remove(); open = null; } else { open = detail(s); tr.after(open); }
      };
      sql.appendChild(more);
      tr.appendChild(sql);
      tr.appendChild(el('td', {}, s.site));
      tbody.appendChild(tr);
      shown++;
    });
    document.getElementById('shown').textContent = shown + ' of ' + rows.length + ' shown';
  }
  document.querySelectorAll('#statements th').forEach(function (th) {
    th.onclick = function () {
      var key = th.getAttribute('data-key');
      sortDir = key === sortKey ? -sortDir : 1; sortKey = key; sortNum = th.getAttribute('data-type') === 'num';
      document.querySelectorAll('#statements th').forEach(function (h) { h.className = ''; });
      th.className = sortDir > 0 ? 'asc' : 'desc';
      draw();
    };
  });
  filter.oninput = draw; only.onchange = draw;
  // A view can be linked: #sort=-ms&filter=customer&repeated=1 (a leading "-" sorts descending).
  location.hash.replace(/^#/, '').split('&').forEach(function (part) {
    var kv = part.split('='), value = decodeURIComponent(kv[1] || '');
    if (kv[0] === 'sort' && value) {
      sortDir = value[0] === '-' ? -1 : 1; sortKey = value.replace(/^-/, '');
      var th = document.querySelector('#statements th[data-key="' + sortKey + '"]');
      sortNum = th ? th.getAttribute('data-type') === 'num' : false;
      if (th) th.className = sortDir > 0 ? 'asc' : 'desc';
    }
    if (kv[0] === 'filter') filter.value = value;
    if (kv[0] === 'repeated') only.checked = value === '1';
  });
  draw();
  document.body.setAttribute('data-rendered', 'yes');
})();
"""
