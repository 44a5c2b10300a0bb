"""Models for full_clean() and constraint validation."""
from ormlette.core.exceptions import ValidationError
from ormlette.core.validators import MinValueValidator
from ormlette.db import models
from ormlette.db.models import F, Q
from ormlette.db.models.functions import Lower


class Event(models.Model):
    """Validators, choices, a check constraint across two fields and unique rules."""

    KINDS = [("talk", "Talk"), ("workshop", "Workshop")]

    name = models.CharField(max_length=20, unique=True)
    kind = models.CharField(max_length=10, choices=KINDS)
    seats = models.IntegerField(validators=[MinValueValidator(1)])
    start = models.IntegerField()
    end = models.IntegerField()
    room = models.CharField(max_length=10, blank=True)
    slot = models.IntegerField(null=True, blank=True)
    email = models.EmailField(blank=True)

    class Meta:
        app_label = "validation"
        unique_together = [("room", "slot")]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="event_end_after_start"),
            models.CheckConstraint(condition=Q(seats__lte=500), name="event_seats_cap",
                                   violation_error_message="Too many seats: %(name)s"),
            models.UniqueConstraint(fields=["kind", "start"], condition=Q(kind="talk"),
                                    name="one_talk_per_start"),
            models.UniqueConstraint(Lower("room"), name="room_ci_unique_unused",
                                    condition=Q(slot=-1)),
        ]

    def clean(self):
        if self.name == "forbidden":
            raise ValidationError("That name is forbidden.")
