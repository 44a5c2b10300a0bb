"""Query state (plain Python) and its compilation to SQL."""
