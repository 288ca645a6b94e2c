"""Contexts of the public pages, from public records only. Used by the portal views and by the
static mirror alike, with the same templates: what one shows, the other shows."""

from __future__ import annotations

import html
import re
from functools import lru_cache

from django.template.loader import get_template, render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from aigaq.publish import charts
from aigaq.publish.policy import PublicFacility, PublicPerson
from aigaq.publish.site import PAGES, Links
from aigaq.registry.choices import Ethnicity, Status

TOP = 25


@lru_cache(maxsize=4)
def _key_facts(path: str) -> tuple[str, str]:
    from aigaq.core.keys import fingerprint, public_key_b64

    return fingerprint(), public_key_b64()


def key_facts() -> tuple[str, str]:
    """(fingerprint, base64 public key) of the instance key."""
    from aigaq.core.keys import instance_key_path

    return _key_facts(str(instance_key_path()))


_SHELLS: dict[tuple[str, str, str], tuple[str, str]] = {}


def render_in_shell(body_template: str, title: str, context: dict, links: Links) -> str:
    """The same page as `render(<page>.html)`, faster: the site's frame (base.html) is rendered
    once per language and folder depth, and only the page's own part per page. The static mirror
    renders 100,000 person pages this way."""
    from django.utils.translation import get_language

    key = (get_language() or "", links.prefix or "", key_facts()[0])
    if key not in _SHELLS:
        shell = render("_shell.html", {}, links)
        head, _, rest = shell.partition("AIGAQSHELLTITLE")
        _SHELLS[key] = (head, rest)
    head, rest = _SHELLS[key]
    before, _, after = rest.partition("AIGAQSHELLCONTENT")
    body = _translated_template(f"publish/{body_template}", key[0]).render({"links": links, **context})
    return f"{head}{escape(title)}{before}{body}{after}"


# {% translate "constant" %} alone: no filter, context, noop or `as`.
_CONSTANT_TRANSLATE = re.compile(r"""{%\s*translate\s+("[^"{}%]*"|'[^'{}%]*')\s*%}""")
_TRANSLATED: dict[tuple[str, str], object] = {}


def _translated_template(name: str, language: str):
    """The template `name`, compiled once per language with every constant {% translate %} tag
    replaced by its output in that language (that tag's output depends on nothing else), so that
    100,000 renders do not look up the same 20 messages each. Same bytes as the template itself;
    a translation that looks like template syntax is left to the tag."""
    key = (name, language)
    if key not in _TRANSLATED:
        from django.template import engines

        engine = engines["django"]
        source = get_template(name).template.source

        def substitute(match: re.Match) -> str:
            text = engine.from_string("{% load i18n %}" + match[0]).render({})
            return match[0] if any(c in text for c in "{}%") else text

        _TRANSLATED[key] = engine.from_string(_CONSTANT_TRANSLATE.sub(substitute, source))
    return _TRANSLATED[key]


def render(template: str, context: dict, links: Links, request=None) -> str:
    fp, _pub = key_facts()
    return render_to_string(f"publish/{template}", {"links": links, "fingerprint": fp, **context}, request=request)


def person(pp: PublicPerson, media: list | tuple = ()) -> dict:
    """`media`: the person's published media (policy.public_media), shown with links into media/."""
    return {"p": pp, "media": media}


def persons(bucket_counts: dict[str, int]) -> dict:
    return {"buckets": sorted(bucket_counts.items()), "total": sum(bucket_counts.values())}


def person_list_html(rows: list[tuple[str, str, str]], links: Links) -> SafeString:
    """<li> links to persons: (uid, name, note). Built in Python, not a template loop: a facility
    or a browse page of a 100,000-person record lists thousands (the standard library's
    html.escape, which Django's escape wraps, without its per-call lazy-string checks)."""
    esc = html.escape
    if links.static_build:
        url = (links.prefix + PAGES["person"][1]).format
    else:
        def url(uid: str) -> str:
            return links.url("person", uid)
    return mark_safe("".join(
        f'<li><a href="{esc(url(uid))}">{esc(name)}</a>'
        + (f' <span class="muted">{esc(note)}</span>' if note else "") + "</li>\n"
        for uid, name, note in rows
    ))


def bucket(name: str, rows: list[dict], links: Links) -> dict:
    from aigaq.publish.templatetags.portal import label

    anonymised = _("anonymised")
    statuses: dict[str, str] = {}
    items = []
    for s in sorted(rows, key=lambda s: (s["name"].casefold(), s["uid"])):
        if s["status"] not in statuses:
            statuses[s["status"]] = label(s["status"], "status")
        note = " · ".join(x for x in (anonymised if s["level"] == "anonymised" else "", statuses[s["status"]],
                                      str(s["year"] or "")) if x)
        items.append((s["uid"], s["name"], note))
    return {"bucket": name, "rows_html": person_list_html(items, links)}


def facilities(items: list[PublicFacility]) -> dict:
    return {"facilities": sorted(items, key=lambda f: (f.name.casefold(), f.uid))}


def facility(f: PublicFacility, links: Links) -> dict:
    return {"f": f, "rows_html": person_list_html([(uid, name, "") for uid, name in f.persons], links)}


def _label(enum, code) -> str:
    try:
        return str(enum(code).label)
    except ValueError:
        return str(code)


def statistics(stats: dict, facility_names: dict[str, str]) -> dict:
    by = stats["by"]
    unknown = _("Unknown")

    def top(counter, labeller):
        rows = sorted(counter.items(), key=lambda kv: (-kv[1], str(kv[0])))[:TOP]
        return [(labeller(k), n) for k, n in rows]

    def home_label(code):
        if not code:
            return unknown
        name, level = stats["home_labels"][code]
        return name if level != "prefecture" else _("%(place)s (prefecture; county not published)") % {"place": name}

    years = sorted(by["year"].items(), key=lambda kv: (kv[0] is None, kv[0] or 0))
    specs = [
        (_("By ethnicity"), top(by["ethnicity"], lambda c: _label(Ethnicity, c) if c else unknown)),
        (_("By status"), top(by["status"], lambda c: _label(Status, c))),
        (_("By year of first detention"), [(str(y) if y else unknown, n) for y, n in years]),
        (_("By home county"), top(by["home"], home_label)),
        (_("By facility"), top(by["facility"], lambda u: facility_names.get(u, u))),
    ]
    return {
        "total": stats["total"],
        "charts": [{"title": t, "rows": rows, "svg": charts.bar_chart(rows, t)} for t, rows in specs],
    }


def map_page(items: list[PublicFacility], links: Links) -> dict:
    points = [(f.name, f.lat, f.lon, f.person_count, links.url("facility", f.uid)) for f in items]
    return {"svg": charts.facility_map(points, _("Map of facilities"))}


def home(total: int) -> dict:
    return {"total": total}


def open_data() -> dict:
    from aigaq.publish import opendata

    return {"resources": opendata.resources_for_page(), "schema_version": opendata.SCHEMA_VERSION}


def about() -> dict:
    fp, pub = key_facts()
    return {"pubkey": pub}
