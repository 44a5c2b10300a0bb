"""PostgreSQL column types: native uuid, jsonb, inet and interval."""
from sqlalchemy.dialects import postgresql as sa_pg

from ormlette.db.backends.base.data_types import DATA_TYPES as BASE_DATA_TYPES

DATA_TYPES = {
    **BASE_DATA_TYPES,
    "UUIDField": lambda field: sa_pg.UUID(as_uuid=True),
    "JSONField": lambda field: sa_pg.JSONB(),
    "GenericIPAddressField": lambda field: sa_pg.INET(),
    "DurationField": lambda field: sa_pg.INTERVAL(),
}
