"""Constants and helpers of the dossier tests, importable by name (see tests/personas.py for why
not from conftest)."""

from __future__ import annotations

NAMES = {
    "Latn": "Bekzat Ospanuly",
    "Cyrl": "Бекзат Оспанұлы",
    "Hans": "别克扎提·奥斯潘",
    "Arab": "بەكزات ئوسپان",
}


def pdf_text(content: bytes) -> str:
    """The text of every page, runs of white space made one space (table cells wrap words)."""
    import io
    import re

    from pypdf import PdfReader

    text = "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)
    return re.sub(r"\s+", " ", text)
