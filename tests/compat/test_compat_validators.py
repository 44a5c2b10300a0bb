"""Differential tests: ormlette.core.validators against django.core.validators."""
import ipaddress
import random
from decimal import Decimal

import pytest

from tests.compat.django_reference import configure_django

configure_django()

import django.core.validators as dj  # noqa: E402
from django.utils.functional import Promise as DjangoPromise  # noqa: E402

import ormlette.core.validators as orm  # noqa: E402


class Named:
    """A stand-in for an uploaded file: only .name matters to the validator."""

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return "Named(%r)" % self.name


def plain(value):
    """Force Django's lazy strings so params compare with ours."""
    return str(value) if isinstance(value, DjangoPromise) else value


def outcome(validator, value):
    """What calling validator(value) does, as comparable plain data."""
    try:
        validator(value)
    except Exception as exc:  # noqa: BLE001 - both libraries' errors are compared
        if type(exc).__name__ != "ValidationError":
            return ("raised", type(exc).__name__)
        params = {k: plain(v) for k, v in (exc.params or {}).items()}
        return ("invalid", exc.code, exc.messages, params)
    return ("ok",)


def assert_same(name, values):
    """Both libraries' validator `name` agree on every value."""
    ours, theirs = VALIDATORS[name](orm), VALIDATORS[name](dj)
    for value in values:
        assert outcome(ours, value) == outcome(theirs, value), (name, value)


VALIDATORS = {
    "url": lambda m: m.URLValidator(),
    "url_git": lambda m: m.URLValidator(schemes=["git", "git+ssh", "http"]),
    "email": lambda m: m.validate_email,
    "email_allow": lambda m: m.EmailValidator(allowlist=["localdomain"], code="mail"),
    "domain": lambda m: m.validate_domain_name,
    "domain_ascii": lambda m: m.DomainNameValidator(accept_idna=False),
    "slug": lambda m: m.validate_slug,
    "uslug": lambda m: m.validate_unicode_slug,
    "ipv4": lambda m: m.validate_ipv4_address,
    "ipv6": lambda m: m.validate_ipv6_address,
    "ipv46": lambda m: m.validate_ipv46_address,
    "integer": lambda m: m.validate_integer,
    "csv_int": lambda m: m.validate_comma_separated_integer_list,
    "int_list": lambda m: m.int_list_validator(sep=";", allow_negative=True, message="semi"),
    "regex": lambda m: m.RegexValidator(r"^[a-c]+\d*$"),
    "regex_inv": lambda m: m.RegexValidator(r"x", inverse_match=True, code="nox", message="no x"),
    "regex_flags": lambda m: m.RegexValidator(r"^abc$", flags=2),
    "null": lambda m: m.ProhibitNullCharactersValidator(),
    "null_custom": lambda m: m.ProhibitNullCharactersValidator(message="nul!", code="z"),
}

URL_PARTS = {
    "scheme": ["http://", "https://", "ftp://", "ftps://", "HTTP://", "git://", "git+ssh://",
               "foo://", "", "http:/", "//", "http:///", "htt p://"],
    "auth": ["", "", "user@", "user:pass@", "u:@", ":p@", "a@b@", "us er@", "u/x@"],
    "host": ["example.com", "localhost", "127.0.0.1", "256.1.1.1", "0.0.0.0", "01.2.3.4",
             "1.2.3", "[::1]", "[2001:db8::1]", "[::ffff:1.2.3.4]", "[g::1]", "[1:2]",
             "[::1%eth0]", "xn--bcher-kva.ch", "bücher.de", "-a.com", "a-.com", "a..com",
             "a.b", "a.b-", "例子.测试", "a" * 63 + ".com", "a" * 64 + ".com",
             ("a" * 60 + ".") * 5 + "com", "example.com.", "com", "ex_ample.com",
             "EXAMPLE.COM", "sub.-x.com", "x.xn--p1ai", "x.xn--", "1.com", "x.c0m", "x.c"],
    "port": ["", "", ":80", ":65535", ":123456", ":", ":a", ":0"],
    "path": ["", "", "/", "/path?q=1#frag", "?x", "#f", "/ space", "/\n", "/%20", "/a\tb",
             "/ü", "\r"],
}

URL_SAMPLES = [
    "http://www.djangoproject.com/", "http://localhost:8000/", "https://example.com/?q=%20",
    "http://[::ffff:192.9.5.5]", "http://[12:34:3a53]", "http://.com", "http://", "http://a",
    "http://-invalid.com", "http://www.example.com:80000", "ftp://[2001:db8::1]:21/x",
    "http://user:pass@host.com", "http://1.1.1.1.1", "https://example.com/" + "x" * 2040,
    "https://example.com/" + "x" * 2020, "http:// shouldfail.com", "http://a.b.c.d.e.f.g.example",
    "file:///etc/passwd", "mailto:a@b.com", "https://ex.com\n", "http://[::1]:8080/",
    "http://[]", "http://[a]", "http://" + "a" * 254 + ".com", 123, None, b"http://x.com",
]


def random_urls(count, seed=7):
    """Random URLs assembled from tricky parts."""
    rng = random.Random(seed)
    parts = URL_PARTS
    return [
        "".join(rng.choice(parts[k]) for k in ("scheme", "auth", "host", "port", "path"))
        for _ in range(count)
    ]


def test_url_samples():
    assert_same("url", URL_SAMPLES)
    assert_same("url_git", URL_SAMPLES)


def test_url_fuzz():
    urls = random_urls(3000)
    assert_same("url", urls)
    assert_same("url_git", urls)
    # The fuzz must exercise both outcomes, or it proves little.
    kinds = {outcome(orm.URLValidator(), u)[0] for u in urls}
    assert kinds == {"ok", "invalid"}


EMAIL_LOCALS = ["a", "a.b", ".a", "a.", "a..b", '"quoted"', '"q\\"x"', '"a b"', "a+b", "ü",
                "\u212a", "\u017f", "!#$%&'*+/=?^_`{}|~-", "", "a b", "x" * 64, "a@b"]
EMAIL_DOMAINS = ["example.com", "localhost", "localdomain", "[127.0.0.1]", "[IPv6:::1]",
                 "[::1]", "[1.2.3]", "[256.1.1.1]", "ex-.com", "x.xn--p1ai", "a.b",
                 "münchen.de", "example.com.", "a" * 250 + ".com", "EXAMPLE.COM", "-x.com",
                 "x.c0m", "", "x..com", "x_y.com", "x.com\n"]
EMAIL_SAMPLES = ["", None, "no-at-sign", "a@b@c.com", "@example.com", "a@", "x" * 310 + "@e.com",
                 "email@here.com", "weirder-email@here.and.there.com", "a@[::ffff:1.2.3.4]"]


def test_email():
    values = EMAIL_SAMPLES + [l + "@" + d for l in EMAIL_LOCALS for d in EMAIL_DOMAINS]
    assert_same("email", values)
    assert_same("email_allow", values)


def test_domain_names():
    hosts = URL_PARTS["host"] + EMAIL_DOMAINS + ["x" * 256, 5, None, "a.b.c.", "ab.c0"]
    assert_same("domain", hosts)
    assert_same("domain_ascii", hosts)


IP_SAMPLES = [
    "1.2.3.4", "01.2.3.4", "256.0.0.0", "1.2.3", "0.0.0.0", "255.255.255.255", " 1.2.3.4",
    "::1", "::", "::ffff:1.2.3.4", "1:2:3:4:5:6:7:8", "1::2::3", "fe80::1%eth0", "fe80::1%1",
    "0000:0000:0000:0000:0000:0000:0000:0001", "0000:0000:0000:0000:0000:0000:0000:00001",
    "0000:0000:0000:0000:0000:0000:255.255.255.255", "fe80::1%" + "z" * 32,
    "12345::", "1:2:3:4:5:6:7", "1:2:3:4:5:6:1.2.3.4", "", "abc", 12345, 2**40, -1,
    ipaddress.IPv4Address("1.2.3.4"), ipaddress.IPv6Address("::1"), b"\x01\x02\x03\x04",
    b"\x00" * 16, 1.5,
]


@pytest.mark.parametrize("name", ["ipv4", "ipv6", "ipv46"])
def test_ip_addresses(name):
    assert_same(name, IP_SAMPLES)


TEXT_SAMPLES = [
    "abc", "a-b_c", "a b", "", "ümlaut", "日本", "a\n", "abc\n", "ABC", "a1", "abc123", "x",
    "1", "-1", "+1", "1.0", "١٢", "1\n", "1,2,3", "1,,2", "-1,2", ",1", "1,", "1;-2;3",
    "1;;2", "-", "a\x00b", "\x00", 5, -7, 3.5, b"\x00", None, ["x"],
]


@pytest.mark.parametrize(
    "name",
    ["slug", "uslug", "integer", "csv_int", "int_list", "regex", "regex_inv", "regex_flags",
     "null", "null_custom"],
)
def test_text_validators(name):
    assert_same(name, TEXT_SAMPLES)


LIMIT_CASES = [
    ("MaxValueValidator", 10, [9, 10, 11, 10.5, Decimal("10.01"), "a", None]),
    ("MinValueValidator", 10, [9, 10, 11, 9.99, Decimal("10"), "a"]),
    ("MinValueValidator", lambda: 3, [2, 3]),
    ("MaxLengthValidator", 3, ["", "abc", "abcd", [1, 2, 3, 4], 5]),
    ("MaxLengthValidator", 1, ["a", "ab", "abc"]),
    ("MinLengthValidator", 2, ["", "a", "ab", "abc", ()]),
    ("MinLengthValidator", 1, ["", "a"]),
    ("StepValueValidator", 3, [0, 3, 9, 10, -3, -4, 3.0, 3.0000000001]),
    ("StepValueValidator", 0.1, [0.3, 0.35, 1.0, 0.15]),
    ("StepValueValidator", Decimal("0.5"), [Decimal("1.5"), Decimal("1.2")]),
    ("BaseValidator", 5, [5, 6, "5"]),
]


@pytest.mark.parametrize("case", range(len(LIMIT_CASES)))
def test_limit_validators(case):
    name, limit, values = LIMIT_CASES[case]
    ours, theirs = getattr(orm, name)(limit), getattr(dj, name)(limit)
    for value in values:
        assert outcome(ours, value) == outcome(theirs, value), (name, limit, value)


@pytest.mark.parametrize("limit, offset", [(3, 1), (0.5, 0.25), (5, -2), (2, 0)])
def test_step_value_with_offset(limit, offset):
    ours = orm.StepValueValidator(limit, offset=offset)
    theirs = dj.StepValueValidator(limit, offset=offset)
    for value in [0, 1, 4, 7, 8, 0.75, 1.25, -2, 3, 2.5, -7, 10]:
        assert outcome(ours, value) == outcome(theirs, value), (limit, offset, value)


def test_custom_message_on_limit_validator():
    for m in (orm, dj):
        with pytest.raises(Exception) as info:
            m.MaxValueValidator(1, message="too big: %(value)s > %(limit_value)s")(2)
        assert info.value.messages == ["too big: 2 > 1"]


DECIMALS = ["0", "0.00", "1", "-1.5", "123.45", "12345", "1E+3", "1E-7", "0E-10", "0E+3",
            "99.999", "0.001", "100", "1.000", "NaN", "sNaN", "Infinity", "-Infinity", "7.0E+1"]


@pytest.mark.parametrize("max_digits, places", [(5, 2), (3, 0), (None, 2), (4, None),
                                                (None, None), (2, 2), (10, 5)])
def test_decimal_validator(max_digits, places):
    ours = orm.DecimalValidator(max_digits, places)
    theirs = dj.DecimalValidator(max_digits, places)
    for text in DECIMALS:
        value = Decimal(text)
        assert outcome(ours, value) == outcome(theirs, value), (max_digits, places, text)


FILES = ["a.txt", "a.TXT", "a", ".bashrc", "a.tar.gz", "a.", "dir.pdf/file", "x.Pdf", "ü.txt"]


@pytest.mark.parametrize("allowed", [["txt", "PDF"], None, [], ["gz"], [""]])
def test_file_extension(allowed):
    ours = orm.FileExtensionValidator(allowed)
    theirs = dj.FileExtensionValidator(allowed)
    for name in FILES:
        value = Named(name)
        assert outcome(ours, value) == outcome(theirs, value), (allowed, name)


def test_class_messages_and_codes_match():
    for name in ["RegexValidator", "URLValidator", "EmailValidator", "DomainNameValidator",
                 "BaseValidator", "MaxValueValidator", "MinValueValidator",
                 "StepValueValidator", "FileExtensionValidator",
                 "ProhibitNullCharactersValidator"]:
        ours, theirs = getattr(orm, name), getattr(dj, name)
        assert str(ours.message) == str(theirs.message), name
        assert ours.code == theirs.code, name
    for name in ["MaxLengthValidator", "MinLengthValidator"]:
        for n in (1, 2):
            params = {"limit_value": n, "show_value": 0}
            assert getattr(orm, name).message % params == getattr(dj, name).message % params
    for key, message in dj.DecimalValidator.messages.items():
        for n in (1, 3):
            ours = orm.DecimalValidator.messages[key] % {"max": n}
            assert ours == message % {"max": n}, (key, n)
    assert orm.URLValidator.schemes == dj.URLValidator.schemes
    assert orm.EMPTY_VALUES == dj.EMPTY_VALUES


def test_equality_matches():
    def builders(m):
        return [
            m.RegexValidator("a"), m.RegexValidator("a"), m.RegexValidator("a", flags=2),
            m.RegexValidator("a", message="x"), m.RegexValidator("a", inverse_match=True),
            m.EmailValidator(allowlist=["a", "b"]), m.EmailValidator(allowlist=["b", "a"]),
            m.EmailValidator(), m.MaxValueValidator(1), m.MaxValueValidator(1),
            m.MaxValueValidator(2), m.MinValueValidator(1), m.DecimalValidator(5, 2),
            m.DecimalValidator(5, 2), m.DecimalValidator(5, 3),
            m.FileExtensionValidator(["A", "b"]), m.FileExtensionValidator(["b", "a"]),
            m.ProhibitNullCharactersValidator(), m.ProhibitNullCharactersValidator(code="x"),
            m.URLValidator(), m.URLValidator(schemes=["x"]),
        ]

    ours, theirs = builders(orm), builders(dj)
    for i in range(len(ours)):
        for j in range(len(ours)):
            assert (ours[i] == ours[j]) == (theirs[i] == theirs[j]), (i, j)


def test_deconstruct_matches():
    def builders(m):
        return [m.RegexValidator("a", code="c"), m.MaxValueValidator(5),
                m.EmailValidator(allowlist=["x"]), m.DecimalValidator(5, 2),
                m.URLValidator(schemes=["http"]), m.StepValueValidator(2, offset=1)]

    for ours, theirs in zip(builders(orm), builders(dj)):
        our_path, our_args, our_kwargs = ours.deconstruct()
        path, args, kwargs = theirs.deconstruct()
        assert our_path.split(".", 1) == ["ormlette", path.split(".", 1)[1]]
        assert (our_args, our_kwargs) == (args, kwargs)


def test_ip_address_validators_selection():
    for protocol, unpack in [("both", True), ("IPv4", False), ("ipv6", False)]:
        ours = orm.ip_address_validators(protocol, unpack)
        theirs = dj.ip_address_validators(protocol, unpack)
        assert [f.__name__ for f in ours] == [f.__name__ for f in theirs]
    for protocol, unpack in [("ipv4", True), ("ipx", False)]:
        for m in (orm, dj):
            with pytest.raises(ValueError):
                m.ip_address_validators(protocol, unpack)


def test_regex_flags_require_string():
    import re

    for m in (orm, dj):
        with pytest.raises(TypeError):
            m.RegexValidator(re.compile("a"), flags=re.I)
