"""What a page needs to be seen again: images, styles, scripts, media, found in its HTML and CSS."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)['"]?\s*\)""", re.IGNORECASE)
_CSS_IMPORT = re.compile(r"""@import\s+['"]([^'"]+)['"]""", re.IGNORECASE)
_SRC_TAGS = {"img", "script", "video", "audio", "source", "track", "embed", "input"}
_LINK_RELS = {"stylesheet", "icon", "shortcut icon", "apple-touch-icon", "preload", "image_src"}
MEDIA_TAGS = {"video", "audio", "source"}


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []  # (url as written, tag)
        self.base: str | None = None
        self.title_parts: list[str] = []
        self._in_title = False
        self._styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "base" and a.get("href") and self.base is None:
            self.base = a["href"]
        if tag == "title":
            self._in_title = True
        if tag == "style":
            self._in_style = True
        if tag in _SRC_TAGS and a.get("src"):
            self.found.append((a["src"], tag))
        if tag in ("img", "source") and a.get("srcset"):
            for candidate in a["srcset"].split(","):
                first = candidate.strip().split(" ")[0]
                if first:
                    self.found.append((first, tag))
        if tag == "video" and a.get("poster"):
            self.found.append((a["poster"], "img"))
        if tag == "link" and a.get("href") and a.get("rel", "").lower() in _LINK_RELS:
            self.found.append((a["href"], "link"))
        if a.get("style"):
            self._styles.append(a["style"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title_parts.append(data)
        if self._in_style:
            self._styles.append(data)


def _usable(base: str, ref: str) -> str | None:
    ref = ref.strip()
    if not ref or ref.startswith(("data:", "javascript:", "mailto:", "about:", "blob:", "#")):
        return None
    url = urldefrag(urljoin(base, ref))[0]
    return url if urlsplit(url).scheme in ("http", "https") else None


def parse_html(html: str, page_url: str) -> tuple[str, list[tuple[str, str]]]:
    """The page's title and its requisites as (absolute URL, tag), in document order, unique."""
    parser = _Parser()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # html.parser copes with almost anything; a hostile page must not stop a capture
        pass
    base = urljoin(page_url, parser.base) if parser.base else page_url
    refs = list(parser.found)
    for css in parser._styles:
        refs.extend((u, "css") for u in css_urls(css))
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for ref, tag in refs:
        url = _usable(base, ref)
        if url and url not in seen:
            seen.add(url)
            out.append((url, tag))
    return " ".join("".join(parser.title_parts).split())[:500], out


def css_urls(css: str) -> list[str]:
    return _CSS_URL.findall(css) + _CSS_IMPORT.findall(css)


def parse_css(css: str, css_url: str) -> list[str]:
    return [u for u in (_usable(css_url, ref) for ref in css_urls(css)) if u]


def decode(body: bytes, content_type_header: str) -> str:
    """Text of an HTML/CSS body: the declared charset, else UTF-8, never failing."""
    charset = "utf-8"
    m = re.search(r"charset=([\w-]+)", content_type_header or "", re.IGNORECASE)
    if m:
        charset = m.group(1)
    else:
        m = re.search(rb"""<meta[^>]+charset=["']?([\w-]+)""", body[:4096], re.IGNORECASE)
        if m:
            charset = m.group(1).decode("ascii")
    try:
        return body.decode(charset, "replace")
    except LookupError:
        return body.decode("utf-8", "replace")
