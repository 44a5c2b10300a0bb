"""Differential tests (ormlette vs Django 5.2): F arithmetic, Value, ExpressionWrapper, Func, Case/When, RawSQL."""
import pytest

from ormlette.db import models
from tests.expressions import shop

CLASSES = shop.build(models, "diffexpr")
dual = shop.dual_fixture(CLASSES, "diffexpr")

CASES = [
    # F arithmetic
    "list(Item.objects.annotate(v=F('stock') * 2 + 1).values_list('name', 'v'))",
    "list(Item.objects.annotate(v=F('stock') - F('stock') / 2).values_list('name', 'v'))",
    "list(Item.objects.annotate(v=F('price') * F('stock')).values_list('name', 'v'))",
    "list(Item.objects.annotate(v=F('price') * 2).values_list('name', 'v'))",
    "list(Item.objects.annotate(v=F('stock') % 3).values_list('name', 'v'))",
    "list(Item.objects.annotate(v=F('stock') ** 2).values_list('name', 'v'))",
    "list(Item.objects.annotate(v=-F('stock')).values_list('name', 'v'))",
    "list(Item.objects.annotate(v=2 * F('stock')).values_list('name', 'v'))",
    "list(Item.objects.annotate(v=100 - F('stock')).values_list('name', 'v'))",
    "list(Item.objects.annotate(v=F('rating') + 1).values_list('name', 'v'))",
    "list(Item.objects.annotate(v=F('rating') * F('stock')).values_list('name', 'v'))",
    "list(Item.objects.annotate(v=F('stock').bitand(6)).values_list('name', 'v'))",
    "list(Item.objects.annotate(v=F('stock').bitor(1)).values_list('name', 'v'))",
    "list(Item.objects.annotate(v=F('stock').bitxor(5)).values_list('name', 'v'))",
    "list(Item.objects.annotate(v=F('stock').bitleftshift(2)).values_list('name', 'v'))",
    "list(Item.objects.annotate(v=F('stock').bitrightshift(1)).values_list('name', 'v'))",
    "list(Item.objects.filter(stock__gt=F('price')).values_list('name', flat=True))",
    "list(Item.objects.filter(stock__lt=F('price') * 2).values_list('name', flat=True))",
    "list(Item.objects.annotate(v=F('price') + F('rating')).values_list('name', 'v'))",
    "list(Item.objects.annotate(v=ExpressionWrapper(F('price') + F('rating'), output_field=FloatField())).values_list('name', 'v'))",
    "list(Item.objects.annotate(v=ExpressionWrapper(F('stock') * F('price'), output_field=DecimalField())).values_list('name', 'v'))",
    "list(Item.objects.annotate(v=F('name') + F('stock')).values_list('name', 'v'))",
    "list(Item.objects.order_by(F('rating').desc(nulls_last=True)).values_list('name', flat=True))",
    "list(Item.objects.order_by(F('rating').asc(nulls_first=True)).values_list('name', flat=True))",
    "list(Item.objects.order_by(F('note').desc(nulls_first=True), 'name').values_list('name', flat=True))",
    "list(Item.objects.order_by(F('rating').asc(nulls_last=True), 'id').values_list('name', flat=True))",
    "F('rating').desc(nulls_first=True, nulls_last=True)",
    "list(Item.objects.annotate(d=F('created') - F('created')).values_list('name', 'd'))",
    "list(Item.objects.annotate(t=F('created') + datetime.timedelta(days=1)).values_list('name', 't'))",
    "list(Item.objects.annotate(t=F('released') + datetime.timedelta(days=3)).values_list('name', 't'))",
    "list(Sale.objects.annotate(t=F('sold_at') + F('lasted')).values_list('id', 't'))",
    "list(Sale.objects.annotate(t=F('lasted') * 2).values_list('id', 't'))",
    "list(Sale.objects.filter(lasted__gt=datetime.timedelta(minutes=1)).values_list('id', flat=True))",
    # Value
    "list(Item.objects.annotate(v=Value(3)).values_list('name', 'v'))",
    "list(Item.objects.annotate(v=Value('x')).values_list('name', 'v'))",
    "list(Item.objects.annotate(v=Value(True)).values_list('name', 'v'))",
    "list(Item.objects.annotate(v=Value(None, output_field=IntegerField())).values_list('name', 'v'))",
    "list(Item.objects.annotate(v=Value(Decimal('1.5')) + F('price')).values_list('name', 'v'))",
    "list(Item.objects.annotate(v=Value(datetime.date(2024, 1, 1))).values_list('name', 'v')[:2])",
    "list(Item.objects.annotate(v=F('stock') + Value(1.5)).values_list('name', 'v'))",
    # Func
    "list(Item.objects.annotate(v=Func(F('name'), function='UPPER')).values_list('v', flat=True))",
    "list(Item.objects.annotate(v=Func(F('stock'), function='ABS', output_field=IntegerField())).values_list('v', flat=True))",
    "list(Item.objects.annotate(v=Func(F('name'), template='LOWER(%(expressions)s)')).values_list('v', flat=True))",
    "list(Item.objects.annotate(v=Func(F('stock'), Value(1), function='COALESCE')).values_list('v', flat=True))",
    "list(Item.objects.annotate(v=Func('stock', 'price', function='COALESCE')).values_list('v', flat=True))",
    # Case / When
    "list(Item.objects.annotate(k=Case(When(stock__gt=5, then=Value('many')), When(stock=0, then=Value('none')), default=Value('few'))).values_list('name', 'k'))",
    "list(Item.objects.annotate(k=Case(When(Q(stock__gt=5) | Q(category='tools'), then=1), default=0)).values_list('name', 'k'))",
    "list(Item.objects.annotate(k=Case(When(category='fruit', then='price'), default='stock', output_field=DecimalField())).values_list('name', 'k'))",
    "list(Item.objects.annotate(k=Case(When(rating__isnull=True, then=Value(0.0)), default='rating')).values_list('name', 'k'))",
    "list(Item.objects.annotate(k=Case(When(stock__gt=F('price'), then=Value(True)), default=Value(False))).filter(k=True).values_list('name', flat=True))",
    "list(Item.objects.annotate(k=Case(When(stock__gt=1000, then=Value(1)))).values_list('name', 'k'))",
    "list(Item.objects.order_by(Case(When(category='tools', then=0), default=1), 'name').values_list('name', flat=True))",
    "list(Item.objects.filter(Case(When(stock__gt=5, then=True), default=False, output_field=BooleanField())).values_list('name', flat=True))",
    "list(Item.objects.annotate(k=Case(When(stock__gt=5, then=Value(1)), default=Value('x'))).values_list('k', flat=True))",
    "When(stock__gt=1)",
    "When()",
    "When(Q(), then=1)",
    "Case(When(stock=1, then=1), 'x')",
    "list(Item.objects.annotate(k=Case(When(id__in=[], then=Value(1)), default=Value(2))).values_list('k', flat=True))",
    "list(Item.objects.annotate(k=Case(When(~Q(id__in=[]), then=Value(1)), default=Value(2))).values_list('k', flat=True))",
    # RawSQL
    "list(Item.objects.annotate(v=RawSQL('stock + %s', (5,))).values_list('name', 'v'))",
    "list(Item.objects.filter(id__in=RawSQL('SELECT id FROM diffexpr_item WHERE stock > %s', (5,))).values_list('name', flat=True))",
    "list(Item.objects.annotate(v=RawSQL('%s', ('a%b',), output_field=CharField())).values_list('v', flat=True))",
    # boolean expressions
    "list(Item.objects.annotate(b=Q(stock__gt=5)).values_list('name', 'b'))",
    "list(Item.objects.annotate(b=ExpressionWrapper(Q(stock__gt=5), output_field=BooleanField())).values_list('name', 'b'))",
    "list(Item.objects.annotate(b=ExpressionWrapper(~Q(stock__gt=5), output_field=BooleanField())).values_list('name', 'b'))",
    "list(Item.objects.filter(Q(stock__gt=5) & ~Q(category='office')).values_list('name', flat=True))",
    "list(Item.objects.alias(b=Q(stock__gt=5)).filter(b=True).values_list('name', flat=True))",
    "list(Item.objects.filter(GreaterThan(F('stock'), 5)).values_list('name', flat=True))",
    "list(Item.objects.annotate(b=GreaterThan(F('stock'), F('price'))).values_list('name', 'b'))",
    "list(Item.objects.filter(Exact(F('category'), 'fruit')).values_list('name', flat=True))",
    # output field inference errors
    "list(Item.objects.annotate(v=F('price') + F('created')).values_list('v', flat=True))",
    "list(Item.objects.annotate(v=Coalesce('stock', 'name')).values_list('v', flat=True))",
    "list(Item.objects.annotate(v=F('price') + F('stock')).values_list('name', 'v'))",
    "list(Item.objects.annotate(v=F('nope')).values_list('v', flat=True))",
    "F('stock') & F('stock')",
    "list(Item.objects.annotate(v=F('stock')).values_list('v', flat=True).order_by('v'))",
    "list(Item.objects.annotate(v=F('stock') + 1).annotate(w=F('v') * 2).values_list('name', 'w'))",
    "list(Item.objects.annotate(v=F('stock') + 1).filter(v__gte=8).order_by('-v').values_list('name', 'v'))",
    "list(Item.objects.alias(v=F('stock') + 1).filter(v__gte=8).values_list('name', flat=True))",
    "list(Item.objects.alias(v=F('stock') + 1).order_by('-v').values_list('name', flat=True))",
    "list(Item.objects.alias(v=F('stock')).values_list('v', flat=True))",
    "Item.objects.annotate(stock=F('price'))",
    "Item.objects.annotate(F('stock'))",
    "Item.objects.annotate(5)",
    "list(Item.objects.values(s2=F('stock') * 2).order_by('s2'))",
    "list(Item.objects.values('name', up=Upper('name')).order_by('name'))",
    "list(Item.objects.values_list(F('stock') + 1, Upper('name')).order_by('name'))",
    "list(Item.objects.annotate(v=F('stock')).filter(v=F('stock')).values_list('name', flat=True))",
    "Item.objects.filter(price__gt=F('price') + 1).exists()",
    "Item.objects.update(stock=F('stock') + 0)",
]


@pytest.mark.parametrize("code", CASES)
def test_case(dual, code):
    dual.check(code)


def test_known_gap_that_agrees_fails(dual, monkeypatch):
    """Known gaps are strict: a listed case that now agrees with Django fails the run."""
    from tests.expressions import known_gaps

    code = CASES[0]
    monkeypatch.setitem(known_gaps.KNOWN_GAPS, dual.orm_conn.vendor, {code: "pretend gap"})
    with pytest.raises(pytest.fail.Exception, match="known gap now agrees with Django"):
        dual.check(code)
