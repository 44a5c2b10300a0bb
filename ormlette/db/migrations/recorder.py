"""The applied-migrations table (``ormlette_migrations``: app, name, applied), Django's ``django_migrations`` read too."""
import sqlalchemy as sa

from ormlette.utils import timezone

TABLE = "ormlette_migrations"
DJANGO_TABLE = "django_migrations"


def _table(name):
    return sa.Table(name, sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
                    sa.Column("app", sa.String(255), nullable=False), sa.Column("name", sa.String(255), nullable=False),
                    sa.Column("applied", sa.DateTime, nullable=False))


class MigrationRecorder:
    """Which migrations a database has applied."""

    def __init__(self, connection):
        self.connection = connection

    def has_table(self):
        """Whether ``ormlette_migrations`` exists."""
        return TABLE in self.connection.introspection.table_names()

    def ensure_schema(self):
        """Create ``ormlette_migrations`` if it is missing."""
        if self.has_table():
            return
        table = _table(TABLE)
        with self.connection.schema_editor() as editor:
            editor.execute(sa.schema.CreateTable(table))

    def _rows(self, table):
        quote = self.connection.ops.quote_name
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT %s, %s FROM %s" % (quote("app"), quote("name"), quote(table)))
            return [tuple(row) for row in cursor.fetchall()]

    def applied_migrations(self):
        """{(app, name): True} of the applied migrations; Django's history when ours is empty or missing."""
        names = self.connection.introspection.table_names()
        rows = self._rows(TABLE) if TABLE in names else []
        if not rows and DJANGO_TABLE in names:
            rows = self._rows(DJANGO_TABLE)
        return {row: True for row in rows}

    def record_applied(self, app, name):
        """Record a migration as applied."""
        self.ensure_schema()
        self._adopt_django_history()
        quote = self.connection.ops.quote_name
        with self.connection.cursor() as cursor:
            cursor.execute("INSERT INTO %s (%s, %s, %s) VALUES (%%s, %%s, %%s)" % (
                quote(TABLE), quote("app"), quote("name"), quote("applied")),
                [app, name, self.connection.ops.adapt_datetimefield_value(timezone.now())
                 if hasattr(self.connection.ops, "adapt_datetimefield_value") else timezone.now()])

    def record_unapplied(self, app, name):
        """Forget a migration."""
        self.ensure_schema()
        self._adopt_django_history()
        quote = self.connection.ops.quote_name
        with self.connection.cursor() as cursor:
            cursor.execute("DELETE FROM %s WHERE %s = %%s AND %s = %%s" % (quote(TABLE), quote("app"), quote("name")),
                           [app, name])

    def _adopt_django_history(self):
        # The first write to our table copies Django's history, so nothing Django applied is forgotten.
        if self._rows(TABLE) or DJANGO_TABLE not in self.connection.introspection.table_names():
            return
        quote = self.connection.ops.quote_name
        with self.connection.cursor() as cursor:
            cursor.execute("INSERT INTO %s (%s, %s, %s) SELECT %s, %s, %s FROM %s" % (
                quote(TABLE), quote("app"), quote("name"), quote("applied"), quote("app"), quote("name"),
                quote("applied"), quote(DJANGO_TABLE)))

    def flush(self):
        """Delete every record."""
        if self.has_table():
            with self.connection.cursor() as cursor:
                cursor.execute("DELETE FROM %s" % self.connection.ops.quote_name(TABLE))
