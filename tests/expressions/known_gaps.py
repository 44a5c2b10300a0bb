"""Differential cases known to differ from Django (issue 4 leftovers): {vendor: {code: reason}}.

Each listed case must still fail: it is reported as xfail, and a listed case that agrees with Django
fails the run (strict), so a fixed gap is noticed. Fix the gap, then delete the entry.
"""
_UNION_AGGREGATE = "Item.objects.filter(category='fruit').union(Item.objects.filter(category='tools')).aggregate(Sum('stock'))"
_UNION_AGGREGATE_REASON = ('Django 5.2 itself fails here (selects a column "__col1" the UNION does not have); '
                           'ormlette returns the sum')

KNOWN_GAPS = {
    "mysql": {_UNION_AGGREGATE: _UNION_AGGREGATE_REASON},
    "postgresql": {
        _UNION_AGGREGATE: _UNION_AGGREGATE_REASON,
        "list(Item.objects.filter(stock__gt=0).union(Item.objects.none()).order_by('name').values_list('name', "
        "flat=True))": "single remaining union part with Meta.ordering: Django errors, ormlette runs it",
    },
    "sqlite": {},
}
