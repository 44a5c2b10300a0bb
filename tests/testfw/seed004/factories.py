"""Minimal factory_boy-style factories (``Factory()``, ``Factory.create_batch(n, **kwargs)``)."""
import itertools
from decimal import Decimal

from tests.testfw.seed004.models import Address, Customer, Order, OrderItem, Product

_counter = itertools.count(1)


class _Factory:
    model = None

    @classmethod
    def defaults(cls):
        return {}

    def __new__(cls, **kwargs):
        return cls.model.objects.create(**{**cls.defaults(), **kwargs})

    @classmethod
    def create_batch(cls, size, **kwargs):
        return [cls(**kwargs) for _ in range(size)]


class UserFactory(_Factory):
    model = Customer

    @classmethod
    def defaults(cls):
        return {"email": "user%d@example.com" % next(_counter)}


class ProductFactory(_Factory):
    model = Product

    @classmethod
    def defaults(cls):
        return {"name": "product %d" % next(_counter), "price": Decimal("9.99")}


class OrderFactory(_Factory):
    model = Order

    @classmethod
    def defaults(cls):
        return {"shipping_address": Address.objects.create(line="%d Main St" % next(_counter))}


class OrderItemFactory(_Factory):
    model = OrderItem

    @classmethod
    def defaults(cls):
        return {"product": ProductFactory()}
