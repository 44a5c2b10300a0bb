"""The pytest plugin's database blocker (pytest-django's ``django_db_blocker`` after the rename)."""
MESSAGE = ('Database access not allowed, use the "ormlette_db" mark, or the "db" or "transactional_db" '
           'fixtures to enable it.')


class _Restore:
    """What block()/unblock() return: usable as a context manager that restores the previous state."""

    def __init__(self, blocker):
        self._blocker = blocker

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self._blocker.restore()


class DatabaseBlocker:
    """Block or unblock database access for the whole process; each call is undone by restore()."""

    def __init__(self):
        self._history = []

    @property
    def is_active(self):
        """Whether access is blocked now."""
        return bool(self._history) and self._history[-1].allowed is not None

    def block(self):
        """Refuse every connection until restore()."""
        from ormlette.test import guard

        self._history.append(guard.push_rule(set(), lambda alias: MESSAGE, RuntimeError))
        return _Restore(self)

    def unblock(self):
        """Allow every connection until restore()."""
        from ormlette.test import guard

        self._history.append(guard.push_rule(None, lambda alias: MESSAGE, RuntimeError))
        return _Restore(self)

    def restore(self):
        """Undo the last block() or unblock()."""
        from ormlette.test import guard

        guard.pop_rule(self._history.pop())


blocker = DatabaseBlocker()
