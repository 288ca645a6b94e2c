"""Drawing dossiers and letters as PDF with fpdf2: Unicode TrueType fonts, HarfBuzz shaping (Arabic
script, right to left), a CJK fallback font for Chinese.

No bold face anywhere: a bold CJK face would mean parsing the large CJK font a second time, and
the CJK font is only added when the document holds Chinese characters (it is most of the cost).
Headings are told apart by size and colour instead.
"""

from __future__ import annotations

import io
import sys
import threading
from collections.abc import Iterable

from django.utils import translation
from django.utils.translation import gettext as _

from aigaq.dossier import layout, texts
from aigaq.dossier.data import DJANGO_LANGUAGE, Dossier, PersonDossier
from aigaq.dossier.fonts import cjk_font_for, fonts, has_cjk

INK, MUTED, ACCENT, WARN = (17, 17, 17), (85, 85, 85), (20, 60, 120), (160, 0, 0)


def _fpdf_class():
    """fpdf2's FPDF class, imported without numpy when this process runs alone.

    fpdf2 imports numpy only to go faster on two kinds of image (`try: import numpy`, with a
    pure-Python path otherwise); numpy's import is a quarter of fpdf2's, about 0.2 s of every
    `aigaq dossier`. The output is the same. Not in a threaded server: another thread could be
    importing numpy in that moment (there the import is paid once per process anyway)."""
    if "fpdf" in sys.modules or "numpy" in sys.modules or threading.active_count() > 1:
        from fpdf import FPDF

        return FPDF
    sys.modules["numpy"] = None  # `import numpy` raises ImportError
    try:
        from fpdf import FPDF
    finally:
        if sys.modules.get("numpy", 0) is None:
            del sys.modules["numpy"]
    return FPDF


def new_pdf(sample_text: Iterable[str], *, title: str = ""):
    """An A4 document with the fonts its text needs. Returns (pdf, cjk_missing)."""
    FPDF = _fpdf_class()  # noqa: N806

    fs = fonts()
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=15)
    pdf.set_margins(15, 15, 15)
    pdf.add_font("sans", "", str(fs.regular))
    pdf.add_font("mono", "", str(fs.mono))
    chars = {ord(c) for t in sample_text if t for c in t}
    cjk_needed = has_cjk("".join(map(chr, chars)))
    cjk = cjk_font_for(chars, fs) if cjk_needed else None
    cjk_missing = cjk_needed and cjk is None
    fallback = ["sans"]  # labels in the mono lines of proofs are in the dossier's language
    if cjk is not None:
        pdf.add_font("cjk", "", str(cjk))
        fallback.append("cjk")
    pdf.set_fallback_fonts(fallback, exact_match=False)  # for multi_cell (right-to-left text)
    if title:
        pdf.set_title(title)
    pdf.set_creator("Aigaq")
    pdf.set_font("sans", size=10)
    return pdf, cjk_missing


def _text(pdf, text: str, *, size: float = 10, color=INK, h: float | None = None, font: str = "sans") -> None:
    pdf.set_text_color(*color)
    layout.paragraph(pdf, text, size=size, h=h or size * 0.5, base=font)


def _lines(pdf, rows: list[str], *, size: float, h: float, color=MUTED) -> None:
    """Hashes and proofs: short lines in the monospaced font, never wrapped."""
    pdf.set_text_color(*color)
    layout.lines(pdf, rows, size=size, h=h, base="mono")


def _heading(pdf, text: str, size: float = 13) -> None:
    pdf.ln(2)
    _text(pdf, text, size=size, color=ACCENT)
    pdf.set_draw_color(*ACCENT)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(1.5)


def _table(pdf, header: list[str], rows: list[list[str]], widths: tuple[int, ...]) -> None:
    layout.table(pdf, header, rows, widths, size=8.5, lh=4.0, head_fill=ACCENT, ink=INK)


def _all_text(d: Dossier) -> Iterable[str]:
    for p in d.persons:
        yield p.display_name
        yield from (n[0] for n in p.names)
        yield from (v for _, v in p.facts)
        for e in p.events:
            yield from e.values()
        for t in p.testimonies:
            yield from (t["title"], t["summary"], t["witness"])
            yield from (text for _, text in t["translations"])
        yield p.notes
    yield _("Case dossier")  # the labels: Chinese in a zh dossier


def dossier_pdf(d: Dossier) -> bytes:
    with translation.override(DJANGO_LANGUAGE[d.language]):
        title = texts.title(d.internal)
        pdf, cjk_missing = new_pdf(_all_text(d), title=title)
        pdf.set_lang({"zh": "zh-CN"}.get(d.language, d.language))
        pdf.add_page()
        _text(pdf, title, size=17, color=ACCENT, h=9)
        if d.internal:
            _text(pdf, _("Internal dossier: the full record for the group's own case work. "
                         "Do not send it outside the group."), color=WARN)
        meta = _("Generated %(when)s by Aigaq.") % {"when": d.generated_at}
        if d.generated_by:
            meta += " " + _("Made by %(who)s.") % {"who": d.generated_by}
        _text(pdf, meta, size=8.5, color=MUTED)
        if cjk_missing:
            _text(pdf, texts.cjk_missing(), color=WARN)
        for i, p in enumerate(d.persons):
            if i:
                pdf.add_page()
            _person(pdf, p, d)
        if d.checkpoint:
            _verification(pdf, d)
        return bytes(pdf.output())


def _person(pdf, p: PersonDossier, d: Dossier) -> None:
    pdf.ln(3)
    top = pdf.get_y()
    if p.photo:
        try:
            pdf.image(io.BytesIO(p.photo[0]), x=pdf.w - pdf.r_margin - 35, y=top, w=35)
        except Exception:  # a damaged image must not cost the whole dossier  # noqa: BLE001
            pass
    _text(pdf, p.display_name, size=15, h=8)
    status = f"{_('Status')}: {p.status}"
    if p.status_since:
        status += " (" + _("since %(date)s") % {"date": p.status_since} + ")"
    _text(pdf, status, size=11, color=WARN)
    _text(pdf, f"{_('Record identifier')}: {p.uid}", size=8, color=MUTED)
    pdf.ln(1)
    right = 40 if p.photo else 0
    for k, v in p.facts:
        pdf.set_font("sans", size=9.5)
        pdf.set_text_color(*MUTED)
        y = pdf.get_y()
        value = layout.wrap(pdf, v, pdf.epw - 42 - right, 9.5) if not layout.RTL.search(v) else [v]
        if y + 5 * len(value) > pdf.page_break_trigger:
            pdf.add_page()
            y = pdf.get_y()
        layout.draw(pdf, pdf.l_margin, y + 2.5 + 0.3 * 9.5 / pdf.k, k, 9.5)
        pdf.set_text_color(*INK)
        if layout.RTL.search(v):
            pdf.set_xy(pdf.l_margin + 42, y)
            pdf.set_text_shaping(True)
            pdf.multi_cell(pdf.epw - 42 - right, 5, v, new_x="LMARGIN", new_y="NEXT")
            pdf.set_text_shaping(False)
        else:
            pdf.set_xy(pdf.l_margin, y)
            layout.lines(pdf, value, size=9.5, h=5, indent=42)
    if p.photo:
        pdf.set_y(max(pdf.get_y(), top + 50))
    if p.names:
        _heading(pdf, _("Names"))
        _table(pdf, [_("Name"), _("Script"), _("Kind of name")], [list(n) for n in p.names], (3, 1, 1))
    if p.notes:
        _heading(pdf, _("Internal notes"))
        _text(pdf, p.notes, color=WARN)
    _heading(pdf, _("Timeline"))
    if p.events:
        rows = [[e["date"], e["what"] + (f"\n{e['description']}" if e["description"] else ""), e["place"],
                 e["facility"], e["sentence"], e["charge"]] for e in p.events]
        _table(pdf, [_("Date"), _("What happened"), _("Place"), _("Facility"), _("Sentence"), _("Charge")],
               rows, (2, 4, 3, 3, 2, 3))
    else:
        _text(pdf, _("No events recorded."))
    _heading(pdf, _("Testimonies"))
    _text(pdf, p.testimony_note, size=9, color=MUTED)
    for t in p.testimonies:
        pdf.ln(1)
        _text(pdf, t["title"], size=11, color=ACCENT)
        line = f"{t['recorded_on']} · {t['language']} · {_('Witness')}: {t['witness']} ({t['relationship']})"
        if t["level"]:
            line += f" · {t['level']}"
        _text(pdf, line, size=8.5, color=MUTED)
        for k, v in t["restricted"]:
            _text(pdf, f"{k}: {v}", size=9, color=WARN)
        if t["summary"]:
            _text(pdf, f"{_('Summary')}: {t['summary']}", size=9.5)
        for lang, text in t["translations"]:
            _text(pdf, f"{_('Translation')} ({lang}): {text}", size=9.5)
    _heading(pdf, _("Evidence"))
    if p.evidence_note:
        _text(pdf, p.evidence_note)
    elif not p.evidence:
        _text(pdf, _("No evidence items are linked to this case."))
    for ev in p.evidence:
        _evidence(pdf, ev)


def _evidence(pdf, ev) -> None:
    pdf.ln(1)
    _lines(pdf, [f"SHA-256 {ev.sha256}"], size=8, h=4, color=INK)
    meta = f"{ev.media_type}, {ev.size} {_('bytes')}, {_('recorded')} {ev.recorded}"
    if ev.filename:
        meta += f" · {ev.filename}"
    if ev.source:
        meta += f" · {ev.source}"
    _text(pdf, meta, size=8.5, color=MUTED)
    if ev.proof is None:
        _text(pdf, _("No custody entry found for this item; run aigaq verify."), size=8.5, color=WARN)
        return
    pr = ev.proof
    lines = [f"{_('Leaf index')}: {pr.leaf_index}   {_('Tree size')}: {pr.tree_size}",
             f"{_('Leaf hash')}: {pr.leaf_hash}", f"{_('Root')}: {pr.root}", f"{_('Audit path')}:"]
    lines += [f"  {h}" for h in pr.path] or ["  —"]
    if pr.entry:
        lines.append(f"{_('Ledger entry')}: {pr.entry}")
    _lines(pdf, lines, size=7, h=3.4)


def _verification(pdf, d: Dossier) -> None:
    pdf.add_page()
    _heading(pdf, _("How to verify the evidence list"))
    for line in texts.verification(d.internal):
        _text(pdf, line, size=9.5)
        pdf.ln(1)
    _heading(pdf, _("Signed checkpoint"), size=11)
    cp = d.checkpoint
    lines = [f"{_('Tree size')}: {cp['size']}", f"{_('Root')}: {cp['root']}", f"{_('Signed text')}:",
             *cp["text"].rstrip("\n").split("\n"), f"{_('Signature')}: {cp['signature']}",
             f"{_('Public key')}: {cp['public_key']}"]
    _lines(pdf, lines, size=7.5, h=3.6, color=INK)


def letter_pdf(title: str, body: str, *, language: str) -> bytes:
    """A petition or submission as a plain A4 letter."""
    pdf, cjk_missing = new_pdf([title, body], title=title)
    pdf.add_page()
    if cjk_missing:
        with translation.override(DJANGO_LANGUAGE.get(language, "en")):
            _text(pdf, texts.cjk_missing(), color=WARN)
    _text(pdf, title, size=14, color=ACCENT, h=7)
    pdf.ln(2)
    _text(pdf, body, size=10.5, h=5.5)
    return bytes(pdf.output())
