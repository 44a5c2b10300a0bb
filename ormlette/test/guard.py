"""Who may open database connections during tests (SimpleTestCase, ``databases``, the pytest blocker)."""
from ormlette.db.backends.base.base import BaseDatabaseWrapper


class DatabaseOperationForbidden(AssertionError):
    """A test touched a database it did not declare (Django's exception of the same name)."""


class _Rule:
    def __init__(self, allowed, message, error=DatabaseOperationForbidden):
        self.allowed = allowed  # a set of aliases, or None for every alias
        self.message = message  # message(alias) -> str
        self.error = error

    def check(self, wrapper):
        if self.allowed is not None and wrapper.alias not in self.allowed:
            raise self.error(self.message(wrapper.alias))


_rules = []


def _guard(wrapper):
    if _rules:
        _rules[-1].check(wrapper)


def push_rule(allowed, message, error=DatabaseOperationForbidden):
    """Allow only ``allowed`` aliases (None: all) until the matching :func:`pop_rule`; return the rule."""
    rule = _Rule(None if allowed is None else frozenset(allowed), message, error)
    _rules.append(rule)
    BaseDatabaseWrapper.access_guard = _guard
    if rule.allowed is not None:
        _close_idle(rule.allowed)
    return rule


def pop_rule(rule):
    """Remove ``rule`` (and any pushed after it and left behind)."""
    if rule in _rules:
        del _rules[_rules.index(rule):]
    if not _rules:
        BaseDatabaseWrapper.access_guard = None


def _close_idle(allowed):
    """Close this context's open connections to refused aliases, so the next use must ask the guard."""
    from ormlette.db import connections

    for wrapper in connections.all(initialized_only=True):
        if wrapper.alias not in allowed and not wrapper.in_atomic_block:
            wrapper.close()
