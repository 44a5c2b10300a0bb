"""The sqlite3 backend."""
