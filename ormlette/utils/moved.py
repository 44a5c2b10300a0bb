"""Module paths that moved in the package layout: the old dotted path imports the new module itself.

An alias is the very module object (not a copy re-exporting its names), so ``mock.patch`` and
``monkeypatch`` through an old path patch what the code runs. Kept for one release.
"""
import importlib
import importlib.abc
import importlib.util
import sys

_M = "ormlette.db.models"
MOVED = {
    # Django's paths, now modules of the packages by job.
    f"{_M}.aggregates": f"{_M}.expressions.aggregates",
    f"{_M}.deletion": f"{_M}.query.deletion",
    f"{_M}.fields.related_lookups": f"{_M}.lookups.related",
    # ormlette's former flat modules.
    f"{_M}.query_reads": f"{_M}.query.reads",
    f"{_M}.query_shape": f"{_M}.query.shape",
    f"{_M}.query_writes": f"{_M}.query.writes",
    f"{_M}.iterables": f"{_M}.query.iterables",
    f"{_M}.prefetch": f"{_M}.query.prefetch",
    f"{_M}.prefetch_forward": f"{_M}.query.prefetch_forward",
    f"{_M}.raw": f"{_M}.query.raw",
    f"{_M}.bulk": f"{_M}.query.bulk",
    f"{_M}.expressions_leaves": f"{_M}.expressions.leaves",
    f"{_M}.expressions_compound": f"{_M}.expressions.compound",
    f"{_M}.func": f"{_M}.expressions.func",
    f"{_M}.conditions": f"{_M}.expressions.conditions",
    f"{_M}.subquery": f"{_M}.expressions.subquery",
    f"{_M}.windows": f"{_M}.expressions.windows",
    f"{_M}.lookups_in": f"{_M}.lookups.in_range",
    f"{_M}.lookups_integer": f"{_M}.lookups.integer",
    f"{_M}.lookups_text": f"{_M}.lookups.text",
    f"{_M}.lookups_year": f"{_M}.lookups.year",
    f"{_M}.recipes": f"{_M}.fast.recipes",
    f"{_M}.recipe_aggregates": f"{_M}.fast.recipe_aggregates",
    f"{_M}.recipe_signatures": f"{_M}.fast.recipe_signatures",
    f"{_M}.lookup_twins": f"{_M}.fast.lookup_twins",
    f"{_M}.fastpath": f"{_M}.fast.get_shortcut",
    f"{_M}.row_builders": f"{_M}.fast.row_builders",
    f"{_M}.init_fields": f"{_M}.fast.init_fields",
    f"{_M}.bulk_values": f"{_M}.fast.bulk_values",
    f"{_M}.fields.unchanged": f"{_M}.fast.unchanged",
    "ormlette.utils.gc_pause": f"{_M}.fast.gc_pause",
    f"{_M}.asyncio": "ormlette.db.async_bridge",  # the async bridge sits with the connections
}


class _AliasLoader(importlib.abc.Loader):
    """Loads an old path as the module at its new path."""

    def create_module(self, spec):
        module = importlib.import_module(MOVED[spec.name])
        spec.loader_state = module.__spec__  # the import system overwrites __spec__; exec_module restores it
        return module

    def exec_module(self, module):
        module.__spec__ = module.__spec__.loader_state


class MovedModuleFinder(importlib.abc.MetaPathFinder):
    """Finds the old dotted paths listed in ``MOVED``."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname not in MOVED:
            return None
        return importlib.util.spec_from_loader(fullname, _LOADER)


_LOADER = _AliasLoader()


def install():
    """Put the finder on ``sys.meta_path`` once."""
    if not any(isinstance(finder, MovedModuleFinder) for finder in sys.meta_path):
        sys.meta_path.append(MovedModuleFinder())
