"""Exceptions raised by the ORM, named and behaving as Django's."""
import operator

from ormlette.utils.hashable import make_hashable

NON_FIELD_ERRORS = "__all__"


class FieldDoesNotExist(Exception):
    """The requested model field does not exist."""


class AppRegistryNotReady(Exception):
    """The model registry was used before it was populated."""


class ObjectDoesNotExist(Exception):
    """The requested object does not exist."""

    silent_variable_failure = True


class MultipleObjectsReturned(Exception):
    """The query returned several objects when only one was expected."""


class ObjectNotUpdated(Exception):
    """A forced update of an object affected no rows."""

    silent_variable_failure = True


class SuspiciousOperation(Exception):
    """The user did something suspicious."""


class SuspiciousMultipartForm(SuspiciousOperation):
    """Suspect MIME request in a multipart form."""


class SuspiciousFileOperation(SuspiciousOperation):
    """A suspicious filesystem operation was attempted."""


class DisallowedHost(SuspiciousOperation):
    """HTTP_HOST header contains an invalid value."""


class DisallowedRedirect(SuspiciousOperation):
    """Redirect to a scheme that is not allowed."""


class TooManyFieldsSent(SuspiciousOperation):
    """The number of fields in a request exceeded the allowed maximum."""


class TooManyFilesSent(SuspiciousOperation):
    """The number of files in a request exceeded the allowed maximum."""


class RequestDataTooBig(SuspiciousOperation):
    """The size of the request body exceeded the allowed maximum."""


class RequestAborted(Exception):
    """The request was closed before it was completed, or timed out."""


class BadRequest(Exception):
    """The request is malformed and cannot be processed."""


class PermissionDenied(Exception):
    """The user did not have permission to do that."""


class ViewDoesNotExist(Exception):
    """The requested view does not exist."""


class MiddlewareNotUsed(Exception):
    """This middleware is not used in this server configuration."""


class ImproperlyConfigured(Exception):
    """The project is somehow improperly configured."""


class FieldError(Exception):
    """Some kind of problem with a model field."""


class FieldFetchBlocked(FieldError):
    """A lazy fetch of a field or relation was blocked by the RAISE fetch mode (Django 6.1)."""


class EmptyResultSet(Exception):
    """A database query predicate is impossible."""


class FullResultSet(Exception):
    """A database query predicate matches everything."""


class SynchronousOnlyOperation(Exception):
    """The user tried to call a sync-only function from an async context."""


def _as_error(value):
    """Wrap value in a ValidationError unless it already is one."""
    return value if isinstance(value, ValidationError) else ValidationError(value)


def _flat_errors(error):
    """All single-message errors held by error, whatever its shape."""
    if hasattr(error, "error_dict"):
        return [item for items in error.error_dict.values() for item in items]
    return error.error_list


def _unwrap(error, code, params):
    """The (message, code, params) to build a copy of another ValidationError."""
    if hasattr(error, "error_dict"):
        return error.error_dict, code, params
    if not hasattr(error, "message"):
        return error.error_list, code, params
    return error.message, error.code, error.params


class ValidationError(Exception):
    """An error while validating data: one message, a list, or a dict by field."""

    def __init__(self, message, code=None, params=None):
        super().__init__(message, code, params)
        if isinstance(message, ValidationError):
            message, code, params = _unwrap(message, code, params)
        if isinstance(message, dict):
            self.error_dict = {
                field: _as_error(messages).error_list for field, messages in message.items()
            }
        elif isinstance(message, list):
            self.error_list = [
                error for item in message for error in _flat_errors(_as_error(item))
            ]
        else:
            self.message = message
            self.code = code
            self.params = params
            self.error_list = [self]

    @property
    def message_dict(self):
        """The errors as {field: [messages]}; only for dict-shaped errors."""
        # Raises AttributeError for list-shaped errors, as Django does.
        getattr(self, "error_dict")
        return dict(self)

    @property
    def messages(self):
        """All messages as a flat list of strings."""
        if hasattr(self, "error_dict"):
            return [message for messages in dict(self).values() for message in messages]
        return list(self)

    def update_error_dict(self, error_dict):
        """Merge these errors into error_dict (non-field errors under NON_FIELD_ERRORS)."""
        if hasattr(self, "error_dict"):
            for field, errors in self.error_dict.items():
                error_dict.setdefault(field, []).extend(errors)
        else:
            error_dict.setdefault(NON_FIELD_ERRORS, []).extend(self.error_list)
        return error_dict

    def __iter__(self):
        if hasattr(self, "error_dict"):
            for field, errors in self.error_dict.items():
                yield field, list(ValidationError(errors))
            return
        for error in self.error_list:
            message = error.message
            if error.params:
                message %= error.params
            yield str(message)

    def __str__(self):
        if hasattr(self, "error_dict"):
            return repr(dict(self))
        return repr(list(self))

    def __repr__(self):
        return "ValidationError(%s)" % self

    def __eq__(self, other):
        if not isinstance(other, ValidationError):
            return NotImplemented
        return hash(self) == hash(other)

    def __hash__(self):
        if hasattr(self, "message"):
            return hash((self.message, self.code, make_hashable(self.params)))
        if hasattr(self, "error_dict"):
            return hash(make_hashable(self.error_dict))
        return hash(tuple(sorted(self.error_list, key=operator.attrgetter("message"))))
