"""One entry point for the command and the views: build, draw, and log the export."""

from __future__ import annotations

import base64
from dataclasses import asdict

from django.template.loader import render_to_string
from django.utils import translation

from aigaq.dossier import texts
from aigaq.dossier.data import DJANGO_LANGUAGE, EXTERNAL, Dossier, build

FORMATS = {"pdf": "application/pdf", "html": "text/html; charset=utf-8"}


def dossier_html(d: Dossier) -> str:
    persons = []
    for p in d.persons:
        item = asdict(p)
        item["photo_uri"] = (f"data:{p.photo[1]};base64,{base64.b64encode(p.photo[0]).decode('ascii')}"
                             if p.photo else "")
        persons.append(item)
    with translation.override(DJANGO_LANGUAGE[d.language]):
        return render_to_string("dossier/dossier.html", {
            "dossier": d, "persons": persons, "title": texts.title(d.internal),
            "verification": texts.verification(d.internal),
            "html_lang": {"zh": "zh-Hans"}.get(d.language, d.language),
        })


def make(person_ids: list[int], *, language: str = "en", fmt: str = "pdf", audience: str = EXTERNAL,
         user=None) -> tuple[bytes, str, str]:
    """(content, file name, content type) of a dossier; the export is written to the audit log."""
    from aigaq.dossier.pdf import dossier_pdf

    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r}: pdf or html")
    d = build(person_ids, language=language, audience=audience, user=user)
    content = dossier_pdf(d) if fmt == "pdf" else dossier_html(d).encode("utf-8")
    _audit(d, fmt, user)
    stem = d.persons[0].uid[:8] if len(d.persons) == 1 else f"{len(d.persons)}-persons"
    return content, f"dossier-{audience}-{stem}-{language}.{fmt}", FORMATS[fmt]


def _audit(d: Dossier, fmt: str, user) -> None:
    try:
        from aigaq import audit
    except ImportError:  # the audit log is another part's; a dossier does not depend on it
        return
    from aigaq.registry.models import Person

    for p in d.persons:
        audit.record("export", Person(pk=p.pk), user=user, changes={
            "what": "dossier", "audience": d.audience, "language": d.language, "format": fmt})
