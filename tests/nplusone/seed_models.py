"""The seed articles' models (/work/shared/seeds), in ormlette spelling, for their N+1 loops.

Seed 000/003-Q: Customer, Order(customer), OrderItem(order, product), Product. Seed 001/003: Author,
Post(author, tags), Tag; seed 001 chains ``select_related("author__profile")``, so Author has a one-to-one
Profile. Seed 004: Order4(user, shipping_address, items), OrderItem4(product), User, Address; the article
does not show shipping_address's field, a OneToOneField here so the one-to-one case is a seed loop too.
"""
from ormlette.db import models


class Customer(models.Model):
    name = models.CharField(max_length=255)

    class Meta:
        app_label = "seednp"


class Product(models.Model):
    name = models.CharField(max_length=255)
    price = models.DecimalField(max_digits=10, decimal_places=2, default=0)

    class Meta:
        app_label = "seednp"


class Order(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="orders")
    status = models.CharField(max_length=20, default="pending")

    class Meta:
        app_label = "seednp"


class OrderItem(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="items")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="order_items")
    quantity = models.PositiveIntegerField(default=1)

    class Meta:
        app_label = "seednp"


class Author(models.Model):
    name = models.CharField(max_length=100)

    class Meta:
        app_label = "seednp"


class Profile(models.Model):
    author = models.OneToOneField(Author, on_delete=models.CASCADE, related_name="profile")
    bio = models.CharField(max_length=100, default="")

    class Meta:
        app_label = "seednp"


class Tag(models.Model):
    name = models.CharField(max_length=30)

    class Meta:
        app_label = "seednp"


class Post(models.Model):
    title = models.CharField(max_length=200)
    body = models.TextField(default="")
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="posts")
    tags = models.ManyToManyField(Tag, related_name="posts")

    class Meta:
        app_label = "seednp"


class User(models.Model):
    email = models.CharField(max_length=100)

    class Meta:
        app_label = "seednp"


class Address(models.Model):
    city = models.CharField(max_length=50)

    class Meta:
        app_label = "seednp"


class Order4(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="orders")
    shipping_address = models.OneToOneField(Address, on_delete=models.CASCADE, related_name="order")
    status = models.CharField(max_length=20, default="processing")

    class Meta:
        app_label = "seednp"


class OrderItem4(models.Model):
    order = models.ForeignKey(Order4, on_delete=models.CASCADE, related_name="items")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")

    class Meta:
        app_label = "seednp"


ALL = [Customer, Product, Order, OrderItem, Author, Profile, Tag, Post, User, Address, Order4, OrderItem4]
