"""The QuerySet API (mirrors ``django.db.models.query``): the QuerySet, its iterables, prefetching, raw SQL."""
from ormlette.db.models.query.queryset import (  # noqa: F401
    EmptyQuerySet, FlatValuesListIterable, InstanceCheckMeta, MAX_GET_RESULTS, ModelIterable,
    NamedValuesListIterable, NotSupportedError, PROHIBITED_FILTER_KWARGS, Q, QuerySet, REPR_OUTPUT_SIZE,
    ValuesIterable, ValuesListIterable, connections, router, settings,
)
from ormlette.db.models.query.prefetch import Prefetch, prefetch_related_objects  # noqa: F401
from ormlette.db.models.query.raw import RawQuerySet  # noqa: F401
