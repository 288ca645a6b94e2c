"""Every environment variable the code reads is documented in docs/settings.md (datasette-style)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
READERS = re.compile(
    r"""(?:env(?:str|bool|int|list)|os\.environ\.get|os\.getenv|os\.environ\.setdefault)\(\s*f?["']([A-Z][A-Z0-9_]+)["']"""
)
NOT_SETTINGS = {"DJANGO_SETTINGS_MODULE"}


def read_variables() -> set[str]:
    names = set()
    for path in (ROOT / "src" / "aigaq").rglob("*.py"):
        if "settings_test" in path.name:
            continue
        names.update(READERS.findall(path.read_text(encoding="utf-8")))
    return names - NOT_SETTINGS


def test_the_scan_finds_the_known_settings():
    # Guards the regex itself: if it stopped matching, the next test would pass vacuously.
    assert {"AIGAQ_DATA", "DATABASE_URL", "AIGAQ_SECRET_KEY"} <= read_variables()


def test_every_setting_is_documented():
    doc = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    missing = sorted(n for n in read_variables() if f"`{n}`" not in doc)
    assert not missing, f"document these in docs/settings.md: {', '.join(missing)}"
