"""Model.objects.raw(): rows of hand-written SQL mapped to model instances."""
from ormlette.core.exceptions import FieldDoesNotExist
from ormlette.db import connections, router
from ormlette.db.async_bridge import run_sync


class RawQuery:
    """One raw SQL statement and its parameters (``%s`` or ``%(name)s`` placeholders)."""

    def __init__(self, sql, using, params=()):
        self.sql = sql
        self.using = using
        self.params = params
        self.cursor = None

    def chain(self, using):
        """A copy bound to another database."""
        return RawQuery(self.sql, using, self.params)

    def execute(self):
        """Run the statement; return the cursor wrapper."""
        cursor = connections[self.using].cursor()
        params = None if self.params is None else (
            dict(self.params) if isinstance(self.params, dict) else tuple(self.params))
        cursor.execute(self.sql, params)
        return cursor

    def __str__(self):
        params = self.params
        if params is None:
            return self.sql
        return self.sql % (dict(params) if isinstance(params, dict) else tuple(params))

    def __repr__(self):
        return "<%s: %s>" % (self.__class__.__name__, self)


class RawQuerySet:
    """Iterate model instances built from the rows of a raw SQL query."""

    def __init__(self, raw_query, model=None, query=None, params=(), translations=None, using=None, hints=None):
        self.raw_query = raw_query
        self.model = model
        self._db = using
        self._hints = hints or {}
        self.query = query or RawQuery(sql=raw_query, using=self.db, params=params)
        self.params = params
        self.translations = translations or {}
        self._result_cache = None
        self._prefetch_related_lookups = ()
        self._prefetch_done = False

    @property
    def db(self):
        """The database alias used: ``using()``'s, else the routers' choice for reading."""
        return self._db or router.db_for_read(self.model, **self._hints)

    def using(self, alias):
        """The same raw query on another database."""
        return RawQuerySet(self.raw_query, model=self.model, query=self.query.chain(using=alias), params=self.params,
                           translations=self.translations, using=alias)

    def prefetch_related(self, *lookups):
        """Prefetch relations of the returned instances."""
        clone = self._clone()
        clone._prefetch_related_lookups = () if lookups == (None,) else clone._prefetch_related_lookups + lookups
        return clone

    def _clone(self):
        clone = RawQuerySet(self.raw_query, model=self.model, query=self.query, params=self.params,
                            translations=self.translations, using=self._db, hints=self._hints)
        clone._prefetch_related_lookups = self._prefetch_related_lookups[:]
        return clone

    def __len__(self):
        self._fetch_all()
        return len(self._result_cache)

    def __bool__(self):
        self._fetch_all()
        return bool(self._result_cache)

    def __iter__(self):
        self._fetch_all()
        return iter(self._result_cache)

    def __aiter__(self):
        async def generator():
            await run_sync(self._fetch_all)
            for item in self._result_cache:
                yield item

        return generator()

    def __getitem__(self, k):
        return list(self)[k]

    def __repr__(self):
        return "<%s: %s>" % (self.__class__.__name__, self.query)

    def iterator(self):
        """Stream instances without caching them."""
        yield from self._iterate()

    def _fetch_all(self):
        if self._result_cache is None:
            self._result_cache = list(self._iterate())
        if self._prefetch_related_lookups and not self._prefetch_done:
            from ormlette.db.models.query.prefetch import prefetch_related_objects

            prefetch_related_objects(self._result_cache, *self._prefetch_related_lookups)
            self._prefetch_done = True

    @property
    def columns(self):
        """The query's column names, after translations."""
        cursor = self.query.execute()
        try:
            return self._translated(cursor.description)
        finally:
            cursor.close()

    @property
    def model_fields(self):
        """{column name: field} for the model's concrete fields."""
        return {field.column: field for field in self.model._meta.fields}

    def _translated(self, description):
        names = [column[0] for column in description]
        return [self.translations.get(name, name) for name in names]

    def _iterate(self):
        cursor = self.query.execute()
        try:
            plan = _RowPlan(self.model, self._translated(cursor.description), connections[self.db])
            for row in cursor.fetchall():
                yield plan.build(row, self.db)
        finally:
            cursor.close()


class _RowPlan:
    """How a row's positions map onto the model's fields and extra attributes."""

    def __init__(self, model, columns, connection):
        self.model = model
        opts = model._meta
        by_name = {field.column: field for field in opts.concrete_fields}
        self.fields = []  # (position, field, converters)
        self.extras = []  # (position, name)
        seen = set()
        for position, name in enumerate(columns):
            field = by_name.get(name)
            if field is None or field in seen:
                self.extras.append((position, name))
            else:
                seen.add(field)
                self.fields.append((position, field, field.get_db_converters(connection)))
        if opts.pk not in seen:
            raise FieldDoesNotExist("Raw query must include the primary key")

    def build(self, row, db):
        """A model instance (missing fields deferred) with extra columns as attributes."""
        names, values = [], []
        for position, field, converters in self.fields:
            value = row[position]
            for converter in converters:
                value = converter(value)
            names.append(field.attname)
            values.append(value)
        obj = self.model.from_db(db, names, values)
        for position, name in self.extras:
            setattr(obj, name, row[position])
        return obj
