"""Candidate pairs found by `aigaq dedup`, and the merges made from them (with what undoes them)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MatchCandidate(models.Model):
    """Two persons that may be one. `left` is always the lower id, so a pair is stored once."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        MERGED = "merged", _("Merged")
        REJECTED = "rejected", _("Not the same")

    left = models.ForeignKey("registry.Person", on_delete=models.CASCADE, related_name="+")
    right = models.ForeignKey("registry.Person", on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(help_text=_("log-odds (bits) that the two records are one person"))
    name_similarity = models.FloatField(default=0.0)
    # [{"field": "name", "weight": 4.0, "detail": "..."}]: positive weights for, negative against.
    evidence = models.JSONField(default=list)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    found_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-score", "id"]
        constraints = [models.UniqueConstraint(fields=["left", "right"], name="uniq_match_pair")]
        indexes = [models.Index(fields=["state", "score"])]

    def __str__(self) -> str:
        return f"{self.left_id} ~ {self.right_id} ({self.score:.1f})"

    @property
    def evidence_for(self) -> list[dict]:
        return [e for e in self.evidence if e.get("weight", 0) > 0]

    @property
    def evidence_against(self) -> list[dict]:
        return [e for e in self.evidence if e.get("weight", 0) < 0]

    @property
    def evidence_neutral(self) -> list[dict]:
        return [e for e in self.evidence if e.get("weight", 0) == 0]


class Merge(models.Model):
    """One merge of `merged` into `survivor`, with a snapshot of every row it changed."""

    survivor = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    merged = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    candidate = models.ForeignKey(MatchCandidate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # {"table": [{"column": value, ...}, ...]}: raw database rows as they were before the merge
    # (encrypted columns stay encrypted), and "deleted": rows the merge removed.
    snapshot = models.JSONField()
    merged_at = models.DateTimeField(default=timezone.now)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-merged_at", "-id"]

    def __str__(self) -> str:
        return f"{self.merged_id} → {self.survivor_id}"
