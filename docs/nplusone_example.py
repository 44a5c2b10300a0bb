"""The seeds' N+1 loop (seed 003: posts and their authors) under the detector, fetch modes and the report.

Run from the repository root: ``python docs/nplusone_example.py`` (writes report.html in the working folder).
"""
import warnings

import ormlette
import ormlette.nplusone
from ormlette.db import models


class Author(models.Model):
    name = models.CharField(max_length=100)

    class Meta:
        app_label = "blog"


class Post(models.Model):
    title = models.CharField(max_length=200)
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="posts")

    class Meta:
        app_label = "blog"


def main():
    ormlette.setup("sqlite://")  # in memory
    ormlette.create_tables(Author, Post)
    for name in ("Asha", "Ravi", "Mei"):
        author = Author.objects.create(name=name)
        for n in range(3):
            Post.objects.create(title="%s %d" % (name, n), author=author)
    warnings.simplefilter("always")

    with ormlette.nplusone.detect(action="warn"):
        posts = Post.objects.all()            # 1 query
        for post in posts:
            print(post.author.name)           # +1 query EACH time -> N+1

    with ormlette.report("report.html"):
        for post in Post.objects.all():
            post.author.name
        for author in Author.objects.all():
            author.posts.count()
        for post in Post.objects.fetch_mode(models.FETCH_PEERS):
            post.author.name                  # 2 queries in all


if __name__ == "__main__":
    main()
