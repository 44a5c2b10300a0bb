"""The raw DB-API drivers (the one ormlette uses per backend): plain tuples, minimal objects, PostgreSQL COPY."""
import datetime
import decimal
from contextlib import contextmanager

from bench.contenders import Contender, NotAvailable
from bench.schema import connect, db_value, sql

ORDER_SELECT = "SELECT id, customer_id, status, created_at FROM bench_order"
ITEM_SELECT = "SELECT id, order_id, product_id, quantity, price FROM bench_orderitem"
JOIN_SELECT = ("SELECT o.id, o.customer_id, o.status, o.created_at, c.id, c.name, c.email, c.created_at "
               "FROM bench_order o INNER JOIN bench_customer c ON c.id = o.customer_id")
INSERT_ITEM = "INSERT INTO bench_orderitem (order_id, product_id, quantity, price) VALUES (%s, %s, %s, %s)"
INSERT_CUSTOMER = "INSERT INTO bench_customer (name, email, created_at) VALUES (%s, %s, %s)"


class Raw(Contender):
    """The bare driver returning tuples (no conversion beyond what the driver does)."""

    name = "raw"

    def open(self):
        self.conn = connect(self.vendor, self.db)

    def close(self):
        self.conn.close()

    def q(self, text):
        """``text`` in the driver's paramstyle."""
        return sql(self.vendor, text)

    @contextmanager
    def transaction(self):
        """One transaction (the connection is otherwise in autocommit)."""
        if self.vendor == "postgresql":
            with self.conn.transaction():
                yield
            return
        cur = self.conn.cursor()
        cur.execute("BEGIN")
        try:
            yield
        except BaseException:
            cur.execute("ROLLBACK")
            raise
        cur.execute("COMMIT")

    def all_rows(self, text, params=()):
        """fetchall() of one statement."""
        cur = self.conn.cursor()
        cur.execute(self.q(text), params)
        rows = cur.fetchall()
        cur.close()
        return rows

    # row shaping (overridden by RawObjects)
    def order(self, row):
        return row

    def item(self, row):
        return row

    def joined(self, row):
        return row

    # --- workloads -----------------------------------------------------------------------
    def get_by_pk(self, ids):
        cur = self.conn.cursor()
        text = self.q(ORDER_SELECT + " WHERE id = %s")
        out = []
        for pk in ids:
            cur.execute(text, (pk,))
            out.append(self.order(cur.fetchone()))
        return out

    def filter_slice(self, pairs):
        cur = self.conn.cursor()
        text = self.q(ORDER_SELECT + " WHERE status = %s AND customer_id <= %s ORDER BY created_at DESC LIMIT 20")
        order = self.order
        out = []
        for status, cid in pairs:
            cur.execute(text, (status, cid))
            out.append([order(r) for r in cur.fetchall()])
        return out

    def orders(self):
        return list(map(self.order, self.all_rows(ORDER_SELECT)))

    def items_values_list(self):
        return list(map(self.item, self.all_rows(ITEM_SELECT)))

    def items_values(self):
        return self.items_values_list()

    def select_related(self):
        return list(map(self.joined, self.all_rows(JOIN_SELECT)))

    def _children(self, parents, text, key):
        """{parent key: [child rows]} of one IN query."""
        ids = list(parents)
        rows = self.all_rows(text % ", ".join(["%s"] * len(ids)), ids) if ids else []
        grouped = {}
        for row in rows:
            grouped.setdefault(row[key], []).append(row)
        return grouped

    def prefetch(self, n):
        orders = self.all_rows(ORDER_SELECT + " WHERE id <= %s ORDER BY id", (n,))
        items = self._children({o[0] for o in orders}, ITEM_SELECT + " WHERE order_id IN (%s)", 1)
        count = total = 0
        for o in orders:
            for i in items.get(o[0], ()):
                count += 1
                total += i[3]
        return (len(orders), count, total)

    def prefetch_nested(self, n):
        orders = self.all_rows(ORDER_SELECT + " WHERE id <= %s ORDER BY id", (n,))
        items = self._children({o[0] for o in orders}, ITEM_SELECT + " WHERE order_id IN (%s)", 1)
        product_ids = {i[2] for rows in items.values() for i in rows}
        products = {p[0]: p for p in self.all_rows(
            "SELECT id, name, price, stock FROM bench_product WHERE id IN (%s)"
            % ", ".join(["%s"] * len(product_ids)), list(product_ids))} if product_ids else {}
        count = stock = 0
        for o in orders:
            for i in items.get(o[0], ()):
                count += 1
                stock += products[i[2]][3]
        return (len(orders), count, stock)

    def group_by(self):
        return self.all_rows("SELECT status, COUNT(id) FROM bench_order GROUP BY status ORDER BY status")

    def aggregate(self):
        return self.all_rows("SELECT COUNT(id), SUM(quantity), MAX(price), MIN(price) FROM bench_orderitem")[0]

    def exclude_in(self, ids):
        if self.vendor == "postgresql":
            return self.all_rows("SELECT COUNT(*) FROM bench_order WHERE NOT (id = ANY(%s::int8[]))", (ids,))[0][0]
        marks = ", ".join(["%s"] * len(ids))
        return self.all_rows("SELECT COUNT(*) FROM bench_order WHERE NOT (id IN (%s))" % marks, ids)[0][0]

    def exclude_multi(self, status):
        return self.all_rows("SELECT COUNT(*) FROM bench_customer c WHERE NOT EXISTS (SELECT 1 FROM bench_order o "
                             "WHERE o.customer_id = c.id AND o.status = %s LIMIT 1)", (status,))[0][0]

    def bulk_create(self, rows):
        vendor = self.vendor
        if vendor == "sqlite":
            rows = [(o, p, q, str(price)) for o, p, q, price in rows]
        with self.transaction():
            cur = self.conn.cursor()
            cur.executemany(self.q(INSERT_ITEM), rows)
        return len(rows)

    def update_f(self, n):
        with self.transaction():
            cur = self.conn.cursor()
            cur.execute(self.q("UPDATE bench_orderitem SET quantity = quantity + 1 WHERE id <= %s"), (n,))
            return cur.rowcount

    def bulk_update_load(self, n):
        rows = self.all_rows("SELECT id, quantity FROM bench_orderitem WHERE id <= %s", (n,))
        return ([(q + 1, pk) for pk, q in rows],)

    def bulk_update(self, pairs):
        with self.transaction():
            self.conn.cursor().executemany(self.q("UPDATE bench_orderitem SET quantity = %s WHERE id = %s"), pairs)
        return len(pairs)

    def compile(self, pairs):
        raise NotAvailable("a raw driver has no query to build")

    def create_many(self, rows):
        vendor = self.vendor
        ids = []
        with self.transaction():
            cur = self.conn.cursor()
            if vendor == "postgresql":
                text = INSERT_CUSTOMER + " RETURNING id"
                for row in rows:
                    cur.execute(text, row)
                    ids.append(cur.fetchone()[0])
            else:
                text = self.q(INSERT_CUSTOMER)
                for name, email, created in rows:
                    cur.execute(text, (name, email, db_value(vendor, created)))
                    ids.append(cur.lastrowid)
        return ids

    def iterate_big(self):
        count = total = 0
        for row in self._stream("SELECT id, order_id, product_id, quantity, price FROM bench_bigitem"):
            row = self.item(row)
            count += 1
            total += row[3] if isinstance(row, tuple) else row.quantity
        return (count, total)

    def _stream(self, text):
        """Rows of ``text`` without holding the whole result (server-side cursor where there is one)."""
        if self.vendor == "postgresql":
            with self.conn.transaction():
                cur = self.conn.cursor(name="bench_stream")
                cur.itersize = 2000
                cur.execute(text)
                yield from cur
                cur.close()
            return
        if self.vendor == "mysql":
            from bench.config import mysql_driver

            cur = self.conn.cursor(mysql_driver().cursors.SSCursor)
        else:
            cur = self.conn.cursor()
        cur.execute(text)
        while True:
            rows = cur.fetchmany(2000)
            if not rows:
                break
            yield from rows
        cur.close()


UTC = datetime.timezone.utc
CENTS = decimal.Decimal("0.01")
_from_float = decimal.Context(prec=15).create_decimal_from_float


class Order:
    """A minimal Order object."""

    __slots__ = ("id", "customer_id", "status", "created_at", "customer", "items")

    def __init__(self, id, customer_id, status, created_at):
        self.id = id
        self.customer_id = customer_id
        self.status = status
        self.created_at = created_at


class Customer:
    """A minimal Customer object."""

    __slots__ = ("id", "name", "email", "created_at")

    def __init__(self, id, name, email, created_at):
        self.id = id
        self.name = name
        self.email = email
        self.created_at = created_at


class Item:
    """A minimal OrderItem object."""

    __slots__ = ("id", "order_id", "product_id", "quantity", "price", "product")

    def __init__(self, id, order_id, product_id, quantity, price):
        self.id = id
        self.order_id = order_id
        self.product_id = product_id
        self.quantity = quantity
        self.price = price


def _converters(vendor):
    """(datetime converter, decimal converter) the driver's values need, None when none."""
    if vendor == "sqlite":
        def to_dt(value):
            return datetime.datetime.fromisoformat(value).replace(tzinfo=UTC)

        def to_dec(value):
            return _from_float(value).quantize(CENTS) if isinstance(value, float) else decimal.Decimal(value)
        return to_dt, to_dec
    if vendor == "mysql":
        return (lambda value: value.replace(tzinfo=UTC)), None
    return None, None


class RawObjects(Raw):
    """The bare driver, rows turned into minimal objects with the type conversion the ORMs do."""

    name = "raw_obj"

    def open(self):
        super().open()
        self.to_dt, self.to_dec = _converters(self.vendor)

    def order(self, row):
        to_dt = self.to_dt
        if to_dt is None:
            return Order(*row)
        return Order(row[0], row[1], row[2], to_dt(row[3]))

    def item(self, row):
        to_dec = self.to_dec
        if to_dec is None:
            return Item(*row)
        return Item(row[0], row[1], row[2], row[3], to_dec(row[4]))

    def items_values_list(self):
        to_dec = self.to_dec
        rows = self.all_rows(ITEM_SELECT)
        if to_dec is None:
            return rows
        return [(r[0], r[1], r[2], r[3], to_dec(r[4])) for r in rows]

    def items_values(self):
        names = ("id", "order_id", "product_id", "quantity", "price")
        return [dict(zip(names, r)) for r in self.items_values_list()]

    def joined(self, row):
        to_dt = self.to_dt
        if to_dt is None:
            order = Order(*row[:4])
            order.customer = Customer(*row[4:])
        else:
            order = Order(row[0], row[1], row[2], to_dt(row[3]))
            order.customer = Customer(row[4], row[5], row[6], to_dt(row[7]))
        return order

    def prefetch(self, n):
        return self._prefetch(n, nested=False)

    def prefetch_nested(self, n):
        return self._prefetch(n, nested=True)

    def _prefetch(self, n, nested):
        orders = self.orders_where("WHERE id <= %s ORDER BY id", (n,))
        by_id = {}
        for o in orders:
            o.items = []
            by_id[o.id] = o
        ids = list(by_id)
        items = [self.item(r) for r in self.all_rows(
            ITEM_SELECT + " WHERE order_id IN (%s)" % ", ".join(["%s"] * len(ids)), ids)] if ids else []
        for i in items:
            by_id[i.order_id].items.append(i)
        products = {}
        if nested and items:
            pids = list({i.product_id for i in items})
            for pk, name, price, stock in self.all_rows(
                    "SELECT id, name, price, stock FROM bench_product WHERE id IN (%s)"
                    % ", ".join(["%s"] * len(pids)), pids):
                products[pk] = (pk, name, self.to_dec(price) if self.to_dec else price, stock)
            for i in items:
                i.product = products[i.product_id]
        count = total = 0
        for o in orders:
            for i in o.items:
                count += 1
                total += i.product[3] if nested else i.quantity
        return (len(orders), count, total)

    def orders_where(self, where, params):
        """Order objects matching a WHERE clause."""
        return [self.order(r) for r in self.all_rows(ORDER_SELECT + " " + where, params)]

    def bulk_create(self, rows):
        objs = [Item(None, *row) for row in rows]
        vendor = self.vendor
        conv = str if vendor == "sqlite" else (lambda v: v)
        with self.transaction():
            self.conn.cursor().executemany(
                self.q(INSERT_ITEM), [(o.order_id, o.product_id, o.quantity, conv(o.price)) for o in objs])
        return len(objs)

    def create_many(self, rows):
        ids = Raw.create_many(self, rows)
        return [Customer(pk, *row) for pk, row in zip(ids, rows)]


class RawCopy(Contender):
    """PostgreSQL COPY FROM STDIN for the bulk load (W8) only."""

    name = "raw_copy"

    def open(self):
        if self.vendor != "postgresql":
            raise NotAvailable("COPY is PostgreSQL only")
        self.conn = connect(self.vendor, self.db)

    def close(self):
        self.conn.close()

    def bulk_create(self, rows):
        with self.conn.transaction():
            cur = self.conn.cursor()
            with cur.copy("COPY bench_orderitem (order_id, product_id, quantity, price) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        return len(rows)
