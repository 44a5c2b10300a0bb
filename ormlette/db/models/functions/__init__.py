"""Database functions (mirrors ``django.db.models.functions``)."""
from ormlette.db.models.functions.comparison import Cast, Coalesce, Greatest, Least, NullIf
from ormlette.db.models.functions.datetime import (
    Extract, ExtractDay, ExtractHour, ExtractIsoWeekDay, ExtractIsoYear, ExtractMinute, ExtractMonth,
    ExtractQuarter, ExtractSecond, ExtractWeek, ExtractWeekDay, ExtractYear, Now, Trunc, TruncDate, TruncDay,
    TruncHour, TruncMinute, TruncMonth, TruncQuarter, TruncSecond, TruncTime, TruncWeek, TruncYear,
)
from ormlette.db.models.functions.text import Concat, ConcatPair, Length, Lower, Substr, Upper

__all__ = [
    "Cast", "Coalesce", "Greatest", "Least", "NullIf",
    "Extract", "ExtractDay", "ExtractHour", "ExtractIsoWeekDay", "ExtractIsoYear", "ExtractMinute", "ExtractMonth",
    "ExtractQuarter", "ExtractSecond", "ExtractWeek", "ExtractWeekDay", "ExtractYear", "Now", "Trunc",
    "TruncDate", "TruncDay", "TruncHour", "TruncMinute", "TruncMonth", "TruncQuarter", "TruncSecond",
    "TruncTime", "TruncWeek", "TruncYear",
    "Concat", "ConcatPair", "Length", "Lower", "Substr", "Upper",
]
