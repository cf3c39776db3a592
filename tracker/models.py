from django.db import models


class RecordVersion(models.Model):
    """One row: a number that moves on whenever a public record changes (`tracker.caching`).

    Kept in the database, not in Redis, so that every process reads the same version whatever
    state the cache server is in, and a committed write can always be told apart."""

    ROW_ID = 1

    number = models.BigIntegerField(default=1)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="record_version_single_row")]

    def __str__(self):
        return f"record version {self.number}"
