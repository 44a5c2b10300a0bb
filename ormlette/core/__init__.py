"""Core pieces shared by the ORM: exceptions and validators."""
