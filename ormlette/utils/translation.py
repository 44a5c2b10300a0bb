"""Translation stand-ins: messages are English only, so these return plain strings."""


def gettext(message):
    """Return message unchanged."""
    return message


def gettext_noop(message):
    """Mark message for translation without translating it."""
    return message


def pgettext(context, message):
    """Return message unchanged, ignoring the context."""
    return message


def ngettext(singular, plural, number):
    """Pick the English singular or plural form for number."""
    return singular if number == 1 else plural


def npgettext(context, singular, plural, number):
    """Pick the singular or plural form, ignoring the context."""
    return ngettext(singular, plural, number)


class PluralString(str):
    """Plural-aware message (str value: the plural form) whose form % chooses."""

    def __new__(cls, singular, plural, number=None):
        self = super().__new__(cls, plural)
        self.singular = singular
        self.plural = plural
        self.number = number
        return self

    def __getnewargs__(self):
        return (self.singular, self.plural, self.number)

    def __bool__(self):
        return bool(self.singular)

    def _count(self, values):
        try:
            return values[self.number]
        except KeyError:
            raise KeyError(
                "Your dictionary lacks key '%s'. Please provide it, because it is "
                "required to determine whether string is singular or plural." % self.number
            ) from None

    def _form(self, count):
        return ngettext(self.singular, self.plural, count)

    def __mod__(self, rhs):
        count = self._count(rhs) if isinstance(rhs, dict) and self.number else rhs
        text = self._form(count)
        try:
            return text % rhs
        except TypeError:
            # The chosen form may have no placeholder at all.
            return text

    def format(self, *args, **kwargs):
        """Choose the form from the keyword (or first positional) count, then format."""
        count = self._count(kwargs) if kwargs and self.number else args[0]
        return self._form(count).format(*args, **kwargs)


def ngettext_lazy(singular, plural, number=None):
    """Plural form chosen now for an int count, or at % time for a key name."""
    if isinstance(number, int):
        return ngettext(singular, plural, number)
    return PluralString(singular, plural, number)


def npgettext_lazy(context, singular, plural, number=None):
    """Like ngettext_lazy, ignoring the context."""
    return ngettext_lazy(singular, plural, number)


gettext_lazy = gettext
pgettext_lazy = pgettext
