"""Template helpers of the public site: links that work on the portal and in a static mirror,
and labels for the record's codes."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

from aigaq.publish.site import PORTAL
from aigaq.registry import choices

register = template.Library()

_CHOICES = {
    "status": choices.Status, "ethnicity": choices.Ethnicity, "event": choices.EventType,
    "gender": choices.Gender, "grade": choices.Grade, "facility": choices.FacilityKind,
    "relationship": choices.Relationship, "language": choices.Language, "level": choices.Publication,
    "script": choices.Script, "namekind": choices.NameKind,
}


@register.simple_tag(takes_context=True)
def purl(context, page: str, *args) -> str:
    return context.get("links", PORTAL).url(page, *args)


@register.simple_tag(takes_context=True)
def asset(context, path: str) -> str:
    return context.get("links", PORTAL).asset(path)


_LABELS: dict[tuple[str, str, str], str] = {}


@register.filter
def label(code, kind: str) -> str:
    # Cached per language: a mirror renders these labels hundreds of thousands of times.
    key = (kind, str(code), get_language() or "")
    if key not in _LABELS:
        try:
            _LABELS[key] = str(_CHOICES[kind](code).label)
        except ValueError:
            _LABELS[key] = str(code or "")
    return _LABELS[key]


@register.filter
def place(p, language: str = "en") -> str:
    return p.label(language) if p else ""
