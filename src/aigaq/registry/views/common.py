"""Helpers shared by the staff views."""

from __future__ import annotations

from django.db.models import QuerySet

from aigaq.registry.models import Place


def gazetteer_places() -> QuerySet:
    """The places offered in the place fields' suggestion list (an HTML datalist)."""
    return Place.objects.order_by("code").only("code", "name_en", "name_kk", "name_ru", "name_zh")
