"""WSGI and ASGI middleware writing one query report page per request into a folder."""
import itertools
import os
import re
import time

from ormlette.reporting import report

_counter = itertools.count(1)
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def _page_path(directory, method, path):
    name = "%s-%04d-%s-%s.html" % (time.strftime("%Y%m%d-%H%M%S"), next(_counter), method,
                                   _UNSAFE.sub("_", path.strip("/")) or "root")
    return os.path.join(directory, name[:200])


class WSGIReportMiddleware:
    """``app = WSGIReportMiddleware(app, "reports/")``: a page per request (the response is buffered)."""

    def __init__(self, app, directory):
        self.app, self.directory = app, directory

    def __call__(self, environ, start_response):
        path = _page_path(self.directory, environ.get("REQUEST_METHOD", "GET"), environ.get("PATH_INFO", "/"))
        title = "%s %s" % (environ.get("REQUEST_METHOD", "GET"), environ.get("PATH_INFO", "/"))
        with report(path, title=title):
            result = self.app(environ, start_response)
            try:
                body = list(result)  # the response's queries run while it is produced
            finally:
                close = getattr(result, "close", None)
                if close is not None:
                    close()
        return body


class ASGIReportMiddleware:
    """``app = ASGIReportMiddleware(app, "reports/")``: a page per HTTP request."""

    def __init__(self, app, directory):
        self.app, self.directory = app, directory

    async def __call__(self, scope, receive, send):
        if scope.get("type") != "http":
            return await self.app(scope, receive, send)
        method, path = scope.get("method", "GET"), scope.get("path", "/")
        with report(_page_path(self.directory, method, path), title="%s %s" % (method, path)):
            return await self.app(scope, receive, send)
