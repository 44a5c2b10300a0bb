"""Seed 004's query-budget test, unchanged apart from the imports (django -> ormlette, the app's paths)."""
import pytest

from ormlette.test import TestCase
from tests.backends import use_models
from tests.testfw.seed004.factories import OrderFactory, OrderItemFactory, UserFactory
from tests.testfw.seed004.models import Address, Customer, Order, OrderItem, Product
from tests.testfw.seed004.selectors import get_orders_for_user

tables = use_models(Customer, Address, Product, Order, OrderItem)
pytestmark = pytest.mark.usefixtures("tables")


class TestOrderSelectorQueryCount(TestCase):
    """
    Lock in the query count of critical selectors.
    If someone adds an N+1 query, this test fails immediately
    — not in production monitoring at 2am.
    """
    def setUp(self):
        self.user = UserFactory()
        orders = OrderFactory.create_batch(10, user=self.user)
        for order in orders:
            OrderItemFactory.create_batch(5, order=order)

    def test_get_orders_query_count(self):
        with self.assertNumQueries(3):
            # 1: Orders + JOIN users + JOIN addresses
            # 2: Prefetch order items
            # 3: Prefetch products
            list(get_orders_for_user(user_id=self.user.id))


def test_seed_example_left_nothing_behind():
    # Runs after the class above (file order): its setUp rows were rolled back.
    assert Order.objects.count() == 0 and OrderItem.objects.count() == 0
