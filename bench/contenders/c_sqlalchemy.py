"""SQLAlchemy 2.x ORM (declarative models, Session; a fresh Session per run, like a request)."""
import datetime
import decimal

from bench.contenders import Contender

URLS = {"sqlite": "sqlite:///{NAME}", "postgresql": "postgresql+psycopg://{USER}:{PASSWORD}@{HOST}:{PORT}/{NAME}",
        "mysql": "mysql+{DRIVER}://{USER}:{PASSWORD}@{HOST}:{PORT}/{NAME}?charset=utf8mb4"}


def define_models():
    """Declarative classes mapped onto the bench_* tables."""
    from sqlalchemy import BigInteger, DateTime, ForeignKey, Integer, Numeric, String
    from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

    class Base(DeclarativeBase):
        pass

    class Customer(Base):
        __tablename__ = "bench_customer"
        id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
        name: Mapped[str] = mapped_column(String(255))
        email: Mapped[str] = mapped_column(String(254))
        created_at: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True))

    class Product(Base):
        __tablename__ = "bench_product"
        id: Mapped[int] = mapped_column(primary_key=True)
        name: Mapped[str] = mapped_column(String(255))
        price: Mapped[decimal.Decimal] = mapped_column(Numeric(10, 2))
        stock: Mapped[int] = mapped_column(Integer)

    class Order(Base):
        __tablename__ = "bench_order"
        id: Mapped[int] = mapped_column(primary_key=True)
        customer_id: Mapped[int] = mapped_column(ForeignKey("bench_customer.id"))
        status: Mapped[str] = mapped_column(String(20))
        created_at: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True))
        customer: Mapped[Customer] = relationship()
        items: Mapped[list["OrderItem"]] = relationship(back_populates="order")

    class OrderItem(Base):
        __tablename__ = "bench_orderitem"
        id: Mapped[int] = mapped_column(primary_key=True)
        order_id: Mapped[int] = mapped_column(ForeignKey("bench_order.id"))
        product_id: Mapped[int] = mapped_column(ForeignKey("bench_product.id"))
        quantity: Mapped[int] = mapped_column(Integer)
        price: Mapped[decimal.Decimal] = mapped_column(Numeric(10, 2))
        order: Mapped[Order] = relationship(back_populates="items")
        product: Mapped[Product] = relationship()

    class BigItem(Base):
        __tablename__ = "bench_bigitem"
        id: Mapped[int] = mapped_column(primary_key=True)
        order_id: Mapped[int] = mapped_column(BigInteger)
        product_id: Mapped[int] = mapped_column(BigInteger)
        quantity: Mapped[int] = mapped_column(Integer)
        price: Mapped[decimal.Decimal] = mapped_column(Numeric(10, 2))

    return Customer, Product, Order, OrderItem, BigItem


class SQLAlchemyORM(Contender):
    """The ORM layer of SQLAlchemy 2.x, written the way its documentation recommends."""

    name = "sqlalchemy"

    def open(self):
        import sqlalchemy as sa
        from sqlalchemy.orm import Session

        params = dict(self.db)
        params.setdefault("PASSWORD", "")
        if self.vendor == "mysql":
            from bench.config import mysql_driver

            params["DRIVER"] = mysql_driver().__name__.lower()  # mysqldb or pymysql: the driver ormlette uses
        self.engine = sa.create_engine(URLS[self.vendor].format(**params))
        self.sa = sa
        self.Session = Session
        self.Customer, self.Product, self.Order, self.OrderItem, self.BigItem = define_models()

    def close(self):
        self.engine.dispose()

    def session(self):
        """A new Session (the identity map must not answer for the database)."""
        return self.Session(self.engine, expire_on_commit=False)

    def get_by_pk(self, ids):
        with self.session() as s:
            return [s.get(self.Order, pk) for pk in ids]

    def filter_slice(self, pairs):
        sa, Order = self.sa, self.Order
        out = []
        with self.session() as s:
            for status, cid in pairs:
                stmt = (sa.select(Order).where(Order.status == status, Order.customer_id <= cid)
                        .order_by(Order.created_at.desc()).limit(20))
                out.append(list(s.scalars(stmt)))
        return out

    def orders(self):
        with self.session() as s:
            return list(s.scalars(self.sa.select(self.Order)))

    def items_values_list(self):
        t = self.OrderItem
        with self.session() as s:
            return [tuple(r) for r in s.execute(self.sa.select(t.id, t.order_id, t.product_id, t.quantity, t.price))]

    def items_values(self):
        t = self.OrderItem
        with self.session() as s:
            return [dict(r._mapping) for r in s.execute(
                self.sa.select(t.id, t.order_id, t.product_id, t.quantity, t.price))]

    def select_related(self):
        from sqlalchemy.orm import joinedload

        with self.session() as s:
            return list(s.scalars(self.sa.select(self.Order).options(joinedload(self.Order.customer, innerjoin=True))))

    def _prefetch(self, n, nested):
        from sqlalchemy.orm import selectinload

        Order = self.Order
        option = selectinload(Order.items)
        if nested:
            option = option.selectinload(self.OrderItem.product)
        with self.session() as s:
            orders = list(s.scalars(self.sa.select(Order).where(Order.id <= n).order_by(Order.id).options(option)))
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
        sa, Order = self.sa, self.Order
        with self.session() as s:
            return [tuple(r) for r in s.execute(
                sa.select(Order.status, sa.func.count(Order.id)).group_by(Order.status).order_by(Order.status))]

    def aggregate(self):
        sa, t = self.sa, self.OrderItem
        with self.session() as s:
            return tuple(s.execute(sa.select(sa.func.count(t.id), sa.func.sum(t.quantity), sa.func.max(t.price),
                                             sa.func.min(t.price))).one())

    def exclude_in(self, ids):
        sa, Order = self.sa, self.Order
        with self.session() as s:
            return s.scalar(sa.select(sa.func.count()).select_from(Order).where(Order.id.not_in(ids)))

    def exclude_multi(self, status):
        sa, Customer, Order = self.sa, self.Customer, self.Order
        with self.session() as s:
            returned = sa.select(Order.id).where(Order.customer_id == Customer.id, Order.status == status)
            return s.scalar(sa.select(sa.func.count()).select_from(Customer).where(~returned.exists()))

    def bulk_create(self, rows):
        with self.session() as s:
            s.execute(self.sa.insert(self.OrderItem), [
                {"order_id": o, "product_id": p, "quantity": q, "price": pr} for o, p, q, pr in rows])
            s.commit()
        return len(rows)

    def update_f(self, n):
        t = self.OrderItem
        with self.session() as s:
            result = s.execute(self.sa.update(t).where(t.id <= n).values(quantity=t.quantity + 1))
            s.commit()
            return result.rowcount

    def bulk_update_load(self, n):
        t = self.OrderItem
        with self.session() as s:
            objs = list(s.scalars(self.sa.select(t).where(t.id <= n)))
        for o in objs:
            o.quantity += 1
        return (objs,)

    def bulk_update(self, objs):
        with self.session() as s:
            s.execute(self.sa.update(self.OrderItem), [{"id": o.id, "quantity": o.quantity} for o in objs])
            s.commit()
        return len(objs)

    def compile(self, pairs):
        sa, Order, dialect = self.sa, self.Order, self.engine.dialect
        out = []
        for status, cid in pairs:
            stmt = (sa.select(Order).where(Order.status == status, Order.customer_id == cid)
                    .order_by(Order.created_at.desc()).limit(20))
            compiled = stmt.compile(dialect=dialect)
            out.append((str(compiled), list(compiled.params.values())))
        return out

    def create_many(self, rows):
        Customer = self.Customer
        out = []
        with self.session() as s:
            for name, email, created in rows:
                obj = Customer(name=name, email=email, created_at=created)
                s.add(obj)
                s.flush()  # create() semantics: the row exists (and has its pk) right away
                out.append(obj)
            s.commit()
        return out

    def iterate_big(self):
        count = total = 0
        with self.session() as s:
            for o in s.scalars(self.sa.select(self.BigItem).execution_options(yield_per=2000)):
                count += 1
                total += o.quantity
        return (count, total)
