"""ormlette test suite (see tests/backends.py for backend selection)."""
