"""Shared backend machinery: wrapper, features, operations, schema editor."""
