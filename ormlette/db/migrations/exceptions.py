"""Migration errors (Django's names)."""


class MigrationError(Exception):
    """Base of the migration errors."""


class IrreversibleError(MigrationError, RuntimeError):
    """An operation cannot be reversed."""


class NodeNotFoundError(MigrationError, LookupError):
    """A dependency names a migration that does not exist."""

    def __init__(self, message, node, origin=None):
        self.message = message
        self.origin = origin
        self.node = node
        super().__init__(message)


class CircularDependencyError(MigrationError):
    """Migrations depend on each other in a cycle."""


class InconsistentMigrationHistory(MigrationError):
    """An applied migration has unapplied dependencies."""


class BadMigrationError(MigrationError):
    """A migration module has no Migration class."""


class InvalidMigrationPlan(MigrationError, ValueError):
    """The plan mixes forwards and backwards migrations."""


class AmbiguityError(MigrationError):
    """A migration name prefix matches several migrations."""
