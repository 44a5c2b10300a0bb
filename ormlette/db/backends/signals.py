"""Backend signals: ``connection_created`` (Django's ``django.db.backends.signals``)."""
from ormlette.db.models.signals import Signal

connection_created = Signal()
"""Sent with ``sender=<the wrapper class>, connection=<the wrapper>`` each time a wrapper gets a connection."""
