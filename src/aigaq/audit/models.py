"""The audit log: one append-only, hash-linked row per thing that happened.

Rows are written only by aigaq.audit.chain.record(). Each row's hash covers its content and the
previous row's hash; a MAC with a key kept outside the database covers the hash, so that someone
who can write the database but not read the data folder cannot rewrite the chain consistently.
`aigaq verify` (check "audit-chain") recomputes both.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class AuditEntry(models.Model):
    seq = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    # Plain ids, not foreign keys: deleting a user must not rewrite the log.
    actor_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    actor = models.CharField(max_length=200, help_text="username, 'cli:<os user>' or 'anonymous'")
    ip = models.CharField(max_length=64, blank=True)
    action = models.CharField(max_length=32, db_index=True)
    object_type = models.CharField(max_length=100, blank=True, db_index=True)
    object_id = models.CharField(max_length=64, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)
    mac = models.CharField(max_length=64)

    class Meta:
        ordering = ["-seq"]
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id} by {self.actor}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("audit entries are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("audit entries are never deleted")
