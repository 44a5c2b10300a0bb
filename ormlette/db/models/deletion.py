"""``django.db.models.deletion``'s public path (migration files write ``models.deletion.CASCADE``)."""
from ormlette.db.models.query.deletion import *  # noqa: F401,F403
from ormlette.db.models.query.deletion import (  # noqa: F401
    CASCADE, DO_NOTHING, PROTECT, RESTRICT, SET, SET_DEFAULT, SET_NULL, Collector, ProtectedError, RestrictedError,
)
