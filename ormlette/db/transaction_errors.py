"""Transaction exceptions, in their own module so backends can import them without cycles."""
from ormlette.db.errors import ProgrammingError


class TransactionManagementError(ProgrammingError):
    """Transaction management is used improperly."""
