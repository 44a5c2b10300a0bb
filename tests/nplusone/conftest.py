"""The relation tests' tables and data set (tests/relations), reused for fetch modes and the N+1 detector."""
from tests.relations.conftest import cleanup, data, tables  # noqa: F401
