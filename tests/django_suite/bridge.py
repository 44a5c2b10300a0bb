"""The import hook that gives Django's tests ormlette where they import the ORM.

``django.db...``, ``django.core.exceptions``, ``django.core.validators`` and
``django.contrib.contenttypes...`` resolve to the same-named ``ormlette`` modules (one module
object under both names, so classes and exceptions are the same objects); ``django.utils.timezone``
and ``django.utils.functional`` to ormlette's completed with Django's non-ORM names (COMPLETED).
``django.test`` is ormlette.test plus the few helpers of ``adapter.py``. ``django.conf.settings`` is
ormlette's settings object (Django's global defaults underneath). Everything else
(``django.utils.*``, ``django.core.files``, ``django.contrib.auth``, ...) stays real Django.
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
    "django.utils.functional",
    "django.contrib.contenttypes",
)
TEST_MODULES = ("django.test", "django.test.utils", "django.test.testcases")
# Mapped modules that also serve non-ORM Django code: the names ormlette's module lacks (template
# helpers such as timezone.template_localtime, functional.SimpleLazyObject) come from a private copy
# of Django's module; lazy() and Promise are ormlette's, so Django's lazy translations are ormlette's
# kind of lazy object (labels of choices).
COMPLETED = ("django.utils.timezone", "django.utils.functional")


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
        if fullname in COMPLETED:
            return importlib.machinery.ModuleSpec(
                fullname, _AliasLoader(lambda: _completed(fullname, target_name)), is_package=False)
        target_spec = importlib.util.find_spec(target_name)
        if target_spec is None:
            raise ModuleNotFoundError(
                "No module named %r (ormlette has no %r)" % (fullname, target_name), name=fullname)
        is_package = target_spec.submodule_search_locations is not None
        return importlib.machinery.ModuleSpec(
            fullname, _AliasLoader(lambda: importlib.import_module(target_name)), is_package=is_package)


def _completed(fullname, target_name):
    """ormlette's module under Django's name, with Django's own module's other names added."""
    import types

    ours = importlib.import_module(target_name)
    django_file = importlib.util.find_spec("django").submodule_search_locations[0]
    path = django_file + "/" + "/".join(fullname.split(".")[1:]) + ".py"
    spec = importlib.util.spec_from_file_location("_real_" + fullname.replace(".", "_"), path)
    real = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(real)
    module = types.ModuleType(fullname, ours.__doc__)
    module.__dict__.update({k: v for k, v in vars(real).items() if not k.startswith("__")})
    module.__dict__.update({k: v for k, v in vars(ours).items() if not k.startswith("__")})
    module.__spec__ = None
    return module


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
    # Django's own registry stays empty (the models are ormlette's); populated, it lets Django's
    # translation machinery start, as it does after django.setup().
    from django.apps import apps

    apps.populate([])
    return settings
