"""The import graph runs downward, and vendor decisions stay in the backends (read from the source, by AST).

Layers, top to bottom: declaration (models, fields, managers) -> query API (``db/models/query/``;
``db/models/fast/`` beside it) -> expressions/lookups/functions -> query state and compile
(``db/models/sql/``) -> execute (``db/backends/``, ``db/utils.py``, ``db/transaction.py``) ->
foundation (``utils/``, ``core/``, ``conf/``). Imports under ``if TYPE_CHECKING:`` do not count;
imports inside functions do.
"""
import ast
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "ormlette"
MODELS = "ormlette.db.models"

# Inversions another issue removes; each entry must still be needed (see test_known_exceptions_are_current).
KNOWN_EXCEPTIONS = set()


def _module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(node):
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def _imports(tree):
    """Dotted names a module imports (``from a import b`` gives ``a.b``), outside TYPE_CHECKING blocks."""
    found = []
    stack = [tree]
    while stack:
        node = stack.pop()
        for child in ast.iter_child_nodes(node):
            if _is_type_checking(child):
                continue
            if isinstance(child, ast.Import):
                found.extend(alias.name for alias in child.names)
            elif isinstance(child, ast.ImportFrom) and child.level == 0 and child.module:
                found.append(child.module)
                found.extend("%s.%s" % (child.module, alias.name) for alias in child.names)
            stack.append(child)
    return found


def _sources():
    return {_module_name(path): ast.parse(path.read_text(), str(path)) for path in sorted(PACKAGE.rglob("*.py"))}


SOURCES = _sources()
IMPORTS = {name: _imports(tree) for name, tree in SOURCES.items()}


def _within(name, package):
    return name == package or name.startswith(package + ".")


def _query_api(name):
    return _within(name, MODELS + ".query") or _within(name, MODELS + ".manager")


RULES = [
    ("sql/ imports the query API", lambda a: _within(a, MODELS + ".sql"), _query_api),
    ("sql/ imports fast/", lambda a: _within(a, MODELS + ".sql"), lambda b: _within(b, MODELS + ".fast")),
    ("db/backends/ imports db/models/sql/ or constraints", lambda a: _within(a, "ormlette.db.backends"),
     lambda b: _within(b, MODELS + ".sql") or _within(b, MODELS + ".constraints")),
    ("db/transaction.py imports db/models/", lambda a: a == "ormlette.db.transaction", lambda b: _within(b, MODELS)),
    ("foundation imports db/", lambda a: a.startswith(("ormlette.utils", "ormlette.core")),
     lambda b: _within(b, "ormlette.db")),
]


def _violations(is_importer, is_imported):
    return sorted({(a, b) for a, names in IMPORTS.items() if is_importer(a) for b in names if is_imported(b)})


def _unexpected(is_importer, is_imported):
    return [v for v in _violations(is_importer, is_imported) if v not in KNOWN_EXCEPTIONS
            and (v[0], v[1].rpartition(".")[0]) not in KNOWN_EXCEPTIONS]


def test_the_check_sees_the_code():
    assert len(SOURCES) > 100 and any(_within(b, MODELS + ".sql") for b in IMPORTS[MODELS + ".query.queryset"])


@pytest.mark.parametrize("description, is_importer, is_imported", RULES, ids=[rule[0] for rule in RULES])
def test_imports_run_downward(description, is_importer, is_imported):
    assert _unexpected(is_importer, is_imported) == [], description


def test_known_exceptions_are_current():
    every = set()
    for _, is_importer, is_imported in RULES:
        for a, b in _violations(is_importer, is_imported):
            every.update({(a, b), (a, b.rpartition(".")[0])})
    assert sorted(KNOWN_EXCEPTIONS - every) == [], "remove exceptions that no longer occur"


def _vendor_tests(tree):
    """Line numbers of comparisons of a ``vendor`` name or attribute with string constants."""
    def is_vendor(node):
        return (isinstance(node, ast.Attribute) and node.attr == "vendor") or \
            (isinstance(node, ast.Name) and node.id == "vendor")

    def is_strings(node):
        if isinstance(node, ast.Constant):
            return isinstance(node.value, str)
        return isinstance(node, (ast.Tuple, ast.List, ast.Set)) and any(is_strings(e) for e in node.elts)

    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            if any(is_vendor(o) for o in operands) and any(is_strings(o) for o in operands):
                lines.append(node.lineno)
    return lines


def test_vendor_names_are_tested_only_in_backends():
    found = {name: _vendor_tests(tree) for name, tree in SOURCES.items() if not _within(name, "ormlette.db.backends")}
    assert {name: lines for name, lines in found.items() if lines} == {}


def test_the_vendor_check_catches_a_comparison():
    assert _vendor_tests(ast.parse("if connection.vendor == 'mysql': pass\nx = vendor in ('sqlite',)")) == [1, 2]
