"""GeneratedField models (the seeds' Post.word_count)."""
from ormlette.db import models
from ormlette.db.models import F
from ormlette.db.models.functions import Length, Lower


class GenPost(models.Model):
    """A stored and a virtual generated column."""

    body = models.TextField()
    price = models.DecimalField(max_digits=8, decimal_places=2, default=0)
    qty = models.IntegerField(default=1)
    word_count = models.GeneratedField(expression=Length("body"), output_field=models.IntegerField(),
                                       db_persist=True)
    total = models.GeneratedField(expression=F("price") * F("qty"),
                                  output_field=models.DecimalField(max_digits=12, decimal_places=2),
                                  db_persist=True)
    lowered = models.GeneratedField(expression=Lower("body"), output_field=models.CharField(max_length=200),
                                    db_persist=False)

    class Meta:
        app_label = "writes"
