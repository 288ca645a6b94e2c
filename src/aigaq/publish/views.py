"""The public portal: no login, read-only, every value from the redaction policy."""

from __future__ import annotations

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.views.decorators.http import require_safe

from aigaq.publish import opendata, pages
from aigaq.publish.policy import (
    Gazetteer,
    public_facilities,
    public_media_of_person,
    public_person,
    public_persons,
    published_persons_queryset,
    searchable_persons_queryset,
)
from aigaq.publish.site import PORTAL, statistics, summarise

SUMMARY_SECONDS = 60  # lists and statistics over every published person are cached this long


def _page(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    return HttpResponse(pages.render(template, context, PORTAL, request=request))


def _summaries() -> list[dict]:
    rows = cache.get("publish:summaries")
    if rows is None:
        rows = [summarise(pp) for _, pp in public_persons()]
        cache.set("publish:summaries", rows, SUMMARY_SECONDS)
    return rows


@require_safe
def home(request):
    # A count, not the summaries of every person: the home page is the one everybody opens.
    return _page(request, "home.html", pages.home(published_persons_queryset().count()))


@require_safe
def search(request):
    from aigaq.registry.search import search_persons

    q = request.GET.get("q", "").strip()[:200]
    hits = []
    if q:
        # Only public persons are searchable, so every matched name form is a published one.
        found = search_persons(q, allowed=searchable_persons_queryset(), limit=50)
        records = dict(public_persons([h.person.pk for h in found]))
        for h in found:
            pp = records.get(h.person.pk)
            if pp is not None and not pp.anonymised:
                hits.append({"uid": pp.uid, "name": pp.display_name, "status": pp.status,
                             "matched": h.name if h.name in {n.text for n in pp.names} else ""})
    return _page(request, "search.html", {"q": q, "hits": hits})


@require_safe
def persons(request):
    counts: dict[str, int] = {}
    for s in _summaries():
        counts[s["bucket"]] = counts.get(s["bucket"], 0) + 1
    return _page(request, "persons.html", pages.persons(counts))


@require_safe
def bucket(request, name: str):
    rows = [s for s in _summaries() if s["bucket"] == name]
    if not rows:
        raise Http404
    return _page(request, "bucket.html", pages.bucket(name, rows, PORTAL))


@require_safe
def person(request, uid):
    pp = public_person(uid)
    if pp is None:
        raise Http404
    return _page(request, "person.html", pages.person(pp, public_media_of_person(uid)))


@require_safe
def facilities(request):
    return _page(request, "facilities.html", pages.facilities(public_facilities()))


@require_safe
def facility(request, uid):
    found = [f for f in public_facilities(with_persons=True) if f.uid == str(uid)]
    if not found:
        raise Http404
    return _page(request, "facility.html", pages.facility(found[0], PORTAL))


@require_safe
def statistics_page(request):
    names = {f.uid: f.name for f in public_facilities()}
    return _page(request, "statistics.html", pages.statistics(statistics(_summaries()), names))


@require_safe
def map_page(request):
    return _page(request, "map.html", pages.map_page(public_facilities(), PORTAL))


@require_safe
def open_data(request):
    return _page(request, "open_data.html", pages.open_data())


@require_safe
def data_file(request, name: str):
    if name not in opendata.FILES:
        raise Http404
    gaz = Gazetteer()
    chunks = opendata.all_chunks(name, lambda: (pp for _, pp in public_persons(gazetteer=gaz)),
                                 lambda: public_facilities(gaz))
    ctype = "application/json" if name.endswith(".json") else "text/csv"
    resp = StreamingHttpResponse((c.encode("utf-8") for c in chunks), content_type=f"{ctype}; charset=utf-8")
    resp["Content-Disposition"] = f'inline; filename="{name}"'
    return resp


@require_safe
def about(request):
    return _page(request, "about.html", pages.about())
