"""The seed's selector: orders with their user and address joined, items and products prefetched."""
from tests.testfw.seed004.models import Order


def get_orders_for_user(user_id):
    """1 query for orders + users + addresses, 1 for items, 1 for products."""
    return (Order.objects.filter(user_id=user_id)
            .select_related("user", "shipping_address")
            .prefetch_related("items__product"))
