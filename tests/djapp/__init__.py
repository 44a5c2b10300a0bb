"""The Django app that owns the reference models of the differential tests (label ``djapp``).

Models are not declared here: ``tests/differential/harness.py`` execs each test module's
model source into an isolated Django registry under this app's label.
"""
