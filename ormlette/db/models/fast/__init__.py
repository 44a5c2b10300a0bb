"""The fast paths: code that exists only for speed, each one a shortcut around a general path.

Every module here computes what the general code would compute, faster, for the common case it
recognises; anything it does not recognise is handed back to the general path, which stays the
reference (and is what a reader of ``query/`` sees, with a one-line hand-off at each seam).

===================  =====================================  ======================================
module               what it shortcuts                       reached from
===================  =====================================  ======================================
recipes              a repeated filter()/order_by()/slice     ``query.queryset`` (recorded querysets)
                     chain: clone a learned template query    and ``sql.compiler`` (statement reuse)
                     instead of rebuilding and recompiling
recipe_aggregates    aggregate()/count() of such a chain      ``query.queryset``
recipe_signatures    values()/values_list()/annotate()/       ``query.shape``
                     alias() calls a recipe can replay
lookup_twins         a recorded filter's new lookup, made     ``recipes``
                     without re-running its constructor
get_shortcut         ``Model.objects.get(<field>=value)``     ``manager`` and ``query.queryset``
                     with a kept statement and row layout
row_builders         per-row-layout generated hydration       ``query.iterables``
init_fields          a generated ``Model.__init__`` per       ``base``, ``options``
                     model (keyword binding in C)
bulk_values          bulk_create()'s INSERT parameter rows    ``query.bulk``
                     by a generated per-shape function
unchanged            which stock field preparations return    ``persistence``, ``lookups.in_range``,
                     a value as it is (so calls are skipped)  ``bulk_values``, ``lookup_twins``
gc_pause             pausing the cyclic GC during bulk        ``query.bulk``, ``query.queryset``,
                     allocation; promoting survivors after    ``query.prefetch``
===================  =====================================  ======================================

One switch for all of them belongs in this module (the correctness work adds it, so that a test
run can take only the general paths and compare); this package imports nothing at import time so
that every fast module can be loaded on its own.
"""
