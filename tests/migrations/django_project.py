"""A throwaway Django project on disk (one app), driven through ``manage.py``-style commands in a subprocess.

Django runs in its own process so its app registry can be rebuilt for every models.py the
tests write, and so the suite's in-process Django configuration is left alone. It uses the
suite's reference database (``tests.backends.REFERENCE_DB``).
"""
import json
import os
import pathlib
import subprocess
import sys
import textwrap

from tests import backends

_RUNNER = textwrap.dedent("""
    import json, os, sys
    os.environ["DJANGO_SETTINGS_MODULE"] = "ref_settings"
    import django
    django.setup()
    from django.core.management import call_command
    from django.db.migrations import questioner
    # Renames are answered yes (as a developer at the prompt would); everything else takes the default.
    questioner.NonInteractiveMigrationQuestioner.ask_rename = lambda self, *args: True
    questioner.NonInteractiveMigrationQuestioner.ask_rename_model = lambda self, *args: True
    for args, options in json.loads(sys.argv[1]):
        call_command(*args, **options)
""")


class DjangoProject:
    """A folder with ``ref_settings.py`` and one app package (models.py, migrations/)."""

    def __init__(self, root, app_label, migrations=True):
        self.root = pathlib.Path(root)
        self.app_label = app_label
        self.app_dir = self.root / app_label
        self.app_dir.mkdir(parents=True, exist_ok=True)
        (self.app_dir / "__init__.py").write_text("")
        if migrations:
            (self.app_dir / "migrations").mkdir(exist_ok=True)
            (self.app_dir / "migrations" / "__init__.py").write_text("")
        settings = backends.django_settings(INSTALLED_APPS=[app_label], USE_I18N=False)
        (self.root / "ref_settings.py").write_text(
            "import json\nglobals().update(json.loads(%r))\nSECRET_KEY = 'x'\n" % json.dumps(settings))

    def write_models(self, source):
        """Replace the app's models.py."""
        (self.app_dir / "models.py").write_text(textwrap.dedent(source))
        for cached in (self.app_dir / "__pycache__").glob("models*"):
            cached.unlink()

    def call(self, *commands):
        """Run ``call_command(*args, **options)`` for each (args, options); return stdout (raise on failure)."""
        env = dict(os.environ, PYTHONPATH=str(self.root), PYTHONDONTWRITEBYTECODE="1")
        result = subprocess.run([sys.executable, "-c", _RUNNER, json.dumps([list(c) for c in commands])],
                                cwd=self.root, env=env, capture_output=True, text=True, timeout=120)
        if result.returncode:
            raise AssertionError("Django failed (%s):\n%s\n%s" % (commands, result.stdout, result.stderr))
        return result.stdout

    def migration_files(self):
        """The migration module names, in name order."""
        return sorted(p.stem for p in (self.app_dir / "migrations").glob("0*.py"))
