"""The relation tests' tables and data set, reused for the query report."""
from tests.relations.conftest import cleanup, data, tables  # noqa: F401
