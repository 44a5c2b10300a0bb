"""Model source (Django spelling) and data shared by the seed differential tests."""
import textwrap

SOURCE = textwrap.dedent('''
    import datetime as dt
    from decimal import Decimal

    from django.db import models


    def at(*parts):
        """A fixed aware UTC datetime."""
        return dt.datetime(*parts, tzinfo=dt.timezone.utc)


    class Customer(models.Model):
        name = models.CharField(max_length=255)
        email = models.EmailField(unique=True)
        created_at = models.DateTimeField(auto_now_add=True)


    class Product(models.Model):
        name = models.CharField(max_length=255)
        price = models.DecimalField(max_digits=10, decimal_places=2)
        stock = models.PositiveIntegerField(default=0)


    class Order(models.Model):
        class Status(models.TextChoices):
            PENDING  = "pending"
            PAID     = "paid"
            SHIPPED  = "shipped"
            RETURNED = "returned"

        customer   = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="orders")
        status     = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
        created_at = models.DateTimeField(auto_now_add=True)


    class OrderItem(models.Model):
        order    = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="items")
        product  = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="order_items")
        quantity = models.PositiveIntegerField()
        price    = models.DecimalField(max_digits=10, decimal_places=2)  # price at time of purchase


    class Author(models.Model):
        name = models.CharField(max_length=100)
        joined_date = models.DateField()


    class Book(models.Model):
        title = models.CharField(max_length=200)
        author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name='books')
        price = models.DecimalField(max_digits=6, decimal_places=2)
        sales_count = models.IntegerField(default=0)
        stock_level = models.IntegerField(default=0)
        is_published = models.BooleanField(default=True)


    class Tag(models.Model):
        name = models.CharField(max_length=30)


    class Post(models.Model):
        """The blog post of seeds 001/003 (fields gathered from their examples)."""
        title = models.CharField(max_length=100)
        body = models.TextField(default="")
        body_length = models.IntegerField(default=0)
        author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="posts")
        published_at = models.DateTimeField(null=True)
        updated_at = models.DateTimeField(null=True)
        view_count = models.IntegerField(default=0)
        views = models.IntegerField(default=0)
        likes = models.IntegerField(default=0)
        comments = models.IntegerField(default=0)
        featured = models.BooleanField(default=False)
        published = models.BooleanField(default=False)
        tags = models.ManyToManyField(Tag, related_name="posts")
''')

ORDERS = [
    # customer, status, created_at, [(product, quantity, price)]
    ("alice", "paid", (2025, 1, 15, 10, 0), [("dune", 2, "9.00"), ("desk", 2, "260.00")]),
    ("alice", "pending", (2025, 1, 20, 8, 30), [("pen", 3, "1.00")]),
    ("bob", "paid", (2025, 2, 3, 12, 0), [("lamp", 1, "45.00"), ("pen", 10, "1.20")]),
    ("bob", "returned", (2025, 3, 11, 9, 0), [("dune", 1, "9.50")]),
    ("alice", "shipped", (2024, 12, 30, 23, 30), [("lamp", 4, "40.00")]),
    ("bob", "pending", (2025, 3, 28, 16, 45), []),
    ("alice", "paid", (2025, 3, 5, 7, 15), [("desk", 1, "250.00"), ("pen", 7, "1.10")]),
]

BOOKS = [
    # title, author, price, sales_count, stock_level, is_published
    ("Fantasy Realm", "Asha", "19.99", 150, 20, True),
    ("Django ORM", "Asha", "49.99", 80, 0, True),
    ("Draft Fantasy", "Ravi", "12.00", 0, 5, False),
    ("Cooking", "Ravi", "25.50", 300, 100, True),
    ("Poems", "Bob", "9.99", 40, 10, True),
]

POSTS = [
    # title, author, body_length, published_at, updated_at, view_count, views, likes, comments, featured,
    # published, tags
    ("ORM tips", "Asha", 1200, (2024, 5, 1), (2024, 6, 1), 10, 1500, 30, 5, False, True, ["python"]),
    ("SQL joins", "Ravi", 800, (2024, 7, 10), (2024, 7, 10), 4, 200, 3, 9, True, True, ["db", "python"]),
    ("Draft", "Asha", 300, None, (2024, 8, 1), 0, 0, 0, 0, False, False, []),
    ("Python async", "Ravi", 2000, (2025, 1, 2), (2025, 2, 2), 7, 999, 12, 12, False, True, ["python"]),
]


def load(ns):
    """The same small deterministic dataset through each ORM (fixed dates, no now())."""
    from decimal import Decimal
    customers = {}
    for i, (name, created) in enumerate([("alice", (2024, 11, 2)), ("bob", (2024, 12, 9)), ("carol", (2025, 2, 1))]):
        c = ns.Customer.objects.create(name=name, email="%s@example.com" % name)
        ns.Customer.objects.filter(pk=c.pk).update(created_at=ns.at(*created))
        customers[name] = c
    products = {}
    for name, price, stock in [("dune", "9.50", 5), ("pen", "1.00", 100), ("lamp", "45.00", 12),
                               ("desk", "250.00", 3), ("mug", "7.25", 50)]:
        products[name] = ns.Product.objects.create(name=name, price=Decimal(price), stock=stock)
    for customer, status, created, items in ORDERS:
        o = ns.Order.objects.create(customer=customers[customer], status=status)
        ns.Order.objects.filter(pk=o.pk).update(created_at=ns.at(*created))
        for product, quantity, price in items:
            ns.OrderItem.objects.create(order=o, product=products[product], quantity=quantity, price=Decimal(price))
    authors = {}
    for name, joined in [("Asha", (2020, 11, 3)), ("Ravi", (2023, 11, 20)), ("Bob", (2025, 3, 15)),
                         ("Nobody", (2025, 3, 2))]:
        authors[name] = ns.Author.objects.create(name=name, joined_date=ns.dt.date(*joined))
    for title, author, price, sales, stock, published in BOOKS:
        ns.Book.objects.create(title=title, author=authors[author], price=Decimal(price), sales_count=sales,
                               stock_level=stock, is_published=published)
    tags = {name: ns.Tag.objects.create(name=name) for name in ["python", "db"]}
    for (title, author, length, published_at, updated_at, view_count, views, likes, comments, featured,
         published, post_tags) in POSTS:
        p = ns.Post.objects.create(
            title=title, body="About %s." % title.lower(), body_length=length, author=authors[author],
            published_at=ns.at(*published_at) if published_at else None, updated_at=ns.at(*updated_at),
            view_count=view_count, views=views, likes=likes, comments=comments, featured=featured,
            published=published)
        p.tags.set([tags[t] for t in post_tags])
