"""Seed models for the relation tests (shop, library, blog) plus deletion-specific models."""
from ormlette.db import models


class Category(models.Model):
    """Self-referencing tree."""

    name = models.CharField(max_length=50)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")

    class Meta:
        ordering = ["name"]


class Customer(models.Model):
    """A shop customer."""

    name = models.CharField(max_length=50)
    email = models.CharField(max_length=100, default="")


class Profile(models.Model):
    """One-to-one with Customer."""

    customer = models.OneToOneField(Customer, on_delete=models.CASCADE, related_name="profile")
    bio = models.CharField(max_length=100, default="")


class Product(models.Model):
    """A product, optionally categorised."""

    name = models.CharField(max_length=50)
    price = models.DecimalField(max_digits=8, decimal_places=2)
    category = models.ForeignKey(Category, null=True, on_delete=models.SET_NULL, related_name="products")


class Order(models.Model):
    """An order of a customer."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="orders")
    status = models.CharField(max_length=10, default="new")


class OrderItem(models.Model):
    """A line of an order; products are protected."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="items")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="order_items")
    quantity = models.IntegerField(default=1)


class Author(models.Model):
    """A book author."""

    name = models.CharField(max_length=50)


class Book(models.Model):
    """A book; reviews restrict its deletion."""

    title = models.CharField(max_length=50)
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="books")
    editor = models.ForeignKey(Author, null=True, on_delete=models.SET_NULL, related_name="edited")


class Review(models.Model):
    """RESTRICT on book, CASCADE on author: deleting the author may remove both."""

    book = models.ForeignKey(Book, on_delete=models.RESTRICT, related_name="reviews")
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="reviews")
    text = models.CharField(max_length=50, default="")


class Tag(models.Model):
    """A blog tag."""

    name = models.CharField(max_length=30)


class Post(models.Model):
    """A blog post with tags (auto through table)."""

    title = models.CharField(max_length=50)
    author = models.ForeignKey(Author, null=True, on_delete=models.SET_NULL)
    tags = models.ManyToManyField(Tag, related_name="posts")


class Person(models.Model):
    """Symmetrical self M2M and an explicit through model."""

    name = models.CharField(max_length=30)
    friends = models.ManyToManyField("self")


class Group(models.Model):
    """Members through Membership."""

    name = models.CharField(max_length=30)
    members = models.ManyToManyField(Person, through="Membership", related_name="groups")


class Membership(models.Model):
    """Explicit through model with extra data."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE)
    group = models.ForeignKey(Group, on_delete=models.CASCADE)
    role = models.CharField(max_length=20, default="member")


def sentinel_author():
    """The author SET() falls back to."""
    return Author.objects.get_or_create(name="deleted")[0]


class Note(models.Model):
    """SET_DEFAULT, SET(callable) and DO_NOTHING (without a DB constraint)."""

    text = models.CharField(max_length=30, default="")
    owner = models.ForeignKey(Author, null=True, default=None, on_delete=models.SET_DEFAULT, related_name="+")
    writer = models.ForeignKey(Author, null=True, on_delete=models.SET(sentinel_author), related_name="notes")
    ghost = models.ForeignKey(Author, null=True, on_delete=models.DO_NOTHING, db_constraint=False,
                              related_name="ghost_notes")


ALL = (Category, Customer, Profile, Product, Order, OrderItem, Author, Book, Review, Tag, Post, Person, Group,
       Membership, Note)
