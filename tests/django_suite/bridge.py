"""The import hook that gives Django's tests ormlette where they import the ORM.

``django.db...``, ``django.core.exceptions``, ``django.core.validators``,
``django.utils.timezone`` and ``django.contrib.contenttypes...`` resolve to the same-named
``ormlette`` modules (one module object under both names, so classes and exceptions are the
same objects). ``django.test`` is ormlette's test package completed by the runner's adapter
(``adapter.py``) until ormlette.test has every name. ``django.conf.settings`` is ormlette's
settings object. Everything else (``django.utils.*``, ``django.core.files``, ...) stays real Django.
A Django ORM module ormlette lacks fails to import, naming the ormlette module it looked for.
"""
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys

MAPPED_PREFIXES = (
    "django.db",
    "django.core.exceptions",
    "django.core.validators",
    "django.utils.timezone",
    "django.contrib.contenttypes",
)
TEST_MODULES = ("django.test", "django.test.utils", "django.test.testcases")


def ormlette_name(fullname):
    """The ormlette module a mapped Django module name stands for, or None."""
    for prefix in MAPPED_PREFIXES:
        if fullname == prefix or fullname.startswith(prefix + "."):
            return "ormlette" + fullname[len("django"):]
    return None


class _AliasLoader(importlib.abc.Loader):
    """Hands the import system an already imported module, keeping that module's own ``__spec__``."""

    def __init__(self, factory):
        self.factory = factory
        self.module_spec = None

    def create_module(self, spec):
        module = self.factory()
        self.module_spec = getattr(module, "__spec__", None)
        return module

    def exec_module(self, module):
        if self.module_spec is not None:
            module.__spec__ = self.module_spec


class OrmletteFinder(importlib.abc.MetaPathFinder):
    """Resolve the mapped ``django.*`` names to ormlette's modules."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname in TEST_MODULES:
            from tests.django_suite import adapter

            return importlib.machinery.ModuleSpec(
                fullname, _AliasLoader(lambda: adapter.test_module(fullname)), is_package=True)
        target_name = ormlette_name(fullname)
        if target_name is None:
            return None
        target_spec = importlib.util.find_spec(target_name)
        if target_spec is None:
            raise ModuleNotFoundError(
                "No module named %r (ormlette has no %r)" % (fullname, target_name), name=fullname)
        is_package = target_spec.submodule_search_locations is not None
        return importlib.machinery.ModuleSpec(
            fullname, _AliasLoader(lambda: importlib.import_module(target_name)), is_package=is_package)


def install(settings_options):
    """Put the finder first on sys.meta_path and make ``django.conf.settings`` ormlette's."""
    stale = [name for name in sys.modules if ormlette_name(name) or name in TEST_MODULES]
    if stale:
        raise RuntimeError("Django ORM modules were imported before the bridge: %s" % ", ".join(stale))
    sys.meta_path.insert(0, OrmletteFinder())
    import django.conf
    from django.conf import global_settings

    from ormlette.conf import settings

    settings.configure(default_settings=global_settings, **settings_options)
    django.conf.settings = settings
    return settings
