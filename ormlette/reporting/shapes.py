"""Statement shapes: the SQL with its literals replaced, so similar queries group together."""
import re

_STRING = re.compile(r"'(?:[^']|'')*'")
_NUMBER = re.compile(r"(?<![\w.\"`])-?\d+(?:\.\d+)?(?![\w\"`])")
_IN_LIST = re.compile(r"\(\s*\?(?:\s*,\s*\?)+\s*\)")
_PLACEHOLDER = re.compile(r"%s|\?|%\(\w+\)s|\$\d+")
_SPACE = re.compile(r"\s+")


def sql_shape(sql):
    """``sql`` with strings, numbers and placeholders as ``?`` and IN lists as ``(...)``."""
    shape = _STRING.sub("?", sql)
    shape = _PLACEHOLDER.sub("?", shape)
    shape = _NUMBER.sub("?", shape)
    shape = _IN_LIST.sub("(...)", shape)
    return _SPACE.sub(" ", shape).strip()
