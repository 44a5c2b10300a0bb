"""Test helpers for projects using ormlette."""
