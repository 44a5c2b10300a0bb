"""create_tables(..., if_not_exists=True) and drop_tables; the README snippet runs twice."""
import os
import re
import subprocess
import sys

import pytest

import ormlette
from ormlette import db
from ormlette.db import models

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class Shelf(models.Model):
    """A model whose tables the test creates and drops itself."""

    label = models.CharField(max_length=20, db_index=True)

    class Meta:
        app_label = "connections"


class Book(models.Model):
    """With a many-to-many (its table is created and dropped with the model)."""

    title = models.CharField(max_length=20)
    shelves = models.ManyToManyField(Shelf)

    class Meta:
        app_label = "connections"


def test_create_tables_twice_with_if_not_exists_and_strict_by_default():
    ormlette.create_tables(Shelf, Book)
    try:
        shelf = Shelf.objects.create(label="a")
        ormlette.create_tables(Shelf, Book, if_not_exists=True)
        assert list(Shelf.objects.values_list("label", flat=True)) == ["a"]  # existing data untouched
        Book.objects.create(title="t").shelves.add(shelf)
        with pytest.raises(db.DatabaseError):
            ormlette.create_tables(Shelf)
    finally:
        ormlette.drop_tables(Shelf, Book)
    with pytest.raises(db.DatabaseError):
        Shelf.objects.count()
    ormlette.drop_tables(Shelf, Book)  # nothing left to drop: no error


def readme_snippet():
    with open(os.path.join(ROOT, "README.md")) as f:
        text = f.read()
    usage = text.split("## Usage", 1)[1]
    return re.search(r"```python\n(.*?)```", usage, re.S).group(1)


def test_the_readme_snippet_runs_twice(tmp_path):
    script = tmp_path / "snippet.py"
    script.write_text(readme_snippet())
    env = dict(os.environ, PYTHONPATH=ROOT)
    env.pop("DATABASE_URL", None)
    for run in range(2):
        result = subprocess.run([sys.executable, str(script)], cwd=tmp_path, env=env, capture_output=True,
                                text=True, timeout=120)
        assert result.returncode == 0, "run %d: %s" % (run + 1, result.stderr)
    assert (tmp_path / "app.db").exists()
