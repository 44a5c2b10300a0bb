"""PEP 249 exception classes shared by every backend, and the driver-error translation."""


class Error(Exception):
    """Base class of all database errors."""


class InterfaceError(Error):
    """Error in the database interface rather than the database."""


class DatabaseError(Error):
    """Error related to the database."""


class DataError(DatabaseError):
    """Problem with the processed data."""


class OperationalError(DatabaseError):
    """Error in the database's operation."""


class IntegrityError(DatabaseError):
    """A constraint was violated."""


class InternalError(DatabaseError):
    """The database hit an internal error."""


class ProgrammingError(DatabaseError):
    """Bad SQL or wrong use of the API."""


class NotSupportedError(DatabaseError):
    """The database does not support the requested operation."""


_BY_NAME = {
    cls.__name__: cls
    for cls in (DataError, OperationalError, IntegrityError, InternalError, ProgrammingError,
                NotSupportedError, DatabaseError, InterfaceError, Error)
}


def translate_driver_error(exc):
    """Return the ormlette error matching a driver exception (by PEP 249 class name), or None."""
    for klass in type(exc).__mro__:
        ours = _BY_NAME.get(klass.__name__)
        if ours is not None and klass.__module__ != __name__:
            return ours
    return None


def ormlette_error_for(exc, ours=None):
    """The ormlette exception to raise for a driver (or SQLAlchemy-wrapped driver) exception, or None.

    SQLAlchemy's ``DBAPIError`` carries the driver's exception as ``orig``: that one is translated and
    becomes the ``__cause__``.
    """
    if isinstance(exc, Error):
        return exc
    driver_exc = getattr(exc, "orig", None)
    if isinstance(driver_exc, BaseException):
        exc = driver_exc
    ours = ours or translate_driver_error(exc)
    if ours is None:
        return None
    new = ours(*exc.args)
    new.__cause__ = exc
    return new


def reraise_translated(exc, ours=None):
    """Raise the ormlette twin of a driver exception, chaining the original."""
    ours = ours or translate_driver_error(exc)
    if ours is None:
        raise exc
    new = ours(*exc.args)
    raise new.with_traceback(exc.__traceback__) from exc
