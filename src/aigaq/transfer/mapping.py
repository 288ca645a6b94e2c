"""Which column holds what: guessed from header names in English, Russian and Kazakh, and
remembered per layout (the normalised header row), so a group's recurring file is mapped once."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# field -> label. "name" may be given to several columns (one name form each, any script).
FIELDS: dict[str, str] = {
    "": _("(ignore this column)"),
    "name": _("Name (one form; several columns allowed)"),
    "gender": _("Gender"),
    "ethnicity": _("Ethnicity"),
    "birth": _("Birth year or date"),
    "citizenship": _("Citizenship"),
    "occupation": _("Occupation"),
    "home_place": _("Home place (gazetteer code or name)"),
    "publication": _("Publication consent"),
    "notes": _("Internal notes"),
    "detained_on": _("Detained: date"),
    "detention_place": _("Detained: place"),
    "facility": _("Facility"),
    "sentenced_on": _("Sentenced: date"),
    "sentence_years": _("Sentence (years)"),
    "charge": _("Charge"),
    "released_on": _("Released: date"),
    "event_notes": _("What happened (description)"),
}
REPEATABLE = {"name"}

# Checked in order on the normalised header; the first rule that matches wins. A pattern
# matches at the start of a word ("=" before it: the whole word, so "пол" is not "полное"); Chinese
# anywhere; "a+b": both. Place-ish
# detention headers come before the date rule, facility before name ("facility name").
_RULES: list[tuple[str, tuple[str, ...]]] = [
    ("detention_place", ("detention+place", "detained+place", "задерж+мест", "арест+мест", "ұстал+жер",
                         "ұстал+орн", "拘留地")),
    ("sentenced_on", ("sentence date", "date of sentence", "sentenced on", "дата приговора", "үкім күні")),
    ("sentence_years", ("sentence", "срок", "приговор", "мерзім", "үкім", "刑期")),
    ("released_on", ("release", "освобож", "босат", "释放")),
    ("facility", ("facility", "camp", "prison", "лагер", "тюрьм", "учрежд", "түрме", "мекеме", "营", "监狱")),
    ("detained_on", ("detention", "detained", "задерж", "арест", "ұстал", "拘留", "关押")),
    ("home_place", ("place of birth", "birthplace", "birth place", "место рожд", "туған жері", "出生地")),
    ("birth", ("birth", "born", "рожд", "туған", "туылған", "出生")),
    ("home_place", ("home", "county", "hometown", "место жител", "родом", "уезд", "район", "тұрғылықты",
                    "ауданы", "мекенжай", "туған жері", "籍贯", "住址", "家乡")),
    ("gender", ("gender", "=sex", "=пол", "жынысы", "性别")),
    ("ethnicity", ("ethnic", "национальн", "ұлты", "民族")),
    ("citizenship", ("citizenship", "nationality", "гражданств", "азаматтығы", "国籍")),
    ("occupation", ("occupation", "profession", "=job", "професс", "род занят", "кәсіб", "мамандығ", "职业")),
    ("charge", ("charge", "статья", "обвинен", "айып", "罪名")),
    ("publication", ("publication", "consent", "публикац", "согласи", "келісім")),
    ("notes", ("note", "comment", "status", "примеч", "коммент", "статус", "ескерт", "备注")),
    ("name", ("name", "фио", "ф.и.о", "имя", "=аты", "аты жөні", "есім", "姓名", "名字")),
]


def normalise_header(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").casefold()
    return re.sub(r"\s+", " ", re.sub(r"[_\-–—:/|()\[\]]+", " ", text)).strip()


def _matches(pattern: str, norm: str) -> bool:
    if "+" in pattern:  # every part, anywhere in the header ("Задержание / Место")
        return all(_matches(p, norm) for p in pattern.split("+"))
    if re.search(r"[\u3400-\u9fff]", pattern):
        return pattern in norm
    if pattern.startswith("="):
        return re.search(rf"(?:^|\s){re.escape(pattern[1:])}(?:$|\s)", norm) is not None
    return re.search(rf"(?:^|\s){re.escape(pattern)}", norm) is not None


def layout_key(headers: list[str]) -> str:
    canonical = json.dumps([normalise_header(h) for h in headers], ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def guess(headers: list[str]) -> list[str]:
    """One field (or "") per column; each field but name at most once."""
    taken: set[str] = set()
    out = []
    for h in headers:
        norm = normalise_header(h)
        found = ""
        for field, patterns in _RULES:
            if any(_matches(p, norm) for p in patterns) and (field in REPEATABLE or field not in taken):
                found = field
                break
        if found and found not in REPEATABLE:
            taken.add(found)
        out.append(found)
    return out


def recall(headers: list[str]) -> list[str] | None:
    from aigaq.transfer.models import ImportLayout

    layout = ImportLayout.objects.filter(header_hash=layout_key(headers)).first()
    if layout is None or len(layout.mapping) != len(headers):
        return None
    return list(layout.mapping)


def remember(headers: list[str], mapping: list[str]) -> None:
    from aigaq.transfer.models import ImportLayout

    layout, _ = ImportLayout.objects.get_or_create(header_hash=layout_key(headers), defaults={"headers": headers})
    layout.headers, layout.mapping = headers, list(mapping)
    layout.uses += 1
    layout.updated_at = timezone.now()
    layout.save()


class MappingError(ValueError):
    pass


def check(mapping: list[str]) -> None:
    unknown = sorted({f for f in mapping if f not in FIELDS})
    if unknown:
        raise MappingError(f"unknown field(s) {', '.join(unknown)}; fields are: {', '.join(f for f in FIELDS if f)}")
    for field in FIELDS:
        if field and field not in REPEATABLE and mapping.count(field) > 1:
            raise MappingError(f"the field {field!r} is given to {mapping.count(field)} columns; only 'name' may repeat")
    if "name" not in mapping:
        raise MappingError("no column is mapped to 'name': every row needs the person's name")


def parse_mapping(spec: str, headers: list[str]) -> list[str]:
    """--mapping: a JSON file {"column": "field"} or inline "column=field,column=field".

    A column is named by its header text, its letter (A, B…) or its number (1, 2…). Columns not
    named keep the guessed field; map a column to "" to ignore it.
    """
    from aigaq.transfer.readers import column_letter

    path = Path(spec)
    if path.suffix.lower() == ".json" or path.is_file():
        try:
            pairs = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise MappingError(f"cannot read the mapping file {spec}: {exc}") from None
        if not isinstance(pairs, dict):
            raise MappingError(f"{spec}: expected a JSON object {{\"column\": \"field\"}}")
        items = list(pairs.items())
    else:
        items = []
        for part in spec.split(","):
            if "=" not in part:
                raise MappingError(f"--mapping: expected column=field, not {part!r}")
            col, _, field = part.rpartition("=")
            items.append((col.strip(), field.strip()))
    mapping = guess(headers)
    norm = [normalise_header(h) for h in headers]
    for col, field in items:
        key = normalise_header(str(col))
        if key in norm:
            idx = norm.index(key)
        elif re.fullmatch(r"[A-Za-z]{1,3}", str(col)) and str(col).upper() in [column_letter(i) for i in range(len(headers))]:
            idx = [column_letter(i) for i in range(len(headers))].index(str(col).upper())
        elif str(col).isdigit() and 1 <= int(col) <= len(headers):
            idx = int(col) - 1
        else:
            raise MappingError(f"--mapping names a column {col!r} that the file does not have")
        mapping[idx] = field or ""
    return mapping
