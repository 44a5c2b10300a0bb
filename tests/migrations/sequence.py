"""A sequence of model changes (one models.py per step) for the differential migration tests."""

HEADER = "from django.db import models\n\n\n"


def _source(author, book, extra=""):
    return HEADER + "class Author(models.Model):\n" + author + "\n\n" + \
        "class Book(models.Model):\n" + book + "\n\n" + extra


AUTHOR = ['    name = models.CharField(max_length=50)']
BOOK = ['    title = models.CharField(max_length=100)', '    author = models.ForeignKey(Author, models.CASCADE)']


def _lines(lines, meta=None):
    body = "\n".join(lines)
    if meta:
        body += "\n\n    class Meta:\n" + "\n".join("        " + m for m in meta)
    return body + "\n"


def steps():
    """[(description, models source)] in order; each step changes the previous one."""
    author, book, book_meta, extra, tag_meta = list(AUTHOR), list(BOOK), [], "", []
    out = []

    def snap(description):
        out.append((description, _source(_lines(author), _lines(book, book_meta), extra_source())))

    def extra_source():
        parts = []
        if "imprint" in state:
            parts.append("class Imprint(models.Model):\n    label = models.CharField(max_length=20)\n")
        if "publisher" in state:
            parts.append("class Publisher(models.Model):\n    city = models.CharField(max_length=30)\n")
        if "tag" in state:
            parts.append("class %s(models.Model):\n    word = models.CharField(max_length=20)\n%s" % (
                state["tag"], ("\n    class Meta:\n" + "\n".join("        " + m for m in tag_meta) + "\n")
                if tag_meta else ""))
        return "\n\n".join(parts)

    state = {}
    snap("initial: two models and a foreign key")
    author.append('    email = models.EmailField(null=True)')
    snap("add a nullable field")
    book.append('    pages = models.IntegerField(default=0)')
    snap("add a non-null field with a default")
    author.remove('    email = models.EmailField(null=True)')
    snap("remove a field")
    book[0] = '    name = models.CharField(max_length=100)'
    snap("rename a field")
    book.append('    subtitle = models.CharField(max_length=40, null=True)')
    snap("add a nullable text field")
    book[-1] = '    subtitle = models.CharField(max_length=40, default="")'
    snap("null to non-null with a default")
    author[0] = '    name = models.CharField(max_length=80)'
    snap("change max_length")
    book[2] = '    pages = models.BigIntegerField(default=0)'
    snap("change the type")
    book.append('    price = models.DecimalField(max_digits=5, decimal_places=2, default=0)')
    snap("add a decimal field")
    book[-1] = '    price = models.DecimalField(max_digits=7, decimal_places=3, default=0)'
    snap("change decimal places")
    book_meta[:] = ['indexes = [models.Index(fields=["pages"], name="seq_book_pages_idx")]']
    snap("add an index")
    book_meta[:] = ['indexes = []']
    snap("remove the index")
    book_meta[:] = ['constraints = [models.UniqueConstraint(fields=["name", "author"], name="seq_book_name_uniq")]']
    snap("add a unique constraint")
    book_meta[:] = ['constraints = [models.CheckConstraint(condition=models.Q(pages__gte=0), name="seq_pages_gte")]']
    snap("swap it for a check constraint")
    book_meta[:] = []
    snap("remove the check constraint")
    state["imprint"] = True
    snap("add a model")
    book.append('    editor = models.ForeignKey(Author, models.SET_NULL, null=True, related_name="edited")')
    snap("add a foreign key")
    book.remove(book[-1])
    snap("remove the foreign key")
    book.append('    imprint = models.ForeignKey("Imprint", models.SET_NULL, null=True)')
    snap("foreign key to the new model")
    state["publisher"] = True
    book[-1] = '    imprint = models.ForeignKey("Publisher", models.SET_NULL, null=True)'
    snap("retarget the foreign key")
    state["tag"] = "Tag"
    book.append('    tags = models.ManyToManyField("Tag")')
    snap("add a many-to-many field")
    tag_meta[:] = ['db_table = "migr_seq_labels"']
    snap("rename the table")
    book_meta[:] = ['unique_together = [("name", "author")]']
    snap("unique_together")
    book.append('    double_pages = models.GeneratedField(expression=models.F("pages") * 2, '
                'output_field=models.BigIntegerField(), db_persist=True)')
    snap("add a generated field")
    state["tag"] = "Label"
    book[book.index('    tags = models.ManyToManyField("Tag")')] = '    tags = models.ManyToManyField("Label")'
    snap("rename a model")
    del state["imprint"]
    snap("delete a model")
    book_meta[:] = []
    snap("remove unique_together")
    author.append('    slug = models.SlugField(default="a")')
    snap("add an indexed field with a default")
    return [(d, s.replace("class ", "class ", 1)) for d, s in out]
