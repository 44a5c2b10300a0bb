"""Peewee (models bound to one Database; its own connection)."""
from bench.contenders import Contender


def define_models(pw, database):
    """Peewee models mapped onto the bench_* tables."""

    class Base(pw.Model):
        class Meta:
            pass

    Base._meta.database = database

    def make(name, table, fields):
        meta = type("Meta", (), {"table_name": table, "database": database})
        return type(name, (pw.Model,), dict(fields, Meta=meta))

    customer = make("Customer", "bench_customer", {
        "name": pw.CharField(max_length=255), "email": pw.CharField(max_length=254),
        "created_at": pw.DateTimeField()})
    product = make("Product", "bench_product", {
        "name": pw.CharField(max_length=255), "price": pw.DecimalField(max_digits=10, decimal_places=2),
        "stock": pw.IntegerField()})
    order = make("Order", "bench_order", {
        "customer": pw.ForeignKeyField(customer, backref="orders"), "status": pw.CharField(max_length=20),
        "created_at": pw.DateTimeField()})
    item = make("OrderItem", "bench_orderitem", {
        "order": pw.ForeignKeyField(order, backref="items"), "product": pw.ForeignKeyField(product, backref="order_items"),
        "quantity": pw.IntegerField(), "price": pw.DecimalField(max_digits=10, decimal_places=2)})
    big = make("BigItem", "bench_bigitem", {
        "order_id": pw.BigIntegerField(), "product_id": pw.BigIntegerField(), "quantity": pw.IntegerField(),
        "price": pw.DecimalField(max_digits=10, decimal_places=2)})
    return customer, product, order, item, big


def _mysql_database(pw):
    """pw.MySQLDatabase on the driver ormlette uses (peewee picks PyMySQL first when both are installed)."""
    from bench.config import mysql_driver

    driver = mysql_driver()

    class MySQLDatabase(pw.MySQLDatabase):
        def _connect(self):
            return driver.connect(database=self.database, autocommit=True, **self.connect_params)

    return MySQLDatabase


class Peewee(Contender):
    """Peewee's documented idioms for each workload."""

    name = "peewee"

    def open(self):
        import peewee as pw

        db = self.db
        if self.vendor == "sqlite":
            self.database = pw.SqliteDatabase(db["NAME"])
        elif self.vendor == "postgresql":
            self.database = pw.PostgresqlDatabase(db["NAME"], host=db["HOST"], port=db["PORT"], user=db["USER"],
                                                  password=db["PASSWORD"] or None, prefer_psycopg3=True)
        else:
            self.database = _mysql_database(pw)(db["NAME"], host=db["HOST"], port=db["PORT"], user=db["USER"],
                                                password=db["PASSWORD"], charset="utf8mb4")
        self.pw = pw
        self.Customer, self.Product, self.Order, self.OrderItem, self.BigItem = define_models(pw, self.database)
        self.database.connect()
        # SQLite's parameter limit on old builds is 999; 4 fields x 200 rows stays under it.
        self.batch = 200 if self.vendor == "sqlite" else 1000

    def close(self):
        self.database.close()

    def get_by_pk(self, ids):
        get = self.Order.get_by_id
        return [get(pk) for pk in ids]

    def filter_slice(self, pairs):
        Order = self.Order
        return [list(Order.select().where((Order.status == s) & (Order.customer <= c))
                     .order_by(Order.created_at.desc()).limit(20)) for s, c in pairs]

    def orders(self):
        return list(self.Order.select())

    def items_values_list(self):
        t = self.OrderItem
        return list(t.select(t.id, t.order, t.product, t.quantity, t.price).tuples())

    def items_values(self):
        t = self.OrderItem
        return [{"id": r["id"], "order_id": r["order"], "product_id": r["product"], "quantity": r["quantity"],
                 "price": r["price"]} for r in t.select(t.id, t.order, t.product, t.quantity, t.price).dicts()]

    def select_related(self):
        Order, Customer = self.Order, self.Customer
        return list(Order.select(Order, Customer).join(Customer))

    def _prefetch(self, n, nested):
        Order = self.Order
        query = Order.select().where(Order.id <= n).order_by(Order.id)
        subqueries = [self.OrderItem.select(), self.Product.select()] if nested else [self.OrderItem.select()]
        orders = list(self.pw.prefetch(query, *subqueries))
        count = total = 0
        for o in orders:
            for i in o.items:
                count += 1
                total += i.product.stock if nested else i.quantity
        return (len(orders), count, total)

    def prefetch(self, n):
        return self._prefetch(n, False)

    def prefetch_nested(self, n):
        return self._prefetch(n, True)

    def group_by(self):
        Order, fn = self.Order, self.pw.fn
        return list(Order.select(Order.status, fn.COUNT(Order.id)).group_by(Order.status)
                    .order_by(Order.status).tuples())

    def aggregate(self):
        t, fn = self.OrderItem, self.pw.fn
        return t.select(fn.COUNT(t.id), fn.SUM(t.quantity), fn.MAX(t.price), fn.MIN(t.price)).tuples()[0]

    def exclude_in(self, ids):
        Order = self.Order
        return Order.select().where(Order.id.not_in(ids)).count()

    def exclude_multi(self, status):
        Customer, Order, pw = self.Customer, self.Order, self.pw
        returned = Order.select(Order.id).where((Order.customer == Customer.id) & (Order.status == status))
        return Customer.select().where(~pw.fn.EXISTS(returned)).count()

    def bulk_create(self, rows):
        item = self.OrderItem
        objs = [item(order=o, product=p, quantity=q, price=pr) for o, p, q, pr in rows]
        with self.database.atomic():
            item.bulk_create(objs, batch_size=self.batch)
        return len(objs)

    def update_f(self, n):
        t = self.OrderItem
        return t.update(quantity=t.quantity + 1).where(t.id <= n).execute()

    def bulk_update_load(self, n):
        t = self.OrderItem
        objs = list(t.select().where(t.id <= n))
        for o in objs:
            o.quantity += 1
        return (objs,)

    def bulk_update(self, objs):
        with self.database.atomic():
            self.OrderItem.bulk_update(objs, fields=["quantity"], batch_size=self.batch)
        return len(objs)

    def compile(self, pairs):
        Order = self.Order
        out = []
        for status, cid in pairs:
            query = (Order.select().where((Order.status == status) & (Order.customer == cid))
                     .order_by(Order.created_at.desc()).limit(20))
            out.append(query.sql())
        return out

    def create_many(self, rows):
        create = self.Customer.create
        with self.database.atomic():
            return [create(name=n, email=e, created_at=c) for n, e, c in rows]

    def iterate_big(self):
        count = total = 0
        for o in self.BigItem.select().iterator():
            count += 1
            total += o.quantity
        return (count, total)
