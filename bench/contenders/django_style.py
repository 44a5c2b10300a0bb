"""Workloads written once against the Django model API, run by Django 5.2 and by ormlette."""
from bench.contenders import Contender, NotAvailable

ITEM_FIELDS = ("id", "order_id", "product_id", "quantity", "price")


def define_models(models, label):
    """The benchmark models on ``models`` (django.db.models or ormlette.db.models), mapped to bench_* tables.

    Returns a namespace of model classes and whether relations (ForeignKey) are available.
    """
    has_fk = hasattr(models, "ForeignKey")

    def meta(table):
        return type("Meta", (), {"app_label": label, "db_table": table, "managed": False})

    def model(name, table, fields):
        attrs = dict(fields, __module__=__name__, Meta=meta(table))
        return type(name, (models.Model,), attrs)

    customer = model("Customer", "bench_customer", {
        "name": models.CharField(max_length=255), "email": models.EmailField(unique=True),
        "created_at": models.DateTimeField()})
    product = model("Product", "bench_product", {
        "name": models.CharField(max_length=255), "price": models.DecimalField(max_digits=10, decimal_places=2),
        "stock": models.PositiveIntegerField(default=0)})
    if has_fk:
        order_fk = {"customer": models.ForeignKey(customer, on_delete=models.CASCADE, related_name="orders")}
    else:
        order_fk = {"customer_id": models.BigIntegerField()}
    order = model("Order", "bench_order", dict(order_fk, **{
        "status": models.CharField(max_length=20, default="pending"), "created_at": models.DateTimeField()}))
    item_fields = {"quantity": models.PositiveIntegerField(),
                   "price": models.DecimalField(max_digits=10, decimal_places=2)}
    if has_fk:
        item_fk = {"order": models.ForeignKey(order, on_delete=models.CASCADE, related_name="items"),
                   "product": models.ForeignKey(product, on_delete=models.PROTECT, related_name="order_items")}
    else:
        item_fk = {"order_id": models.BigIntegerField(), "product_id": models.BigIntegerField()}
    item = model("OrderItem", "bench_orderitem", dict(item_fk, **item_fields))
    big = model("BigItem", "bench_bigitem", {
        "order_id": models.BigIntegerField(), "product_id": models.BigIntegerField(),
        "quantity": models.PositiveIntegerField(), "price": models.DecimalField(max_digits=10, decimal_places=2)})
    ns = type("BenchModels", (), {})()
    ns.Customer, ns.Product, ns.Order, ns.OrderItem, ns.BigItem = customer, product, order, item, big
    ns.has_fk = has_fk
    return ns


class DjangoStyle(Contender):
    """The workloads in Django's API; subclasses set up the framework and fill m, models, atomic."""

    def relations(self):
        """Fail with a reason when the framework has no ForeignKey yet."""
        if not self.m.has_fk:
            raise NotAvailable("no ForeignKey in %s yet" % self.name)

    def get_by_pk(self, ids):
        get = self.m.Order.objects.get
        return [get(pk=pk) for pk in ids]

    def filter_slice(self, pairs):
        objects = self.m.Order.objects
        return [list(objects.filter(status=s, customer_id__lte=c).order_by("-created_at")[:20]) for s, c in pairs]

    def orders(self):
        return list(self.m.Order.objects.all())

    def items_values_list(self):
        return list(self.m.OrderItem.objects.values_list(*ITEM_FIELDS))

    def items_values(self):
        return list(self.m.OrderItem.objects.values(*ITEM_FIELDS))

    def select_related(self):
        self.relations()
        return list(self.m.Order.objects.select_related("customer"))

    def prefetch(self, n):
        self.relations()
        orders = list(self.m.Order.objects.filter(id__lte=n).order_by("id").prefetch_related("items"))
        count = total = 0
        for o in orders:
            for i in o.items.all():
                count += 1
                total += i.quantity
        return (len(orders), count, total)

    def prefetch_nested(self, n):
        self.relations()
        orders = list(self.m.Order.objects.filter(id__lte=n).order_by("id").prefetch_related("items__product"))
        count = total = 0
        for o in orders:
            for i in o.items.all():
                count += 1
                total += i.product.stock
        return (len(orders), count, total)

    def group_by(self):
        return list(self.m.Order.objects.values("status").annotate(n=self.models.Count("id")).order_by("status"))

    def aggregate(self):
        md = self.models
        return self.m.OrderItem.objects.aggregate(
            n=md.Count("id"), q=md.Sum("quantity"), mx=md.Max("price"), mn=md.Min("price"))

    def exclude_in(self, ids):
        return self.m.Order.objects.exclude(id__in=ids).count()

    def exclude_multi(self, status):
        self.relations()
        return self.m.Customer.objects.exclude(orders__status=status).count()

    def bulk_create(self, rows):
        item = self.m.OrderItem
        objs = [item(order_id=o, product_id=p, quantity=q, price=pr) for o, p, q, pr in rows]
        item.objects.bulk_create(objs)
        return len(objs)

    def update_f(self, n):
        return self.m.OrderItem.objects.filter(id__lte=n).update(quantity=self.models.F("quantity") + 1)

    def bulk_update_load(self, n):
        objs = list(self.m.OrderItem.objects.filter(id__lte=n))
        for o in objs:
            o.quantity += 1
        return (objs,)

    def bulk_update(self, objs):
        self.m.OrderItem.objects.bulk_update(objs, ["quantity"])
        return len(objs)

    def compile(self, pairs):
        objects = self.m.Order.objects
        out = []
        for status, cid in pairs:
            qs = objects.filter(status=status, customer_id=cid).order_by("-created_at")[:20]
            out.append(qs.query.sql_with_params())
        return out

    def create_many(self, rows):
        create = self.m.Customer.objects.create
        with self.atomic():
            return [create(name=n, email=e, created_at=c) for n, e, c in rows]

    def iterate_big(self):
        count = total = 0
        for o in self.m.BigItem.objects.iterator(chunk_size=2000):
            count += 1
            total += o.quantity
        return (count, total)


def database_settings(vendor, db, engines):
    """A DATABASES['default'] dict for ``db`` with the framework's ENGINE."""
    out = {"ENGINE": engines[vendor], "NAME": db["NAME"]}
    for key in ("HOST", "PORT", "USER", "PASSWORD"):
        if key in db:
            out[key] = db[key]
    return out
