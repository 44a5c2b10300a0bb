"""The query report: every statement of a block on one self-contained HTML page.

``with ormlette.report("report.html"):`` records each statement run on the context's connections (time,
rows, SQL with parameters, the user's stack) through ``connection.execute_wrapper``'s list, collects the
N+1 detector's groups over the same block, and writes the page: findings (N+1 groups with their fixes,
unused eager loads, duplicated and similar statements), a timeline chart, and a sortable, filterable
table with each statement's stack and, for the slowest SELECTs, its EXPLAIN plan.
"""
import os
from contextlib import contextmanager

from ormlette.reporting.analysis import duplicates, explain_slowest, similar
from ormlette.reporting.page import render
from ormlette.reporting.recorder import Recorder

__all__ = ["report", "Report"]


class Report:
    """What a ``report()`` block recorded; ``path`` is the page written at its end."""

    def __init__(self, path, title):
        self.path, self.title = path, title
        self.recorder = Recorder()
        self.groups = []
        self.unused = []

    @property
    def statements(self):
        """The recorded statements, in order."""
        return self.recorder.statements

    def html(self):
        """The page's HTML."""
        statements = self.statements
        return render(self.title, statements, duplicates(statements), similar(statements), self.groups, self.unused)

    def write(self):
        """Write the page to ``path`` (folders made as needed)."""
        folder = os.path.dirname(os.path.abspath(self.path))
        os.makedirs(folder, exist_ok=True)
        with open(self.path, "w", encoding="utf-8") as f:
            f.write(self.html())
        return self.path


@contextmanager
def report(path, title=None, using=None, explain=3, threshold=2):
    """Record the block's statements and write the report page to ``path`` at its end.

    ``using``: the aliases to record (default: every configured database); ``explain``: how many of the
    slowest SELECT statements get an EXPLAIN plan (0 for none). Yields the Report.
    """
    from ormlette import nplusone
    from ormlette.db import connections

    result = Report(path, title or "ormlette query report: %s" % os.path.basename(path))
    aliases = [using] if isinstance(using, str) else list(using or connections)
    for alias in aliases:
        result.recorder.attach(connections[alias])
    try:
        with nplusone.collect(threshold=threshold, unused=True) as detector:
            try:
                yield result
            finally:
                result.groups, result.unused = detector.groups(), detector.unused()
    finally:
        result.recorder.detach()
        if explain:
            explain_slowest(result.statements, explain, connections)
        result.write()
