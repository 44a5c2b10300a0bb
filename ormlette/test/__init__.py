"""Testing helpers (mirrors ``django.test``)."""
