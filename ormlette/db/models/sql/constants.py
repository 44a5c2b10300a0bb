"""Constants of the query layer, under the names Django's ``db.models.sql.constants`` gives them."""
from ormlette.db.models.sql.datastructures import INNER, LOUTER

# How many rows iterator() and chunked fetches read per fetchmany().
GET_ITERATOR_CHUNK_SIZE = 100

# What SQLCompiler.execute_sql(result_type) returns: all rows, one row, the cursor, nothing.
MULTI = "multi"
SINGLE = "single"
CURSOR = "cursor"
NO_RESULTS = "no results"

ORDER_DIR = {"ASC": ("ASC", "DESC"), "DESC": ("DESC", "ASC")}

__all__ = ["GET_ITERATOR_CHUNK_SIZE", "MULTI", "SINGLE", "CURSOR", "NO_RESULTS", "ORDER_DIR", "INNER", "LOUTER"]
