"""select_for_update(): Django's checks, run on every execution (cache hits included)."""
from ormlette.db.errors import NotSupportedError
from ormlette.db.transaction_errors import TransactionManagementError


def check_select_for_update(query, connection):
    """Raise Django's errors for FOR UPDATE in autocommit mode or with unsupported options."""
    features = connection.features
    if not features.has_select_for_update:
        return  # a no-op where the database has no row locks (SQLite)
    if features.supports_transactions and connection.get_autocommit():
        raise TransactionManagementError("select_for_update cannot be used outside of a transaction.")
    if query.is_sliced and not features.supports_select_for_update_with_limit:
        raise NotSupportedError("LIMIT/OFFSET is not supported with select_for_update on this database backend.")
    if query.select_for_update_nowait and not features.has_select_for_update_nowait:
        raise NotSupportedError("NOWAIT is not supported on this database backend.")
    if query.select_for_update_skip_locked and not features.has_select_for_update_skip_locked:
        raise NotSupportedError("SKIP LOCKED is not supported on this database backend.")
    if query.select_for_update_of and not features.has_select_for_update_of:
        raise NotSupportedError("FOR UPDATE OF is not supported on this database backend.")
    if query.select_for_no_key_update and not features.has_select_for_no_key_update:
        raise NotSupportedError("FOR NO KEY UPDATE is not supported on this database backend.")
