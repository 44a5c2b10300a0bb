"""Differential tests running every aggregation/subquery/function example of the seed articles."""
