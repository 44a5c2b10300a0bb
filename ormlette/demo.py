"""The seeds' e-commerce example on the default SQLite file: ``python -m ormlette.demo``."""
import datetime
import decimal
import random

from ormlette.db import connection, models, transaction
from ormlette.db.models import (
    Avg, Count, DecimalField, Exists, ExpressionWrapper, F, Max, OuterRef, Prefetch, Q, Subquery, Sum,
)
from ormlette.db.models.functions import TruncMonth
from ormlette.test.utils import CaptureQueriesContext
from ormlette.utils import timezone


class Customer(models.Model):
    """A shop customer."""

    name = models.CharField(max_length=255)
    email = models.EmailField(unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "orders"

    def __str__(self):
        return self.name


class Product(models.Model):
    """Something to sell."""

    name = models.CharField(max_length=255)
    price = models.DecimalField(max_digits=10, decimal_places=2)
    stock = models.PositiveIntegerField(default=0)

    class Meta:
        app_label = "orders"

    def __str__(self):
        return self.name


class Order(models.Model):
    """A customer's order."""

    class Status(models.TextChoices):
        PENDING = "pending"
        PAID = "paid"
        SHIPPED = "shipped"
        RETURNED = "returned"

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="orders")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "orders"


class OrderItem(models.Model):
    """One line of an order."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="items")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="order_items")
    quantity = models.PositiveIntegerField()
    price = models.DecimalField(max_digits=10, decimal_places=2)

    class Meta:
        app_label = "orders"


MODELS = (Customer, Product, Order, OrderItem)


def reset_tables():
    """Drop and create the demo tables."""
    with connection.schema_editor() as editor:
        for model in reversed(MODELS):
            editor.delete_model(model)
        for model in MODELS:
            editor.create_model(model)


def load_sample_data(seed=7):
    """20 customers, 12 products, 200 orders with items, spread over a year."""
    rng = random.Random(seed)
    with transaction.atomic():
        customers = Customer.objects.bulk_create(
            [Customer(name="Customer %02d" % i, email="c%02d@example.com" % i) for i in range(20)])
        products = Product.objects.bulk_create(
            [Product(name="Product %02d" % i, price=decimal.Decimal(rng.randint(500, 9999)) / 100,
                     stock=rng.randint(0, 50)) for i in range(12)])
        start = timezone.now() - datetime.timedelta(days=365)
        statuses = [s for s, _ in Order.Status.choices]
        orders = Order.objects.bulk_create(
            [Order(customer=rng.choice(customers), status=rng.choice(statuses)) for _ in range(200)])
        for order in orders:
            Order.objects.filter(pk=order.pk).update(created_at=start + datetime.timedelta(days=rng.randint(0, 364)))
        items = []
        for order in orders:
            for product in rng.sample(products, rng.randint(1, 4)):
                items.append(OrderItem(order=order, product=product, quantity=rng.randint(1, 5), price=product.price))
        OrderItem.objects.bulk_create(items)


STEPS = []


def section(title, func):
    """Run one demo step and print its result with the number of queries it took."""
    STEPS.append(title)
    with CaptureQueriesContext(connection) as queries:
        result = func()
    print("\n== %s  [%d quer%s]" % (title, len(queries), "y" if len(queries) == 1 else "ies"))
    print(result)
    return len(queries)


def line_total():
    """quantity * price as a Decimal expression."""
    return ExpressionWrapper(F("quantity") * F("price"), output_field=DecimalField(max_digits=12, decimal_places=2))


def run_queries():
    """The seeds' queries; returns the total number of queries."""
    total = 0
    total += section("Total revenue from paid orders", lambda: OrderItem.objects.filter(
        order__status="paid").aggregate(total_revenue=Sum(F("quantity") * F("price"))))
    total += section("Order statistics in one query", lambda: Order.objects.aggregate(
        total_orders=Count("id"), avg_value=Avg("items__price"), max_value=Max("items__price")))
    total += section("Customers with order counts (first 5)", lambda: [
        (c.name, c.order_count) for c in Customer.objects.annotate(order_count=Count("orders")).order_by("name")[:5]])
    total += section("Big orders (total > 500, top 5)", lambda: [
        (o.pk, o.total_value) for o in Order.objects.annotate(total_value=Sum(ExpressionWrapper(
            F("items__quantity") * F("items__price"), output_field=DecimalField())))
        .filter(total_value__gt=500).order_by("-total_value")[:5]])
    total += section("Revenue per product (paid, top 3)", lambda: list(
        OrderItem.objects.filter(order__status="paid").values("product__name")
        .annotate(total_qty=Sum("quantity"), total_revenue=Sum(line_total())).order_by("-total_revenue")[:3]))
    total += section("Paid orders per month", lambda: [
        (row["month"].strftime("%Y-%m"), row["order_count"]) for row in
        Order.objects.filter(status="paid").annotate(month=TruncMonth("created_at")).values("month")
        .annotate(order_count=Count("id")).order_by("month")])
    total += section("Atomic stock decrement with F()", lambda: (
        Product.objects.filter(pk=1, stock__gte=1).update(stock=F("stock") - 1),
        Product.objects.get(pk=1).stock))
    stale_cutoff = timezone.now() - datetime.timedelta(days=7)
    total += section("Returned, or pending for more than 7 days", lambda: Order.objects.filter(
        Q(status="returned") | Q(status="pending", created_at__lt=stale_cutoff)).count())
    total += section("Products low on stock or never ordered", lambda: list(Product.objects.filter(
        Q(stock__lt=10) | ~Q(order_items__isnull=False)).distinct().order_by("name").values_list("name", flat=True)))
    latest_order = Order.objects.filter(customer=OuterRef("pk")).order_by("-created_at").values("created_at")[:1]
    total += section("Latest order date per customer (first 3)", lambda: [
        (c.name, c.last_order_at.date().isoformat() if c.last_order_at else None)
        for c in Customer.objects.annotate(last_order_at=Subquery(latest_order)).order_by("name")[:3]])
    total += section("Customers with at least one paid order", lambda: Customer.objects.filter(
        Exists(Order.objects.filter(customer=OuterRef("pk"), status="paid"))).count())

    def prefetch_paid():
        paid_orders = Order.objects.filter(status="paid").select_related("customer").prefetch_related(
            Prefetch("items", queryset=OrderItem.objects.select_related("product")))
        customers = Customer.objects.order_by("name").prefetch_related(
            Prefetch("orders", queryset=paid_orders, to_attr="paid_orders"))
        lines = 0
        for customer in customers:
            for order in customer.paid_orders:
                lines += len([item.product.name for item in order.items.all()])
        return "%d item lines over %d customers, no per-row queries" % (lines, len(customers))

    total += section("Prefetch(queryset=..., to_attr=...)", prefetch_paid)
    total += section("values() with a join (first 2)", lambda: list(
        Order.objects.filter(status="paid").order_by("id").values("id", "status", "customer__email")[:2]))
    total += section("only(): instances with two fields", lambda: [
        (o.id, o.status) for o in Order.objects.only("id", "status").order_by("id")[:3]])
    return total


def main():
    """Create the tables, load data, run the seed queries and print results."""
    print("ormlette demo on %s (%s)" % (connection.settings_dict["NAME"], connection.vendor))
    reset_tables()
    load_sample_data()
    print("loaded %d customers, %d products, %d orders, %d order items" % (
        Customer.objects.count(), Product.objects.count(), Order.objects.count(), OrderItem.objects.count()))
    total = run_queries()
    print("\n%d queries in total for %d demo steps" % (total, len(STEPS)))


if __name__ == "__main__":
    main()
