"""migrate sends pre_migrate and post_migrate (with the plan and the historical apps) and prints a timed line per migration."""
import argparse
import io
import re
import sys
import textwrap

from ormlette.conf.project import Project
from ormlette.cli.migrate_commands import migrate
from ormlette.db.models import signals
from tests import backends
from tests.migrations.helpers import drop_tables

INITIAL = '''
from ormlette.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    operations = [
        migrations.CreateModel(name="Thing", fields=[
            ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
        ]),
    ]
'''


def test_signals_and_output(tmp_path):
    package = tmp_path / "migr_sig"
    (package / "migrations").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "models.py").write_text("")
    (package / "migrations" / "__init__.py").write_text("")
    (package / "migrations" / "0001_initial.py").write_text(textwrap.dedent(INITIAL))
    sys.path.insert(0, str(tmp_path))
    seen = []

    def receiver(signal_name):
        def receive(sender, **kwargs):
            seen.append((signal_name, sender, [str(m) for m, _ in kwargs["plan"]],
                         sorted(m._meta.label for m in kwargs["apps"].get_models())))
        return receive

    pre, post = receiver("pre"), receiver("post")
    signals.pre_migrate.connect(pre)
    signals.post_migrate.connect(post)
    try:
        out = io.StringIO()
        args = argparse.Namespace(alias="default", app_label=None, migration_name=None, check=False, plan=False,
                                  fake=False, fake_initial=False)
        assert migrate(Project("test", models=["migr_sig.models"]), args, out) == 0
        assert re.search(r"^  Applying migr_sig\.0001_initial\.\.\. OK \(\d+\.\d{3}s\)$", out.getvalue(), re.M)
        assert seen == [("pre", "migr_sig", ["migr_sig.0001_initial"], []),
                        ("post", "migr_sig", ["migr_sig.0001_initial"], ["migr_sig.Thing"])]
    finally:
        signals.pre_migrate.disconnect(pre)
        signals.post_migrate.disconnect(post)
        sys.path.remove(str(tmp_path))
        for name in [n for n in sys.modules if n.startswith("migr_sig")]:
            del sys.modules[name]
        drop_tables(backends.TEST_DB, "migr_sig_")
        drop_tables(backends.TEST_DB, "ormlette_migrations")
