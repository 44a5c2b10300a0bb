"""Create the tables of every declared model on each test database (ormlette's side)."""
from ormlette.db import connections
from ormlette.db.models import registry

created_errors = {}


def _concrete(models):
    out = []
    for model in models:
        opts = model._meta
        if opts.abstract or opts.proxy or not getattr(opts, "managed", True):
            continue
        if getattr(opts, "auto_created", False):
            continue  # many-to-many tables come with their model
        out.append(model)
    return out


def create_all():
    """CREATE TABLE for each model, retrying the ones that failed while any new one succeeds."""
    for alias in connections:
        pending = _concrete(registry.all_models())
        while pending:
            failed = []
            for model in pending:
                try:
                    with connections[alias].schema_editor() as editor:
                        editor.create_model(model)
                except Exception as exc:
                    failed.append(model)
                    created_errors[model._meta.label] = "%s: %s" % (type(exc).__name__, exc)
                else:
                    created_errors.pop(model._meta.label, None)
            if len(failed) == len(pending):
                break
            pending = failed
    return created_errors
