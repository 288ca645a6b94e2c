"""Validators shared by forms, the API and imports. Messages say what to fix."""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_MARKUP = re.compile(r"<\s*[a-zA-Z/!?]|&#?\w+;|javascript:", re.IGNORECASE)
_CONTROL_OK = {"\n", "\r", "\t"}


def no_markup(value: str) -> None:
    """Single-line human text (names, titles) never holds HTML: refuse it rather than guess."""
    if value and _MARKUP.search(value):
        raise ValidationError(
            _("Remove the HTML or script (“<…>”, “&…;”, “javascript:”): type plain text only."),
            code="markup",
        )


def no_control_chars(value: str) -> None:
    if not value:
        return
    for ch in value:
        if unicodedata.category(ch) in ("Cc", "Cs", "Co") and ch not in _CONTROL_OK:
            raise ValidationError(
                _("Remove the invisible control character (U+%(code)04X); it was probably pasted by accident."),
                params={"code": ord(ch)},
                code="control",
            )


def not_blank(value: str) -> None:
    if value is None or not str(value).strip():
        raise ValidationError(_("This cannot be empty."), code="blank")


def clean_text(value: str | None) -> str:
    """Normalise to NFC and trim; the one place stored text is tidied."""
    if value is None:
        return ""
    return unicodedata.normalize("NFC", str(value)).strip()


LINE_VALIDATORS = [no_control_chars, no_markup]
TEXT_VALIDATORS = [no_control_chars]
