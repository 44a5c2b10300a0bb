"""The postgresql backend."""
