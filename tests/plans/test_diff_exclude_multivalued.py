"""exclude() across a multi-valued relation against Django 5.2: the same rows, and the same NOT EXISTS shape
(Django trims the subquery's join back to the outer table and writes a literal ``LIMIT 1``)."""
import re

from tests.differential.harness import Differential, case, parametrize

SOURCE = '''
from django.db import models


class Shopper(models.Model):
    name = models.CharField(max_length=20)
    email = models.CharField(max_length=40, unique=True)


class Purchase(models.Model):
    shopper = models.ForeignKey(Shopper, on_delete=models.CASCADE, related_name="purchases")
    status = models.CharField(max_length=20)
    total = models.IntegerField(null=True)


class Label(models.Model):
    name = models.CharField(max_length=20)
    purchases = models.ManyToManyField(Purchase, related_name="labels")


class Voucher(models.Model):
    shopper = models.ForeignKey(Shopper, on_delete=models.CASCADE, to_field="email", related_name="vouchers")
    code = models.CharField(max_length=20)
'''


def load(ns):
    shoppers = [ns.Shopper.objects.create(name="s%d" % i, email="s%d@x.org" % i) for i in range(8)]
    statuses = ["paid", "returned", "pending", None]
    purchases = []
    for i, shopper in enumerate(shoppers[:6]):
        for j in range(i % 3 + 1):
            status = statuses[(i + j) % 3]
            purchases.append(ns.Purchase.objects.create(shopper=shopper, status=status, total=None if j == 2 else i * j))
    red, blue = ns.Label.objects.create(name="red"), ns.Label.objects.create(name="blue")
    for i, purchase in enumerate(purchases):
        if i % 2:
            purchase.labels.add(red)
        if i % 3 == 0:
            purchase.labels.add(blue)
    for i, shopper in enumerate(shoppers[::2]):
        ns.Voucher.objects.create(shopper=shopper, code="v%d" % (i % 2))


env = Differential(SOURCE, label="planexcl", data=load).fixture()


def names(build):
    return lambda ns: list(build(ns).order_by("name").values_list("name", flat=True))


CASES = [
    case("reverse fk", names(lambda ns: ns.Shopper.objects.exclude(purchases__status="returned"))),
    case("reverse fk, two conditions", names(
        lambda ns: ns.Shopper.objects.exclude(purchases__status="paid", purchases__total__gt=1))),
    case("reverse fk and a local condition", names(
        lambda ns: ns.Shopper.objects.exclude(purchases__status="returned", name="s1"))),
    case("reverse fk then m2m", names(lambda ns: ns.Shopper.objects.exclude(purchases__labels__name="red"))),
    case("m2m", lambda ns: sorted(ns.Purchase.objects.exclude(labels__name="blue").values_list("pk", flat=True))),
    case("reverse m2m", names(lambda ns: ns.Label.objects.exclude(purchases__status="paid"))),
    case("isnull keeps its outer join", names(lambda ns: ns.Shopper.objects.exclude(purchases__isnull=True))),
    case("nullable column", names(lambda ns: ns.Shopper.objects.exclude(purchases__total=None))),
    case("F() to the outer row", names(lambda ns: ns.Shopper.objects.exclude(purchases__status=ns.F("name")))),
    case("negated Q", names(lambda ns: ns.Shopper.objects.filter(~ns.Q(purchases__status="pending")))),
    case("to_field relation", names(lambda ns: ns.Shopper.objects.exclude(vouchers__code="v1"))),
    case("count", lambda ns: ns.Shopper.objects.exclude(purchases__status="returned").count()),
]


@parametrize(CASES)
def test_multivalued_exclude_matches_django(env, case):
    env.check(case)


def _subquery_shape(sql):
    """(tables in the NOT EXISTS's FROM, LIMIT text) of the first EXISTS subquery."""
    inner = sql[sql.upper().index("EXISTS"):]
    from_part = re.split(r"\bWHERE\b", inner, flags=re.I)[0]
    tables = len(re.findall(r"\b(?:FROM|JOIN)\b", from_part, flags=re.I))
    limit = re.search(r"\bLIMIT\s+(\S+)", inner, flags=re.I)
    return tables, limit and limit.group(1).strip(")")


@parametrize(CASES)
def test_multivalued_exclude_has_djangos_subquery_shape(env, case):
    reference, ours = env.run(case)
    assert len(ours.queries) == len(reference.queries) == 1
    assert _subquery_shape(ours.queries[0]) == _subquery_shape(reference.queries[0]), (
        ours.queries[0], reference.queries[0])
    assert _subquery_shape(ours.queries[0])[1] == "1"
