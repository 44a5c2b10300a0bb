"""Output-type rules shared by numeric functions."""
from ormlette.db.models.fields import DecimalField, FloatField, IntegerField


class NumericOutputFieldMixin:
    """Decimal inputs give DecimalField, integer inputs FloatField, otherwise the input type."""

    def _resolve_output_field(self):
        sources = self.get_source_fields()
        if any(isinstance(s, DecimalField) for s in sources):
            return DecimalField()
        if any(isinstance(s, IntegerField) for s in sources):
            return FloatField()
        return super()._resolve_output_field() if sources else FloatField()
