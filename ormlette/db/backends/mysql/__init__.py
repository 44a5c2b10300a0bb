"""The mysql backend."""
