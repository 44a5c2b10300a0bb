"""Model fields (mirrors ``django.db.models.fields``)."""
from ormlette.db.models.fields.base import BLANK_CHOICE_DASH, NOT_PROVIDED, Field
from ormlette.db.models.fields.generated import GeneratedField
from ormlette.db.models.fields.misc import BinaryField, GenericIPAddressField, JSONField, UUIDField
from ormlette.db.models.fields.numeric import (
    AutoField, AutoFieldMixin, BigAutoField, BigIntegerField, BooleanField, DecimalField, FloatField,
    IntegerField, PositiveBigIntegerField, PositiveIntegerField, PositiveIntegerRelDbTypeMixin,
    PositiveSmallIntegerField, SmallAutoField, SmallIntegerField,
)
from ormlette.db.models.fields.temporal import DateField, DateTimeField, DurationField, TimeField
from ormlette.db.models.fields.text import (
    CharField, CommaSeparatedIntegerField, EmailField, SlugField, TextField, URLField,
)

__all__ = [
    "AutoField", "BLANK_CHOICE_DASH", "BigAutoField", "BigIntegerField", "BinaryField", "BooleanField",
    "CharField", "CommaSeparatedIntegerField", "DateField", "DateTimeField", "DecimalField",
    "DurationField", "EmailField", "Field", "FloatField", "GeneratedField", "GenericIPAddressField", "IntegerField",
    "JSONField", "NOT_PROVIDED", "PositiveBigIntegerField", "PositiveIntegerField",
    "PositiveSmallIntegerField", "SlugField", "SmallAutoField", "SmallIntegerField", "TextField",
    "TimeField", "URLField", "UUIDField", "AutoFieldMixin", "PositiveIntegerRelDbTypeMixin",
]
