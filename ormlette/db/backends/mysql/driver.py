"""The DB-API driver behind the MySQL backend: mysqlclient (``MySQLdb``, C) when installed, else PyMySQL.

Everything that differs between the two lives here; the backend asks a :class:`Driver` for it.
The async path always runs aiomysql, which raises PyMySQL's exception classes, so the error
tuples cover every installed driver.
"""
import datetime
import os

try:
    import MySQLdb
    import MySQLdb.connections
    import MySQLdb.constants.FIELD_TYPE
    import MySQLdb.converters
    import MySQLdb.cursors
    import MySQLdb.times
except ImportError:  # pragma: no cover - depends on the installation
    MySQLdb = None

try:
    import pymysql
    import pymysql.converters
    import pymysql.cursors
except ImportError:  # pragma: no cover - depends on the installation
    pymysql = None

# CLIENT_FOUND_ROWS in the client/server protocol (the same bit in both drivers): UPDATE reports
# matched rows, not changed rows, as Django expects.
FOUND_ROWS = 2

# Client error codes for a connection that is gone (server gone away, lost during query, out of
# sync, ...), in either driver.
DISCONNECT_CODES = frozenset({2006, 2013, 2014, 2045, 2055})

# ORMLETTE_MYSQL_DRIVER / OPTIONS["driver"] spellings.
_NAMES = {"mysqlclient": "mysqlclient", "mysqldb": "mysqlclient", "pymysql": "pymysql"}


def _installed(*modules):
    return tuple(m for m in modules if m is not None)


ERRORS = tuple(m.Error for m in _installed(MySQLdb, pymysql))
OPERATIONAL_ERRORS = tuple(m.OperationalError for m in _installed(MySQLdb, pymysql))


class Driver:
    """One DB-API module as the backend uses it."""

    name = None
    module = None
    sa_url_scheme = None
    connection_class = None  # called with the connect() keyword arguments
    conversions = None  # the ``conv`` mapping the connections use
    connect_defaults = {}  # other connect() arguments, unless the settings give them

    def connect(self, params):
        """A new connection from PyMySQL-style keyword arguments (database, user, password, ...)."""
        return self.connection_class(**{**self.connect_defaults, "conv": self.conversions, **params})

    def streaming_cursor(self, dbapi_connection):
        """An unbuffered cursor: rows are read from the socket as they are fetched."""
        return dbapi_connection.cursor(self.module.cursors.SSCursor)

    def __repr__(self):
        return "<mysql driver %s>" % self.name


if MySQLdb is not None:
    # bytes go out as _binary'...' (PyMySQL sends X'...') so non-UTF-8 bytes are not read as utf8mb4 text;
    # memoryview is not in mysqlclient's encoders (it would be sent as its repr).
    _MYSQLDB_CONV = dict(MySQLdb.converters.conversions)
    _MYSQLDB_CONV[memoryview] = lambda value, conv: b"_binary" + MySQLdb.string_literal(bytes(value))

    def _datetime_or_none(text, _parse=datetime.datetime.fromisoformat, _general=MySQLdb.times.DateTime_or_None):
        """A DATETIME/TIMESTAMP column value: "YYYY-MM-DD HH:MM:SS[.f{1,6}]" parsed in C (14x mysqlclient's own).

        Anything else (a zero date, another length) takes mysqlclient's converter, so the results are its.
        """
        if len(text) == 19 or (len(text) <= 26 and text[19:20] == "."):
            try:
                return _parse(text)
            except ValueError:
                pass
        return _general(text)

    def _date_or_none(text, _parse=datetime.date.fromisoformat, _general=MySQLdb.times.Date_or_None):
        """A DATE column value: "YYYY-MM-DD" parsed in C; anything else as mysqlclient does."""
        if len(text) == 10:
            try:
                return _parse(text)
            except ValueError:
                pass
        return _general(text)

    _MYSQLDB_CONV[MySQLdb.constants.FIELD_TYPE.DATETIME] = _datetime_or_none
    _MYSQLDB_CONV[MySQLdb.constants.FIELD_TYPE.TIMESTAMP] = _datetime_or_none
    _MYSQLDB_CONV[MySQLdb.constants.FIELD_TYPE.DATE] = _date_or_none

    class _MySQLdbConnection(MySQLdb.connections.Connection):
        """mysqlclient's connection, with bytearray sent as bytes (mysqlclient sends its repr)."""

        def _bytes_literal(self, bs):
            return super()._bytes_literal(bs if type(bs) is bytes else bytes(bs))

        def literal(self, o):
            """A parameter as SQL text: an int (not a bool) is its digits, as mysqlclient's encoder writes it,
            without the encoder lookup (0.76 -> 0.12 us; an IN list or a bulk insert binds thousands)."""
            if type(o) is int:
                return str(o).encode()
            return super().literal(o)

    class MySQLdbDriver(Driver):
        """mysqlclient: rows are parsed in C (binary_prefix on, the converters above)."""

        name = "mysqlclient"
        module = MySQLdb
        sa_url_scheme = "mysql+mysqldb"
        connection_class = _MySQLdbConnection
        conversions = _MYSQLDB_CONV
        connect_defaults = {"binary_prefix": True}


if pymysql is not None:
    # memoryview is not in PyMySQL's encoders either (it would be sent as its repr).
    _PYMYSQL_CONV = dict(pymysql.converters.conversions)
    _PYMYSQL_CONV[memoryview] = lambda value, mapping=None: pymysql.converters.escape_bytes(bytes(value))

    class PyMySQLDriver(Driver):
        """PyMySQL: pure Python (memoryview encoder added)."""

        name = "pymysql"
        module = pymysql
        sa_url_scheme = "mysql+pymysql"
        connection_class = staticmethod(pymysql.connect)
        conversions = _PYMYSQL_CONV


def available():
    """Names of the installed drivers, preferred first."""
    return [name for name, module in (("mysqlclient", MySQLdb), ("pymysql", pymysql)) if module is not None]


_DRIVERS = {}


def get_driver(name=None):
    """The driver called ``name``, else ``$ORMLETTE_MYSQL_DRIVER``, else mysqlclient if installed, else PyMySQL."""
    name = name or os.environ.get("ORMLETTE_MYSQL_DRIVER", "").strip().lower() or None
    if name is not None:
        key = _NAMES.get(name.lower())
        if key is None:
            raise ValueError("Unknown MySQL driver %r (expected 'mysqlclient' or 'pymysql')." % name)
        if key not in available():
            raise ImportError("The MySQL driver %r is not installed: pip install %s" % (name, key))
    else:
        names = available()
        if not names:
            raise ImportError("The MySQL backend needs mysqlclient or PyMySQL, and neither is installed: "
                              "pip install 'ormlette[mysql]' (mysqlclient) or 'ormlette[mysql-pure]' (PyMySQL)")
        key = names[0]
    driver = _DRIVERS.get(key)
    if driver is None:
        driver = _DRIVERS[key] = MySQLdbDriver() if key == "mysqlclient" else PyMySQLDriver()
    return driver
