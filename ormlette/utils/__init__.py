"""Utilities (timezone, dateparse, functional, ...)."""
