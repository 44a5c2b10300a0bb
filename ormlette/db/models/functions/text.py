"""Text functions (the ones the core needs; the rest live beside them)."""

from ormlette.db.models.expressions.base import Func, Value
from ormlette.db.models.fields import CharField, IntegerField
from ormlette.db.models.lookups.base import Transform


class Lower(Transform):
    """LOWER()."""

    function = "LOWER"
    lookup_name = "lower"


class Upper(Transform):
    """UPPER()."""

    function = "UPPER"
    lookup_name = "upper"


class Length(Transform):
    """Number of characters."""

    function = "LENGTH"
    lookup_name = "length"
    output_field = IntegerField()

    def as_mysql_sa(self, c):
        return self.as_generic_sa(c, function="CHAR_LENGTH")


class Substr(Func):
    """SUBSTRING(expression, pos[, length])."""

    function = "SUBSTRING"
    output_field = CharField()

    def __init__(self, expression, pos, length=None, **extra):
        if not hasattr(pos, "resolve_expression"):
            if pos < 1:
                raise ValueError("'pos' must be greater than 0")
        expressions = [expression, pos]
        if length is not None:
            expressions.append(length)
        super().__init__(*expressions, **extra)

    def as_sqlite_sa(self, c):
        return self.as_generic_sa(c, function="SUBSTR")


class ConcatPair(Func):
    """Two-argument concatenation (NULL-safe as Django)."""

    function = "CONCAT"

    def as_sa(self, c):
        return c.connection.ops.concat_null_safe_sa(*[e.as_sa(c) for e in self.source_expressions])


class Concat(Func):
    """Concatenate any number of expressions (NULLs become '')."""

    template = "%(expressions)s"

    def __init__(self, *expressions, **extra):
        if len(expressions) < 2:
            raise ValueError("Concat must take at least two expressions")
        paired = self._paired(expressions, extra.get("output_field"))
        super().__init__(paired, **extra)

    def _paired(self, expressions, output_field):
        if len(expressions) == 2:
            return ConcatPair(*expressions, output_field=output_field)
        return ConcatPair(expressions[0], self._paired(expressions[1:], output_field), output_field=output_field)

    def as_sa(self, c):
        return self.source_expressions[0].as_sa(c)




class Chr(Transform):
    """The character with the given code point."""

    function = "CHR"
    lookup_name = "chr"
    output_field = CharField()

    def as_mysql_sa(self, c):
        return self.as_generic_sa(c, function="CHAR", template="%(function)s(%(expressions)s USING utf16)")

    def as_sqlite_sa(self, c):
        return self.as_generic_sa(c, function="CHAR")


class Left(Func):
    """The first ``length`` characters."""

    function = "LEFT"
    arity = 2
    output_field = CharField()

    def __init__(self, expression, length, **extra):
        if not hasattr(length, "resolve_expression") and length < 1:
            raise ValueError("'length' must be greater than 0.")
        super().__init__(expression, length, **extra)

    def get_substr(self):
        """The portable SUBSTR form."""
        return Substr(self.source_expressions[0], Value(1), self.source_expressions[1])

    def as_sqlite_sa(self, c):
        return self.get_substr().as_sa(c)

    def as_sqlite_key(self, k):
        return self.get_substr().key(k)


class Right(Left):
    """The last ``length`` characters."""

    function = "RIGHT"

    def get_substr(self):
        return Substr(self.source_expressions[0], self.source_expressions[1] * Value(-1))


class LPad(Func):
    """Pad on the left to ``length`` with ``fill_text``."""

    function = "LPAD"
    output_field = CharField()

    def __init__(self, expression, length, fill_text=Value(" "), **extra):
        if not hasattr(length, "resolve_expression") and length is not None and length < 0:
            raise ValueError("'length' must be greater or equal to 0.")
        super().__init__(expression, length, fill_text, **extra)


class RPad(LPad):
    """Pad on the right."""

    function = "RPAD"


class LTrim(Transform):
    """Strip leading spaces."""

    function = "LTRIM"
    lookup_name = "ltrim"


class RTrim(Transform):
    """Strip trailing spaces."""

    function = "RTRIM"
    lookup_name = "rtrim"


class Trim(Transform):
    """Strip leading and trailing spaces."""

    function = "TRIM"
    lookup_name = "trim"


class MD5(Transform):
    """MD5 hex digest."""

    function = "MD5"
    lookup_name = "md5"


class Ord(Transform):
    """Code point of the first character."""

    function = "ASCII"
    lookup_name = "ord"
    output_field = IntegerField()

    def as_mysql_sa(self, c):
        return self.as_generic_sa(c, function="ORD")

    def as_sqlite_sa(self, c):
        return self.as_generic_sa(c, function="UNICODE")


class Repeat(Func):
    """The text repeated ``number`` times."""

    function = "REPEAT"
    output_field = CharField()

    def __init__(self, expression, number, **extra):
        if not hasattr(number, "resolve_expression") and number is not None and number < 0:
            raise ValueError("'number' must be greater or equal to 0.")
        super().__init__(expression, number, **extra)


class Replace(Func):
    """Replace every ``text`` by ``replacement``."""

    function = "REPLACE"

    def __init__(self, expression, text, replacement=Value(""), **extra):
        super().__init__(expression, text, replacement, **extra)


class Reverse(Transform):
    """The text reversed."""

    function = "REVERSE"
    lookup_name = "reverse"


class _Sha(Transform):
    bits = None

    def as_postgresql_sa(self, c):
        return self.as_generic_sa(c, template="ENCODE(DIGEST(%%(expressions)s, '%s'), 'hex')" % self.lookup_name)

    def as_mysql_sa(self, c):
        if self.bits is None:
            return self.as_generic_sa(c)
        return self.as_generic_sa(c, template="SHA2(%%(expressions)s, %d)" % self.bits)


class SHA1(_Sha):
    """SHA-1 hex digest."""

    function = "SHA1"
    lookup_name = "sha1"


class SHA224(_Sha):
    """SHA-224 hex digest."""

    function = "SHA224"
    lookup_name = "sha224"
    bits = 224


class SHA256(_Sha):
    """SHA-256 hex digest."""

    function = "SHA256"
    lookup_name = "sha256"
    bits = 256


class SHA384(_Sha):
    """SHA-384 hex digest."""

    function = "SHA384"
    lookup_name = "sha384"
    bits = 384


class SHA512(_Sha):
    """SHA-512 hex digest."""

    function = "SHA512"
    lookup_name = "sha512"
    bits = 512


class StrIndex(Func):
    """1-based position of ``substring`` (0 when absent)."""

    function = "INSTR"
    arity = 2
    output_field = IntegerField()

    def as_postgresql_sa(self, c):
        return self.as_generic_sa(c, function="STRPOS")
