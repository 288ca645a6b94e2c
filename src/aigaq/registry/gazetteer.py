"""Load the shipped gazetteer (registry/data/gazetteer.csv) into Place rows, idempotently."""

from __future__ import annotations

import csv
from pathlib import Path

from django.db import transaction

from aigaq.registry.models import Place

GAZETTEER = Path(__file__).with_name("data") / "gazetteer.csv"
FIELDS = ["level", "name_zh", "name_pinyin", "name_en", "name_kk", "name_ug", "name_ru", "sources"]


@transaction.atomic
def load_gazetteer(path: Path = GAZETTEER) -> tuple[int, int]:
    """Create or update every row; returns (created, updated). Parents come before children."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    existing = {p.code: p for p in Place.objects.all()}
    created = updated = 0
    pending = rows
    while pending:
        later = []
        for row in pending:
            parent_code = row.get("parent_code") or ""
            if parent_code and parent_code not in existing:
                later.append(row)
                continue
            values = {f: (row.get(f) or "").strip() for f in FIELDS}
            values["parent"] = existing.get(parent_code) if parent_code else None
            place = existing.get(row["code"])
            if place is None:
                existing[row["code"]] = Place.objects.create(code=row["code"], **values)
                created += 1
            elif any(getattr(place, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(place, k, v)
                place.save()
                updated += 1
        if len(later) == len(pending):
            missing = sorted({r["parent_code"] for r in later})
            raise ValueError(f"{path}: parent codes not found: {', '.join(missing[:10])}")
        pending = later
    return created, updated
