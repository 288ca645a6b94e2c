"""Finding Unicode fonts at run time: DejaVu Sans (Latin, Cyrillic, Arabic script) and a CJK font.

Debian packages: fonts-dejavu-core, fonts-wqy-microhei (or fonts-noto-cjk). `fc-match` finds
them where fontconfig knows them; known paths are the fallback. Nothing is bundled.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

DEJAVU_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/local/share/fonts")
CJK_KNOWN = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)


@dataclass(frozen=True)
class FontSet:
    regular: Path
    mono: Path  # SHA-256 values and proofs
    cjk: Path | None  # None: Chinese characters cannot be drawn (the dossier says so)
    cjk_full: Path | None = None  # the font cjk was reduced from, for characters outside GB 2312


def _fc_match(pattern: str) -> Path | None:
    if not shutil.which("fc-match"):
        return None
    try:
        out = subprocess.run(["fc-match", "-f", "%{file}", pattern], capture_output=True, text=True,
                             timeout=10, check=False).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return Path(out) if out and Path(out).is_file() else None


def _dejavu(name: str) -> Path:
    for folder in DEJAVU_DIRS:
        path = Path(folder) / name
        if path.is_file():
            return path
    found = _fc_match("DejaVu Sans Mono" if "Mono" in name else "DejaVu Sans")
    if found and found.name == name:
        return found
    raise FileNotFoundError(f"font {name} not found: install Debian's fonts-dejavu-core")


def _cjk() -> Path | None:
    for known in CJK_KNOWN:
        if Path(known).is_file():
            return Path(known)
    found = _fc_match(":lang=zh-cn")
    # fontconfig answers with *some* font even when none covers Chinese: accept only CJK ones.
    if found and any(k in found.name.lower() for k in ("wqy", "cjk", "hei", "ming", "song", "kai")):
        return found
    return None


@functools.cache
def fonts() -> FontSet:
    """The fonts to embed: reduced copies from the cache when they can be made (prepared())."""
    regular, mono, cjk = _dejavu("DejaVuSans.ttf"), _dejavu("DejaVuSansMono.ttf"), _cjk()
    return FontSet(
        regular=prepared(regular, SANS_RANGES, "sans"),
        mono=prepared(mono, ((0x20, 0x7E), (0xA0, 0xFF), (0x2010, 0x2027)), "mono"),
        cjk=cjk and prepared(cjk, CJK_RANGES, "gb2312", extra=_gb2312()),
        cjk_full=cjk,
    )


# What the dossier draws with DejaVu Sans: Latin, IPA and combining marks, Greek is left out,
# Cyrillic (Kazakh and Kyrgyz letters included), Arabic (Uyghur), punctuation, arrows, boxes.
SANS_RANGES = ((0x20, 0x24F), (0x2B0, 0x36F), (0x400, 0x52F), (0x600, 0x6FF), (0x750, 0x77F),
               (0x2000, 0x206F), (0x20A0, 0x20CF), (0x2100, 0x215F), (0x2190, 0x21FF), (0x2200, 0x22FF),
               (0x25A0, 0x25FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))
CJK_RANGES = ((0x20, 0x7E), (0x3000, 0x303F), (0xFF00, 0xFFEF), (0x2010, 0x2027), (0xB7, 0xB7))


@functools.cache
def _gb2312() -> frozenset[int]:
    """The 7,445 characters of GB 2312 (6,763 hanzi): every common character, and so nearly every
    character of Xinhua transliterations of Kazakh and Uyghur names and of place names."""
    chars = set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(ord(bytes((hi, lo)).decode("gb2312")))
            except UnicodeDecodeError:
                pass
    return frozenset(chars)


def cache_dir() -> Path | None:
    try:
        from django.conf import settings

        return Path(settings.DATA_DIR) / "cache" / "fonts"
    except Exception:  # outside Django: no cache, the original fonts  # noqa: BLE001
        return None


def prepared(src: Path, ranges, tag: str, extra: frozenset[int] = frozenset()) -> Path:
    """A reduced copy of a font, made once and kept in the data folder's cache.

    fpdf2 parses the whole font for every document; WenQuanYi Micro Hei has about 30,000 glyphs
    and takes most of a second. Its GB 2312 subset (and DejaVu without the scripts a dossier
    never uses) parse several times faster. Glyph names are dropped; layout tables are kept, so
    HarfBuzz still shapes Arabic script. Falls back to the original font if the cache cannot be
    written."""
    folder = cache_dir()
    if folder is None:
        return src
    st = src.stat()
    key = hashlib.sha256(f"{src}|{st.st_size}|{st.st_mtime_ns}|{tag}|1".encode()).hexdigest()[:16]
    out = folder / f"{src.stem}-{tag}-{key}.ttf"
    if out.is_file():
        return out
    try:
        from fontTools import subset
        from fontTools.ttLib import TTFont

        logging.getLogger("fontTools.subset").setLevel(logging.ERROR)  # "FFTM NOT subset" notes
        folder.mkdir(parents=True, exist_ok=True)
        font = TTFont(str(src), fontNumber=0)
        options = subset.Options()
        options.layout_features = ["*"]
        options.glyph_names = False
        options.name_IDs = ["*"]
        options.notdef_outline = True
        options.hinting = False  # PDF viewers do not use TrueType hinting
        sub = subset.Subsetter(options)
        sub.populate(unicodes={c for lo, hi in ranges for c in range(lo, hi + 1)} | set(extra))
        sub.subset(font)
        tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
        font.save(str(tmp))
        os.replace(tmp, out)
    except Exception:  # a read-only data folder, a font fontTools cannot subset  # noqa: BLE001
        return src
    return out


def cjk_font_for(text_chars: set[int], fs: FontSet | None = None) -> Path | None:
    """The reduced CJK font if it covers every Chinese character of the document, else the full one."""
    fs = fs or fonts()
    if fs.cjk is None:
        return None
    rare = {c for c in text_chars if is_cjk(chr(c))} - _gb2312()
    return fs.cjk_full if rare else fs.cjk


def is_cjk(ch: str) -> bool:
    o = ord(ch)
    return (0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x2FA1F
            or 0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFFEF)


def has_cjk(text: str) -> bool:
    return any(is_cjk(c) for c in text)
