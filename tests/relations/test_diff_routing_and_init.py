"""Differential tests (ormlette vs Django 5.2): database routers on one database, relation assignment's
database rules, and model construction (the generated ``__init__``) against Django's ``Model.__init__``."""
import textwrap

from tests.differential.harness import Differential, case, parametrize

SOURCE = textwrap.dedent('''
    from django.conf import settings
    from django.db import models, router


    class Author(models.Model):
        name = models.CharField(max_length=50)


    class Book(models.Model):
        title = models.CharField(max_length=50, default="untitled")
        pages = models.IntegerField(null=True)
        author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="books")


    class Profile(models.Model):
        author = models.OneToOneField(Author, on_delete=models.CASCADE, related_name="profile")
        bio = models.CharField(max_length=50, default="")


    class Tag(models.Model):
        name = models.CharField(max_length=20)


    class Post(models.Model):
        title = models.CharField(max_length=50)
        tags = models.ManyToManyField(Tag, related_name="posts")


    class Recorder:
        """Answers nothing; keeps (action, model, hint names, hinted instance's model) of each question."""

        def __init__(self):
            self.seen = set()

        def _note(self, action, model, hints):
            instance = hints.get("instance")
            self.seen.add((action, model.__name__, tuple(sorted(hints)),
                           None if instance is None else type(instance).__name__))

        def db_for_read(self, model, **hints):
            self._note("read", model, hints)

        def db_for_write(self, model, **hints):
            self._note("write", model, hints)


    class Refuses:
        def allow_relation(self, obj1, obj2, **hints):
            return False


    class Default:
        def db_for_read(self, model, **hints):
            return "default"

        def db_for_write(self, model, **hints):
            return "default"

        def allow_relation(self, obj1, obj2, **hints):
            return True


    def forget_routers():
        # Django keeps the routers it read (its override_settings resets them); ormlette reads the setting again.
        router.__dict__.pop("routers", None)
        if hasattr(router, "_routers"):
            router._routers = None


    def with_routers(chain, action):
        """action() with DATABASE_ROUTERS set to ``chain``."""
        saved = settings.DATABASE_ROUTERS
        settings.DATABASE_ROUTERS = chain
        forget_routers()
        try:
            return action()
        finally:
            settings.DATABASE_ROUTERS = saved
            forget_routers()


    def hints_seen(action):
        recorder = Recorder()
        with_routers([recorder], action)
        return sorted(recorder.seen, key=repr)
''')


def load(ns):
    tolkien = ns.Author.objects.create(name="tolkien")
    ns.Author.objects.create(name="herbert")
    ns.Book.objects.create(title="hobbit", author=tolkien)
    ns.Profile.objects.create(author=tolkien, bio="b")
    ns.Tag.objects.create(name="t")
    ns.Post.objects.create(title="p")


diff = Differential(SOURCE, label="diffroute", data=load)
env = diff.fixture()


def _follow_fk(ns):
    book = ns.Book.objects.get(title="hobbit")
    return ns.hints_seen(lambda: book.author.name)


def _reverse_manager(ns):
    author = ns.Author.objects.get(name="tolkien")
    return ns.hints_seen(lambda: [b.title for b in author.books.all()])


def _save_and_refresh(ns):
    book = ns.Book.objects.get(title="hobbit")
    return ns.hints_seen(lambda: (book.save(), book.refresh_from_db()))


def _refused_assignment(ns):
    book = ns.Book.objects.get(title="hobbit")
    herbert = ns.Author.objects.get(name="herbert")
    return ns.with_routers([ns.Refuses()], lambda: setattr(book, "author", herbert))


def _refused_reverse_one_to_one(ns):
    profile = ns.Profile.objects.get()
    herbert = ns.Author.objects.get(name="herbert")
    return ns.with_routers([ns.Refuses()], lambda: setattr(herbert, "profile", profile))


def _routed_reads_and_writes(ns):
    def action():
        book = ns.Book.objects.get(title="hobbit")
        new = ns.Book.objects.create(title="new", author=book.author)
        return book._state.db, new._state.db, ns.Book.objects.all().db, [b.title for b in book.author.books.order_by("id")]

    return ns.with_routers([ns.Default()], action)


def _unsaved_assignment(ns):
    book, author = ns.Book(title="x"), ns.Author(name="y")
    before = (book._state.db, author._state.db)
    book.author = author
    return before, (book._state.db, author._state.db), book.author_id


def _m2m_add_unsaved(ns):
    return ns.Post.objects.get().tags.add(ns.Tag(name="unsaved"))


def _m2m_add_other_database(ns):
    tag = ns.Tag.objects.get()
    tag._state.db = "other"
    return ns.Post.objects.get().tags.add(tag)


def _init_both_object_and_id(ns):
    author = ns.Author.objects.get(name="tolkien")
    book = ns.Book(author=author, author_id=author.pk + 100)
    return book.author_id, book.title, book.pages


CASES = [
    case("router_hints_following_fk", _follow_fk),
    case("router_hints_reverse_manager", _reverse_manager),
    case("router_hints_save_refresh", _save_and_refresh, mutates=True),
    case("router_refuses_relation", _refused_assignment),
    case("router_refuses_reverse_one_to_one", _refused_reverse_one_to_one),
    case("router_reads_and_writes", _routed_reads_and_writes, mutates=True),
    case("unsaved_assignment_sets_databases", _unsaved_assignment),
    case("m2m_add_unsaved", _m2m_add_unsaved, mutates=True),
    case("m2m_add_other_database", _m2m_add_other_database, mutates=True),
    case("create_refuses_reverse_one_to_one",
         lambda ns: ns.Author.objects.create(name="z", profile=ns.Profile(bio="x")), mutates=True),
    case("init_keywords_and_defaults", lambda ns: (lambda b: (b.title, b.pages, b.author_id, b.pk))(ns.Book(pages=3))),
    case("init_object_and_id", _init_both_object_and_id),
    case("init_unknown_keywords", lambda ns: ns.Book(title="a", nope=1, other=2)),
    case("init_positional_and_keyword", lambda ns: ns.Book(None, "a", title="b")),
    case("init_too_many_positional", lambda ns: ns.Book(None, "a", 1, 2, 3)),
    case("init_deferred_keyword",
         lambda ns: sorted(ns.Book(title=ns.models.base.DEFERRED, pages=2).get_deferred_fields())),
    case("init_relation_object_cached", lambda ns: (lambda a: ns.Book(author=a).author is a)(ns.Author(pk=5, name="n"))),
]


@parametrize(CASES)
def test_routing_and_init(env, case):
    env.check(case)
