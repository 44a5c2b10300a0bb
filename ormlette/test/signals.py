"""``setting_changed`` (sent by override_settings) and the receivers that drop what depends on settings."""
import warnings

from ormlette.db.models.signals import Signal

setting_changed = Signal()


def _databases_changed(*, setting, **kwargs):
    if setting != "DATABASES":
        return
    from ormlette.db import connections

    warnings.warn("Overriding setting DATABASES can lead to unexpected behavior.", stacklevel=6)
    connections.close_all()
    connections.reset()


def _time_zone_changed(*, setting, **kwargs):
    if setting not in ("TIME_ZONE", "USE_TZ"):
        return
    from ormlette.db import connections

    for wrapper in connections.all(initialized_only=True):
        wrapper.ensure_timezone()


setting_changed.connect(_databases_changed, weak=False, dispatch_uid="ormlette.databases")
setting_changed.connect(_time_zone_changed, weak=False, dispatch_uid="ormlette.time_zone")
