"""The one place generated hot-path functions (row builders, bulk row values, model init) are compiled."""


def compile_function(source, namespace, name):
    """Run generated ``source`` in ``namespace`` and return its function ``name`` (with its source kept)."""
    namespace["__builtins__"] = __builtins__
    exec(compile(source, "<ormlette %s>" % name, "exec"), namespace)  # noqa: S102 - built from indexes and names only
    function = namespace[name]
    function.source = source  # for debugging: what this shape runs
    return function
