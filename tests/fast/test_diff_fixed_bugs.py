"""Differential tests (ormlette vs Django 5.2) for the fast-path bugs of issue 13: ``|``/``&``/``^``,
async related-manager writes, ``in_bulk()`` after ``values()``, hostile JSON key aliases."""
import decimal
import textwrap

from tests.differential.harness import Differential, case, parametrize

SOURCE = textwrap.dedent('''
    from django.db import models


    class Team(models.Model):
        name = models.CharField(max_length=50)

        class Meta:
            ordering = ["id"]


    class Tag(models.Model):
        name = models.CharField(max_length=30)


    class CheckedQuerySet(models.QuerySet):
        def _filter_or_exclude(self, negate, args, kwargs):
            if any(type(value) is int and value < 0 for value in kwargs.values()):
                raise ValueError("negative filter value")
            return super()._filter_or_exclude(negate, args, kwargs)


    class GuardedQuerySet(models.QuerySet):
        def filter(self, *args, **kwargs):
            if kwargs.get("name") == "forbidden":
                raise ValueError("forbidden name")
            return super().filter(*args, **kwargs).exclude(name="hidden")

        def get(self, *args, **kwargs):
            if kwargs.get("name") == "forbidden":
                raise LookupError("forbidden get")
            return super().get(*args, **kwargs)


    class Player(models.Model):
        name = models.CharField(max_length=50)
        score = models.IntegerField(default=0)
        team = models.ForeignKey(Team, null=True, on_delete=models.CASCADE, related_name="players")
        data = models.JSONField(null=True)
        tags = models.ManyToManyField(Tag, related_name="players")

        objects = models.Manager()
        checked = CheckedQuerySet.as_manager()
        guarded = GuardedQuerySet.as_manager()

        class Meta:
            ordering = ["id"]


    class Gadget(models.Model):
        name = models.CharField(max_length=30)


    class Badge(models.Model):
        label = models.CharField(max_length=30)
        team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="badges")
''')


def load(ns):
    """The same rows through each ORM."""
    reds = ns.Team.objects.create(name="reds")
    blues = ns.Team.objects.create(name="blues")
    ns.Team.objects.create(name="empty")
    fast, slow = ns.Tag.objects.create(name="fast"), ns.Tag.objects.create(name="slow")
    rows = [("ann", 5, reds), ("bob", 7, reds), ("cy", 1, blues), ("dee", 9, None), ("eve", 7, blues)]
    for i, (name, score, team) in enumerate(rows):
        p = ns.Player.objects.create(name=name, score=score, team=team, data={"k": i, "a b": name})
        p.tags.add(fast if i % 2 else slow)
        if i == 4:
            p.tags.add(fast, slow)
    ns.Badge.objects.create(label="gold", team=reds)
    for name in ("Bob", "ann", "dora"):
        ns.Gadget.objects.create(name=name)


diff = Differential(SOURCE, label="fastbugs", data=load)
fastbugs = diff.fixture("fastbugs")


def q(expr, **options):
    """A case evaluating ``expr`` with the side's namespace as locals."""
    return case(expr, lambda ns, _e=expr: eval(_e, {}, vars(ns)), **options)


P = "Player.objects"
COMBINE = [
    q(f"{P}.filter(score__gt=6) | {P}.filter(name='ann')"),
    q(f"{P}.filter(score__gt=6) & {P}.filter(team__name='reds')"),
    q(f"{P}.filter(score__gt=6) ^ {P}.filter(team__name='reds')"),
    q(f"{P}.filter(score=7) ^ {P}.filter(score__gte=5) ^ {P}.filter(name='dee')"),
    q(f"{P}.filter(team__name='reds') | {P}.filter(team__name='blues')"),
    q(f"{P}.filter(team__name='reds') | {P}.filter(team__isnull=True)"),
    q(f"{P}.filter(tags__name='fast') & {P}.filter(tags__name='slow')"),
    q(f"{P}.filter(tags__name='fast') | {P}.filter(tags__name='slow')"),
    q(f"({P}.filter(tags__name='fast') | {P}.filter(tags__name='slow')).distinct()"),
    q(f"{P}.filter(tags__name='fast').distinct() | {P}.filter(score=1).distinct()"),
    q(f"{P}.filter(tags__name='fast').distinct() | {P}.filter(score=1)"),
    q(f"{P}.all()[:2] | {P}.filter(score=1)"),
    q(f"{P}.filter(score=1) | {P}.all()[:2]"),
    q(f"{P}.all()[:2] & {P}.filter(score=1)"),
    q(f"{P}.filter(score__gt=1) & {P}.none()"),
    q(f"{P}.none() | {P}.filter(score=1)"),
    q(f"{P}.filter(score=1) ^ {P}.none()"),
    q(f"{P}.filter(score=1) | Team.objects.all()"),
    q(f"{P}.filter(score=1) | {P}.values('id')"),
    q(f"{P}.union({P}.all()) | {P}.all()"),
    q(f"({P}.filter(score__gt=1) | {P}.filter(score=1)).order_by('-score', 'name')"),
    q(f"{P}.filter(score__gt=1).order_by('name') | {P}.filter(score=1).order_by('-name')"),
    q(f"({P}.filter(score__gt=6) | {P}.filter(name='ann')).count()"),
    q(f"Team.objects.filter(players__score=7) | Team.objects.filter(badges__label='gold')"),
    q(f"(Team.objects.filter(players__score=7) | Team.objects.filter(badges__label='gold')).distinct()"),
    q(f"Team.objects.filter(players__score__gt=10) | Team.objects.filter(name='empty')"),
    q(f"{P}.values('name').filter(score=7) | {P}.values('name').filter(score=1)"),
    q(f"{P}.values('name') | {P}.values('score')"),
]


async def _acreate_fk(ns):
    team = await ns.Team.objects.aget(name="empty")
    player = await team.players.acreate(name="new", score=3)
    got, created = await team.players.aget_or_create(name="new2", defaults={"score": 4})
    again, created_again = await team.players.aget_or_create(name="new2")
    upd, upd_created = await team.players.aupdate_or_create(name="new", defaults={"score": 30})
    upd2, upd2_created = await team.players.aupdate_or_create(name="new3", defaults={"score": 31})
    rows = [(p.name, p.score, p.team_id == team.pk) async for p in ns.Player.objects.filter(
        name__startswith="new").order_by("name")]
    return (player.team_id == team.pk, got.team_id == team.pk, created, again.pk == got.pk, created_again,
            upd.pk == player.pk, upd_created, upd2_created, rows)


async def _acreate_badge_non_null(ns):
    team = await ns.Team.objects.aget(name="blues")
    badge = await team.badges.acreate(label="silver")
    b2, created = await team.badges.aget_or_create(label="bronze")
    b3, created3 = await team.badges.aupdate_or_create(label="silver", defaults={"label": "platinum"})
    return (badge.team_id == team.pk, b2.team_id == team.pk, created, b3.pk == badge.pk, created3,
            sorted([b.label async for b in team.badges.all()]))


async def _acreate_m2m(ns):
    tag = await ns.Tag.objects.aget(name="slow")
    player = await tag.players.acreate(name="m2m", score=2)
    got, created = await tag.players.aget_or_create(name="m2m2")
    again, created_again = await tag.players.aget_or_create(name="m2m2")
    upd, upd_created = await tag.players.aupdate_or_create(name="m2m", defaults={"score": 20})
    upd2, upd2_created = await tag.players.aupdate_or_create(name="m2m3", defaults={"score": 21})
    names = sorted([p.name async for p in tag.players.filter(name__startswith="m2m")])
    player_tags = [t.name async for t in player.tags.all()]
    return (created, again.pk == got.pk, created_again, upd.pk == player.pk, upd.score, upd_created,
            upd2_created, names, player_tags)


async def _acreate_reverse_m2m_forward(ns):
    player = await ns.Player.objects.aget(name="dee")
    tag = await player.tags.acreate(name="brand-new")
    got, created = await player.tags.aget_or_create(name="brand-new")
    return tag.pk == got.pk, created, sorted([t.name async for t in player.tags.all()])


ASYNC_RELATED = [
    case("acreate_reverse_fk_nullable", _acreate_fk, mutates=True),
    case("acreate_reverse_fk_non_null", _acreate_badge_non_null, mutates=True),
    case("acreate_m2m_reverse", _acreate_m2m, mutates=True),
    case("acreate_m2m_forward", _acreate_reverse_m2m_forward, mutates=True),
]

IN_BULK = [
    q(f"{P}.values('name').in_bulk()"),
    q(f"{P}.values_list('name').in_bulk([1, 2])"),
    q(f"{P}.values_list('name', flat=True).in_bulk()"),
    q(f"{P}.in_bulk([1, 2])"),
    q(f"{P}.in_bulk(['ann', 'cy'], field_name='name')"),
]

HOSTILE_KEYS = ["a b", 'x"y', "x'y", "k;DROP", "k--c", "k/*c*/", "k\x00z", "k\tz", "k\nz", "k`z"]
JSON_KEYS = [q(f"list({P}.values('data__k').order_by('id'))"),
             q(f"list({P}.values_list('data__k', flat=True).order_by('id'))")] + [
    q(f"list({P}.values('data__{key!s}'))".replace("\x00", "\\x00").replace("\t", "\\t").replace("\n", "\\n"))
    for key in HOSTILE_KEYS] + [
    q(f"list({P}.values_list('data__{key!s}'))".replace("\x00", "\\x00").replace("\t", "\\t").replace("\n", "\\n"))
    for key in HOSTILE_KEYS]


def _func_extras(*values):
    """The same Func template with each extra value in turn (each value is written into the SQL)."""
    def run(ns):
        out = []
        for value in values:
            plus = ns.Func(ns.F("score"), template="(%(expressions)s + %(k)s)", k=value,
                           output_field=ns.IntegerField() if isinstance(value, (int, decimal.Decimal))
                           else ns.FloatField())
            out.append(list(ns.Player.objects.annotate(v=plus).order_by("id").values_list("v", flat=True)))
            out.append(list(ns.Player.objects.filter(score__lt=plus).order_by("id").values_list("id", flat=True)))
        return out
    return run


FUNC_EXTRAS = [
    case("func_extra_decimal", _func_extras(decimal.Decimal(10), decimal.Decimal(20), decimal.Decimal(10))),
    case("func_extra_float", _func_extras(1.5, 2.5)),
    case("func_extra_int_then_decimal", _func_extras(3, decimal.Decimal(4), 3)),
]


def _each(func, times=3):
    """``func`` called ``times`` times (the first learns a shape, the others may reuse it): outcomes in order."""
    def run(ns):
        out = []
        for _ in range(times):
            try:
                out.append(func(ns))
            except Exception as exc:  # noqa: BLE001 - the outcome is what is compared
                out.append((type(exc).__name__, str(exc)))
        return out
    return run


OVERRIDES = [
    case("override_filter_or_exclude_each_time", _each(lambda ns: list(ns.Player.checked.filter(score=-1)))),
    case("override_filter_or_exclude_after_learning", lambda ns: [_each(
        lambda ns: list(ns.Player.checked.filter(score=score)), times=1)(ns) for score in (7, 1, -1, 5, -2)]),
    case("override_filter_after_learning", lambda ns: [_each(
        lambda ns: list(ns.Player.guarded.filter(name=name)), times=1)(ns) for name in ("ann", "forbidden")]),
    case("override_filter_or_exclude_valid", _each(lambda ns: list(ns.Player.checked.filter(score=7)))),
    case("override_filter_or_exclude_chain", _each(
        lambda ns: list(ns.Player.checked.filter(score__gte=0).order_by("name").filter(score=-3)))),
    case("override_filter_each_time", _each(lambda ns: list(ns.Player.guarded.filter(name="forbidden")))),
    case("override_filter_rewrites", _each(lambda ns: list(ns.Player.guarded.filter(score=7).values_list(
        "name", flat=True)))),
    case("override_get_each_time", _each(lambda ns: ns.Player.guarded.get(name="forbidden"))),
    case("override_get_valid", _each(lambda ns: ns.Player.guarded.get(name="ann").score)),
    case("override_count_after_filter", _each(lambda ns: ns.Player.checked.filter(score=7).count())),
]


def _same_length(ns):
    """``exact`` replaced by "as long as", in each ORM's own lookup API (Django: as_sql; ormlette: as_sa/key)."""
    if ns.side == "django":
        class SameLengthExact(ns.models.lookups.Exact):
            def as_sql(self, compiler, connection):
                lhs, lhs_params = self.process_lhs(compiler, connection)
                rhs, rhs_params = self.process_rhs(compiler, connection)
                return "LENGTH(%s) = LENGTH(%s)" % (lhs, rhs), lhs_params + rhs_params
        return SameLengthExact
    import sqlalchemy as sa

    class SameLengthExact(ns.models.lookups.Exact):
        def as_sa(self, c):
            return sa.func.length(self.lhs.as_sa(c)) == sa.func.length(c.param(self.rhs))

        def key(self, k):
            k.param(self.rhs)
            return (type(self), self.lhs.key(k), "length")
    return SameLengthExact


def _register_lookup_between_calls(ns):
    def names():
        return ([g.name for g in ns.Gadget.objects.filter(name="zzz")], ns.Gadget.objects.filter(name="zzz").count(),
                _each(lambda ns: ns.Gadget.objects.get(name="zzzz").name, times=1)(ns))
    out = [names() for _ in range(3)]
    lookup = _same_length(ns)
    ns.models.CharField.register_lookup(lookup)
    try:
        out += [names() for _ in range(3)]
    finally:
        ns.models.CharField._unregister_lookup(lookup)
    return out + [names() for _ in range(3)]


_WIDE = {}


def _add_to_class_between_calls(ns):
    """A new model each run (the warm run must start from the same schema): learn, add a field, ask again."""
    number = _WIDE[ns.side] = _WIDE.get(ns.side, 0) + 1
    meta = type("Meta", (), {"app_label": "djapp" if ns.side == "django" else "fastbugs",
                             "db_table": "fastbugs_wide%d" % number})
    model = type("Wide%d" % number, (ns.models.Model,), {"__module__": "fastbugs_wide.models", "Meta": meta,
                                                         "name": ns.models.CharField(max_length=30)})
    with ns.connection.schema_editor() as editor:
        editor.create_model(model)
    try:
        model.objects.create(name="ann")

        def rows():
            return (list(model.objects.filter(name="ann").values()), model.objects.get(name="ann").__dict__.get(
                "extra"), [w.__dict__.get("extra") for w in model.objects.filter(name="ann")])
        out = [rows() for _ in range(3)]
        quote = ns.connection.ops.quote_name
        with ns.connection.cursor() as cursor:
            table = quote(meta.db_table)
            cursor.execute("ALTER TABLE %s ADD COLUMN %s integer NULL" % (table, quote("extra")))
            cursor.execute("UPDATE %s SET %s = 5" % (table, quote("extra")))
        model.add_to_class("extra", ns.models.IntegerField(null=True))
        return out + [rows() for _ in range(3)]
    finally:
        with ns.connection.schema_editor() as editor:
            editor.delete_model(model)


INVALIDATION = [
    case("register_lookup_between_calls", _register_lookup_between_calls),
    case("add_to_class_between_calls", _add_to_class_between_calls),
]


def _declare_with_meta(ns, **meta):
    """Declare a model class whose Meta holds ``meta`` (raises before any registration when Meta is bad)."""
    attrs = {"__module__": "fastbugs_meta.models", "a": ns.models.IntegerField(), "b": ns.models.IntegerField(),
             "Meta": type("Meta", (), {"app_label": "fastbugs_meta", **meta})}
    return type("MetaCase%d" % len(meta), (ns.models.Model,), attrs)._meta.db_table


META = [
    case("meta_index_together_refused", lambda ns: _declare_with_meta(ns, index_together=[("a", "b")])),
    case("meta_index_together_and_other_bad", lambda ns: _declare_with_meta(ns, index_together=[("a",)], bogus=1)),
]


def _awrap(async_func):
    """Run an async case on both sides from sync code (each side's own loop), then delete what it made.

    The async calls run on their own connections, outside the case's rolled-back transaction."""
    import asyncio

    def run(ns):
        try:
            return asyncio.run(async_func(ns))
        finally:
            ns.Player.objects.filter(ns.Q(name__startswith="new") | ns.Q(name__startswith="m2m")).delete()
            ns.Badge.objects.exclude(label="gold").delete()
            ns.Tag.objects.filter(name="brand-new").delete()

    return run


for _c in ASYNC_RELATED:
    _c.func = _awrap(_c.func)
    _c.mutates = False


@parametrize(COMBINE + ASYNC_RELATED + IN_BULK + JSON_KEYS + META + FUNC_EXTRAS + OVERRIDES + INVALIDATION)
def test_fixed_bugs_differential(fastbugs, case):
    fastbugs.check(case)
