"""Regular expressions compiled on first use (import time is spent only on the patterns a program uses)."""
import re


class LazyRegex:
    """A ``re.compile(pattern, flags)`` made when a method or attribute is first needed."""

    __slots__ = ("pattern", "_flags", "_compiled")

    def __init__(self, pattern, flags=0):
        self.pattern = pattern
        self._flags = flags
        self._compiled = None

    def compiled(self):
        """The compiled pattern (compiled once)."""
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = re.compile(self.pattern, self._flags)
        return compiled

    @property
    def flags(self):
        """The compiled pattern's flags (re adds UNICODE for str patterns)."""
        return self.compiled().flags

    def __getattr__(self, name):
        return getattr(self.compiled(), name)

    def __eq__(self, other):
        if isinstance(other, LazyRegex):
            other = other.compiled()
        return self.compiled() == other

    def __hash__(self):
        return hash(self.compiled())

    def __reduce__(self):
        return (LazyRegex, (self.pattern, self._flags))

    def __repr__(self):
        return repr(self.compiled())


def lazy_compile(pattern, flags=0):
    """A LazyRegex for a pattern string; a compiled pattern is returned as it is."""
    if isinstance(pattern, (str, bytes)):
        return LazyRegex(pattern, flags)
    return pattern
