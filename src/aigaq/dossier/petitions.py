"""Petitions and submissions: templates filled from a case, rendered in a sandbox, as PDF or DOCX.

The sandbox is a Django template Engine with no loaders and a builtins library reduced to tags
that only read the context (if, for, with, firstof…) and the default filters: `load`,
`include`, `extends`, `debug`, `url`, `csrf_token` are unknown tags there. The context holds
plain strings, lists and dicts (never model instances), so a template edited by an
administrator can print the case and nothing else.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from django.template import Context, TemplateSyntaxError
from django.template.engine import Engine
from django.utils import translation
from django.utils.translation import gettext as _

from aigaq.dossier.data import DJANGO_LANGUAGE
from aigaq.dossier.models import DossierLanguage, PetitionKind, PetitionTemplate

DEFAULTS_DIR = Path(__file__).with_name("defaults")
DEFAULT_NAMES = {
    PetitionKind.WGEID: {"en": "UN WGEID communication (individual case)",
                         "ru": "Сообщение в РГНИ ООН (индивидуальный случай)",
                         "kk": "БҰҰ ЕЖЖТ жұмыс тобына хабарлама (жеке іс)",
                         "zh": "联合国强迫失踪问题工作组个案来文"},
    PetitionKind.EMBASSY: {"en": "Appeal to an embassy", "ru": "Обращение в посольство",
                           "kk": "Елшілікке үндеу хат", "zh": "致大使馆的呼吁信"},
    PetitionKind.LETTER: {"en": "Family petition", "ru": "Петиция семьи", "kk": "Отбасының өтініші",
                          "zh": "家属请愿书"},
}
# The first events that say how the person was taken, in order of preference.
TAKEN = ("disappeared", "arrested", "detained", "sentenced", "house_arrest", "forced_labour")


class SandboxEngine(Engine):
    default_builtins = ["aigaq.dossier.sandbox"]


_ENGINE = SandboxEngine(loaders=[], libraries={}, autoescape=False, string_if_invalid="")


class TemplateRefused(Exception):
    """The template uses something the sandbox does not allow, or does not parse."""


def compile_body(body: str):
    try:
        return _ENGINE.from_string(body)
    except TemplateSyntaxError as exc:
        raise TemplateRefused(str(exc)) from None


def render(template: PetitionTemplate | str, context: dict) -> str:
    body = template if isinstance(template, str) else template.body
    return compile_body(body).render(Context(context, autoescape=False)).strip() + "\n"


def case_context(person, language: str = "en") -> dict:
    """Everything a petition may say about a person, as plain data, labels in `language`.

    From the staff record (a petition is written for the family, and the UN needs the real
    identity), but never witness contact details, addresses or internal notes."""
    from aigaq.registry.models import Event

    with translation.override(DJANGO_LANGUAGE.get(language, "en")):
        lang = DJANGO_LANGUAGE.get(language, "en")
        events = list(Event.objects.filter(person=person).select_related("place", "facility")
                      .order_by("date_start", "id"))

        def place(p) -> str:
            return ", ".join(n.local_name(lang) for n in reversed(p.path()[1:])) if p else ""

        ev_rows = [{
            "date": e.date_label, "what": e.get_type_display(), "type": e.type,
            "place": place(e.place or (e.facility.place if e.facility else None)),
            "facility": e.facility.name if e.facility else "",
            "facility_kind": e.facility.get_kind_display() if e.facility else "",
            "sentence_months": e.sentence_months or "", "charge": e.charge, "description": e.description,
        } for e in events]
        taken = next((r for t in TAKEN for r in ev_rows if r["type"] == t), ev_rows[0] if ev_rows else {})
        sources = []
        for link in person.testimony_links.select_related("testimony__witness").order_by("testimony__recorded_on"):
            w = link.testimony.witness
            sources.append({"name": w.full_name if w else "", "relationship": link.get_relationship_display(),
                            "recorded_on": link.testimony.recorded_on.isoformat() if link.testimony.recorded_on else ""})
        names = [{"text": n.text, "script": n.get_script_display(), "kind": n.get_kind_display()}
                 for n in person.names.all()]
        return {
            "person": {
                "name": person.display_name, "names": names,
                "other_names": "; ".join(n["text"] for n in names if n["text"] != person.display_name),
                "gender": person.get_gender_display() if person.gender else "",
                "birth": person.birth_label, "ethnicity": person.get_ethnicity_display() if person.ethnicity else "",
                "citizenship": person.citizenship, "occupation": person.occupation,
                "home_place": place(person.home_place), "status": person.get_status_display(),
                "status_since": person.status_since.isoformat() if person.status_since else "",
                "record": str(person.uid),
            },
            "events": ev_rows, "taken": taken, "sources": sources, "source": sources[0] if sources else {},
            "today": date.today().isoformat(), "language": language,
        }


def install_defaults() -> int:
    """Add the shipped templates that are missing; never overwrite an administrator's edits."""
    created = 0
    for kind, names in DEFAULT_NAMES.items():
        for lang in DossierLanguage.values:
            body = (DEFAULTS_DIR / f"{kind}.{lang}.txt").read_text(encoding="utf-8")
            _, new = PetitionTemplate.objects.get_or_create(
                name=names[lang], language=lang, defaults={"kind": kind, "body": body, "is_default": True})
            created += new
    return created


def as_docx(title: str, text: str) -> bytes:
    """An editable Word document: a heading and one paragraph per line (DejaVu Sans, which has
    Cyrillic; Word substitutes a CJK font for Chinese by itself)."""
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "DejaVu Sans"
    style.font.size = Pt(10.5)
    doc.core_properties.title = title
    doc.core_properties.author = "Aigaq"
    doc.add_heading(title, level=1)
    for line in text.rstrip("\n").split("\n"):
        doc.add_paragraph(line)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def generate(template: PetitionTemplate, person, fmt: str = "pdf", *, user=None) -> tuple[bytes, str, str]:
    """(content, file name, content type) of the filled template; logged as an export."""
    from aigaq.dossier.pdf import letter_pdf

    text = render(template, case_context(person, template.language))
    stem = f"{template.kind}-{str(person.uid)[:8]}-{template.language}"
    if fmt == "docx":
        content = as_docx(template.name, text)
        ctype = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    elif fmt == "pdf":
        content, ctype = letter_pdf(template.name, text, language=template.language), "application/pdf"
    elif fmt == "txt":
        content, ctype = text.encode("utf-8"), "text/plain; charset=utf-8"
    else:
        raise ValueError(_("format %(fmt)s: pdf, docx or txt") % {"fmt": fmt})
    try:
        from aigaq import audit

        audit.record("export", person, user=user, changes={
            "what": "petition", "template": template.name, "language": template.language, "format": fmt})
    except ImportError:
        pass
    return content, f"{stem}.{fmt}", ctype
