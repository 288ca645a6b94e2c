"""What the static mirror needs to republish incrementally."""

from __future__ import annotations

from django.db import models


class PersonChange(models.Model):
    """The last time anything a person's public page depends on changed.

    Written by signal handlers (publish.changes) for names, events, testimonies, witnesses and
    translations; `aigaq publish` re-renders the persons changed since its last run. Not a foreign
    key, so that the change of a deleted person is still seen.
    """

    person_id = models.BigIntegerField(primary_key=True)
    changed_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"person {self.person_id} changed {self.changed_at:%Y-%m-%d %H:%M:%S}"
