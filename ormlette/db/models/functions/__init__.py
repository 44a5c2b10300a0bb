"""Database functions (mirrors ``django.db.models.functions``)."""
from ormlette.db.models.functions.comparison import Cast, Coalesce, Collate, Greatest, JSONArray, JSONObject, Least, NullIf
from ormlette.db.models.functions.datetime import (
    Extract, ExtractDay, ExtractHour, ExtractIsoWeekDay, ExtractIsoYear, ExtractMinute, ExtractMonth,
    ExtractQuarter, ExtractSecond, ExtractWeek, ExtractWeekDay, ExtractYear, Now, Trunc, TruncDate, TruncDay,
    TruncHour, TruncMinute, TruncMonth, TruncQuarter, TruncSecond, TruncTime, TruncWeek, TruncYear,
)
from ormlette.db.models.functions.math import (
    Abs, ACos, ASin, ATan, ATan2, Ceil, Cos, Cot, Degrees, Exp, Floor, Ln, Log, Mod, Pi, Power, Radians, Random,
    Round, Sign, Sin, Sqrt, Tan,
)
from ormlette.db.models.functions.text import (
    MD5, SHA1, SHA224, SHA256, SHA384, SHA512, Chr, Concat, ConcatPair, Left, Length, Lower, LPad, LTrim, Ord,
    Repeat, Replace, Reverse, Right, RPad, RTrim, StrIndex, Substr, Trim, Upper,
)
from ormlette.db.models.functions.window import (
    CumeDist, DenseRank, FirstValue, Lag, LastValue, Lead, NthValue, Ntile, PercentRank, Rank, RowNumber,
)

__all__ = [
    "Cast", "Coalesce", "Collate", "Greatest", "JSONArray", "JSONObject", "Least", "NullIf",
    "Extract", "ExtractDay", "ExtractHour", "ExtractIsoWeekDay", "ExtractIsoYear", "ExtractMinute", "ExtractMonth",
    "ExtractQuarter", "ExtractSecond", "ExtractWeek", "ExtractWeekDay", "ExtractYear", "Now", "Trunc",
    "TruncDate", "TruncDay", "TruncHour", "TruncMinute", "TruncMonth", "TruncQuarter", "TruncSecond",
    "TruncTime", "TruncWeek", "TruncYear",
    "Abs", "ACos", "ASin", "ATan", "ATan2", "Ceil", "Cos", "Cot", "Degrees", "Exp", "Floor", "Ln", "Log", "Mod",
    "Pi", "Power", "Radians", "Random", "Round", "Sign", "Sin", "Sqrt", "Tan",
    "MD5", "SHA1", "SHA224", "SHA256", "SHA384", "SHA512", "Chr", "Concat", "ConcatPair", "Left", "Length",
    "Lower", "LPad", "LTrim", "Ord", "Repeat", "Replace", "Reverse", "Right", "RPad", "RTrim", "StrIndex",
    "Substr", "Trim", "Upper",
    "CumeDist", "DenseRank", "FirstValue", "Lag", "LastValue", "Lead", "NthValue", "Ntile", "PercentRank", "Rank",
    "RowNumber",
]
