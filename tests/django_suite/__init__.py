"""Django 5.2's own ORM test suite run against ormlette (``./run django-suite``)."""
