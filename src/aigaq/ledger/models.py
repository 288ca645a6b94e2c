"""The custody ledger: an append-only, hash-linked log of entries that form a Merkle tree.

Each entry stores its canonical bytes (`body`, canonical JSON that includes the previous
entry's hash); the other columns are copies for querying and are checked against the body by
`aigaq verify`. Nothing updates or deletes rows: `aigaq.ledger.log.append` is the one writer.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    INGESTED = "ingested", _("ingested")
    DERIVATIVE = "derivative made", _("derivative made")
    LINKED = "linked", _("linked to a record")
    EXPORTED = "exported", _("exported")
    PUBLISHED = "published", _("published")
    VERIFIED = "verified", _("verified")
    IMPORTED = "imported", _("imported")  # from a partner's bag or a channel download
    CAPTURED = "captured", _("captured from the web")  # one per capture, with its provenance
    SHA512 = "sha512 recorded", _("SHA-512 recorded")  # computed after ingest (vault.sha512 job)
    CLEARED = "cleared to publish", _("cleared for publication")  # an administrator's decision
    WITHDRAWN = "withdrawn", _("withdrawn from publication")


class Entry(models.Model):
    seq = models.BigIntegerField(unique=True)  # 0-based: the leaf index in the Merkle tree
    time = models.DateTimeField()
    kind = models.CharField(max_length=32)
    subject = models.CharField(max_length=128, db_index=True, blank=True)  # an item's SHA-256 mostly
    body = models.TextField()  # canonical JSON, exactly the bytes that were hashed (UTF-8)
    prev_hash = models.CharField(max_length=64)
    leaf_hash = models.CharField(max_length=64, unique=True)  # SHA-256(0x00 || body)

    class Meta:
        ordering = ["seq"]
        verbose_name_plural = "entries"

    def __str__(self) -> str:
        return f"#{self.seq} {self.kind} {self.subject[:12]}"


class Head(models.Model):
    """One row: the size and last hash of the log. Locked by every append, which serialises
    writers on PostgreSQL (SQLite serialises them with BEGIN IMMEDIATE already)."""

    size = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"ledger head {self.size}"


class Checkpoint(models.Model):
    size = models.BigIntegerField()
    root = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    text = models.TextField()  # the signed note, see proofs.checkpoint_text
    signature = models.CharField(max_length=100)  # base64 Ed25519
    public_key = models.CharField(max_length=60)  # base64 raw Ed25519 public key

    class Meta:
        ordering = ["size", "id"]

    def __str__(self) -> str:
        return f"checkpoint {self.size} {self.root[:12]}"

    def as_dict(self) -> dict:
        return {
            "size": self.size,
            "root": self.root,
            "created_at": self.created_at.isoformat(),
            "text": self.text,
            "signature": self.signature,
            "public_key": self.public_key,
        }
