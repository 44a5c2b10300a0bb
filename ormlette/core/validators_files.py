"""File validators: allowed file-name extensions, image extensions Pillow can open."""
from pathlib import Path

from ormlette.core.exceptions import ValidationError
from ormlette.core.validators_base import Deconstructible
from ormlette.utils.translation import gettext_lazy as _


class FileExtensionValidator(Deconstructible):
    """Require a file whose name has one of allowed_extensions (case-insensitive)."""

    __module__ = "ormlette.core.validators"  # its public path (deconstruct, pickling)

    message = _(
        "File extension “%(extension)s” is not allowed. "
        "Allowed extensions are: %(allowed_extensions)s."
    )
    code = "invalid_extension"

    def __init__(self, allowed_extensions=None, message=None, code=None):
        if allowed_extensions is not None:
            allowed_extensions = [extension.lower() for extension in allowed_extensions]
        self.allowed_extensions = allowed_extensions
        if message is not None:
            self.message = message
        if code is not None:
            self.code = code

    def __call__(self, value):
        extension = Path(value.name).suffix[1:].lower()
        if self.allowed_extensions is None or extension in self.allowed_extensions:
            return
        params = {
            "extension": extension,
            "allowed_extensions": ", ".join(self.allowed_extensions),
            "value": value,
        }
        raise ValidationError(self.message, code=self.code, params=params)

    def __eq__(self, other):
        return (
            isinstance(other, self.__class__)
            and set(self.allowed_extensions or []) == set(other.allowed_extensions or [])
            and self.message == other.message
            and self.code == other.code
        )


def get_available_image_extensions():
    """Image file extensions Pillow can open (empty without Pillow)."""
    try:
        from PIL import Image
    except ImportError:
        return []
    Image.init()
    return [extension.lower()[1:] for extension in Image.EXTENSION]


def validate_image_file_extension(value):
    """Require a file extension Pillow knows."""
    return FileExtensionValidator(allowed_extensions=get_available_image_extensions())(value)
