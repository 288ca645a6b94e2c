"""Staff pages of the registry."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from aigaq.registry.choices import Ethnicity, Status
from aigaq.registry.filters import PersonFilters, filter_persons
from aigaq.registry.models import Event, Facility, Person, Place, TestimonyPerson
from aigaq.registry.search import search_persons

PAGE_SIZE = 50


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@login_required
def person_list(request):
    g = request.GET
    filters = PersonFilters(
        ethnicity=g.get("ethnicity", ""), status=g.get("status", ""), place=g.get("place", ""),
        facility=_int_or_none(g.get("facility")), year=_int_or_none(g.get("year")),
    )
    q = g.get("q", "").strip()
    qs = filter_persons(Person.objects.filter(merged_into__isnull=True), filters)
    if q:
        hits = search_persons(q, allowed=qs if filters.active else None, limit=200)
        rows = [(h.person, h.name) for h in hits]
        page = Paginator(rows, PAGE_SIZE).get_page(g.get("page"))
    else:
        page = Paginator(qs.select_related("home_place").order_by("display_name", "id"), PAGE_SIZE).get_page(g.get("page"))
        page.object_list = [(p, None) for p in page.object_list]
    context = {
        "page": page, "q": q, "filters": filters,
        "ethnicities": Ethnicity.choices, "statuses": Status.choices,
        "prefectures": Place.objects.filter(level__in=["prefecture", "county"], code__startswith="65").order_by("code"),
        "facilities": Facility.objects.order_by("name"),
    }
    return render(request, "registry/person_list.html", context)


@login_required
def person_detail(request, pk: int):
    person = get_object_or_404(
        Person.objects.select_related("home_place", "merged_into").prefetch_related(
            "names",
            Prefetch("events", queryset=Event.objects.select_related("place", "facility").prefetch_related("testimonies")),
            Prefetch("testimony_links", queryset=TestimonyPerson.objects.select_related("testimony__witness")),
        ),
        pk=pk,
    )
    return render(request, "registry/person_detail.html", {"person": person})
