"""The Kazakh and Russian catalogues are complete, unfuzzy, consistent and compiled."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[2] / "src" / "aigaq" / "locale"
PLURALS = {"kk": 2, "ru": 4}
PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[sdifxXr]")


def _unquote(parts: list[str]) -> str:
    return "".join(bytes(p, "utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8") for p in parts)


def parse_po(path: Path) -> list[dict]:
    """Entries of a .po file: msgctxt, msgid, msgid_plural, msgstr / msgstr[n], flags, obsolete."""
    entries, current, key = [], None, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if current:
                entries.append(current)
            current, key = None, None
            continue
        current = current or {"flags": set(), "obsolete": False, "strings": {}}
        if line.startswith("#~"):
            current["obsolete"] = True
            continue
        if line.startswith("#,"):
            current["flags"].update(f.strip() for f in line[2:].split(","))
            continue
        if line.startswith("#"):
            continue
        m = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+"(.*)"$', line)
        if m:
            key = m[1]
            current["strings"][key] = [m[2]]
        else:
            current["strings"][key].append(re.match(r'^"(.*)"$', line)[1])
    for e in entries:
        e.update({k: _unquote(v) for k, v in e.pop("strings").items()})
    return entries


@pytest.fixture(scope="module", params=["kk", "ru"])
def catalogue(request):
    path = LOCALE / request.param / "LC_MESSAGES" / "django.po"
    return request.param, path, [e for e in parse_po(path) if not e["obsolete"]]


def test_header_names_the_language_and_its_plural_forms(catalogue):
    lang, _path, entries = catalogue
    header = next(e for e in entries if e["msgid"] == "" and "msgctxt" not in e)
    assert "fuzzy" not in header["flags"]
    assert f"Language: {lang}\n" in header["msgstr"]
    assert f"nplurals={PLURALS[lang]};" in header["msgstr"]


def test_every_message_is_translated_and_none_is_fuzzy(catalogue):
    lang, _path, entries = catalogue
    messages = [e for e in entries if e["msgid"]]
    assert len(messages) > 200
    fuzzy = [e["msgid"] for e in messages if "fuzzy" in e["flags"]]
    assert fuzzy == [], f"{lang}: fuzzy entries"
    empty = [e["msgid"] for e in messages if "msgid_plural" not in e and not e["msgstr"].strip()]
    assert empty == [], f"{lang}: untranslated"
    for e in (e for e in messages if "msgid_plural" in e):
        forms = [e.get(f"msgstr[{i}]", "") for i in range(PLURALS[lang])]
        assert all(f.strip() for f in forms), f"{lang}: plural forms missing for {e['msgid']!r}"


def test_placeholders_survive_translation(catalogue):
    lang, _path, entries = catalogue
    for e in entries:
        if not e["msgid"]:
            continue
        wanted = set(PLACEHOLDER.findall(e["msgid"])) | set(PLACEHOLDER.findall(e.get("msgid_plural", "")))
        translations = [v for k, v in e.items() if k.startswith("msgstr")]
        for t in translations:
            got = set(PLACEHOLDER.findall(t))
            assert got <= wanted, f"{lang}: {e['msgid']!r} -> {t!r} uses unknown placeholders {got - wanted}"
        if "msgid_plural" not in e:
            assert set(PLACEHOLDER.findall(translations[0])) == wanted, f"{lang}: {e['msgid']!r} lost a placeholder"


def test_the_compiled_catalogue_matches_the_po_file(catalogue):
    """A fresh clone needs no gettext tools: the committed .mo holds every current translation."""
    lang, path, entries = catalogue
    with path.with_suffix(".mo").open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    for e in entries:
        if not e["msgid"]:
            continue
        if "msgid_plural" in e:
            got = compiled.npgettext(e["msgctxt"], e["msgid"], e["msgid_plural"], 1) if "msgctxt" in e \
                else compiled.ngettext(e["msgid"], e["msgid_plural"], 1)
            assert got == e["msgstr[0]"], f"{lang}: stale .mo for {e['msgid']!r}; run `make messages`"
        else:
            got = compiled.pgettext(e["msgctxt"], e["msgid"]) if "msgctxt" in e else compiled.gettext(e["msgid"])
            assert got == e["msgstr"], f"{lang}: stale .mo for {e['msgid']!r}; run `make messages`"


def test_testimony_and_witness_use_the_chosen_terms():
    """One word per concept: a reader must never wonder whether two words mean two things."""
    kk = {e["msgid"]: e.get("msgstr", "") for e in parse_po(LOCALE / "kk" / "LC_MESSAGES" / "django.po")}
    ru = {e["msgid"]: e.get("msgstr", "") for e in parse_po(LOCALE / "ru" / "LC_MESSAGES" / "django.po")}
    assert (kk["Testimony"], ru["Testimony"]) == ("Куәлік", "Свидетельство")
    assert (kk["Witness"], ru["Witness"]) == ("Куәгер", "Свидетель")
    assert (kk["Detained"], ru["Detained"]) == ("Ұсталған", "Задержан(а)")
    for msgid in kk:
        if "testimony" in msgid.lower() and "testimonies" not in msgid.lower():
            assert "показани" not in ru[msgid].lower(), msgid
