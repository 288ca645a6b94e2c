"""Fixtures of the dossier tests. The leak test's sentinel record is reused as it is: loaded from
tests/publish/conftest.py by path (a plain `from conftest import` would be ambiguous)."""

from __future__ import annotations

import importlib.util
import sys
from datetime import date
from pathlib import Path

import pytest
from dossier_helpers import NAMES

_spec = importlib.util.spec_from_file_location(
    "aigaq_tests_publish_conftest", Path(__file__).resolve().parents[1] / "publish" / "conftest.py")
_leak = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = _leak  # dataclasses look their module up there
_spec.loader.exec_module(_leak)

leak_record = _leak.leak_record
no_leak = _leak.no_leak


@pytest.fixture
def case(leak_record, tmp_path):
    """The leak record's public person, with names in four scripts, an event and two evidence
    items in the vault (a photo linked to the person, a document linked to a public testimony)."""
    from aigaq.registry.models import Person, PersonName, Testimony
    from aigaq.vault.ingest import ingest_path

    person = Person.objects.get(uid=leak_record.public_uid)
    PersonName.objects.create(person=person, text=NAMES["Hans"], script="Hans", kind="chinese")
    PersonName.objects.create(person=person, text=NAMES["Arab"], script="Arab", kind="full")
    doc = tmp_path / "verdict.pdf"
    doc.write_bytes(b"%PDF-1.4\n% a court verdict\n" + b"x" * 500)
    shown = Testimony.objects.get(title="PublicOKTITLE")
    doc_item = ingest_path(doc, source="court", testimony=shown, derivatives=False).item
    photo = tmp_path / "photo.png"
    photo.write_bytes(_png())
    photo_item = ingest_path(photo, person=person).item
    # Items of a testimony that is not published in full, and of the anonymised person: never listed.
    hidden = tmp_path / "hidden.txt"
    hidden.write_bytes(b"SENTINELHIDDENFILE evidence of an unpublished testimony")
    ingest_path(hidden, testimony=Testimony.objects.get(title="SENTINELANONWITTITLE"), derivatives=False)
    anon = Person.objects.get(uid=leak_record.anon_uid)
    anon_file = tmp_path / "anon.txt"
    anon_file.write_bytes(b"evidence about the anonymised person")
    anon_item = ingest_path(anon_file, person=anon, derivatives=False).item
    leak_record.forbidden[anon_item.sha256] = "fingerprint of an anonymised person's evidence"
    return {"person": person, "anon": anon, "doc": doc_item, "photo": photo_item, "anon_item": anon_item,
            "rec": leak_record, "date": date(2017, 11, 2)}


def _png() -> bytes:
    """A small real PNG (Pillow is a test dependency)."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (60, 80), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()
