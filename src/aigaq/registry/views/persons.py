"""Person list, person page and the pages that edit a person, their names and events."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from aigaq.registry import record
from aigaq.registry.access import WRITE_ROLES, role_required
from aigaq.registry.choices import Ethnicity, Status
from aigaq.registry.filters import PersonFilters, filter_persons
from aigaq.registry.forms import PersonEventForm, PersonForm, PersonNameForm
from aigaq.registry.models import Event, Facility, Person, Place, TestimonyPerson
from aigaq.registry.search import search_persons
from aigaq.registry.views.common import gazetteer_places

PAGE_SIZE = 50
COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    """Counts at most COUNT_CAP matches: counting every person a filter matches among hundreds of
    thousands costs more than the page itself (bench/registry_bench.py). Past the cap the pager
    shows COUNT_CAP // PAGE_SIZE pages and `capped` is true; narrow the filter to go further."""

    @cached_property
    def count(self) -> int:
        n = self.object_list.order_by()[: COUNT_CAP + 1].count()
        self.capped = n > COUNT_CAP
        return min(n, COUNT_CAP)

    capped = False


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    g = request.GET
    filters = PersonFilters(
        ethnicity=g.get("ethnicity", ""), status=g.get("status", ""), place=g.get("place", ""),
        facility=_int_or_none(g.get("facility")), year=_int_or_none(g.get("year")),
    )
    q = g.get("q", "").strip()
    qs = filter_persons(Person.objects.filter(merged_into__isnull=True), filters)
    if q:
        hits = search_persons(q, allowed=qs if filters.active else None, limit=200)
        page = Paginator([(h.person, h.name) for h in hits], PAGE_SIZE).get_page(g.get("page"))
    else:
        qs = qs.select_related("home_place").order_by("display_name", "id")
        page = CappedPaginator(qs, PAGE_SIZE).get_page(g.get("page"))
        page.object_list = [(p, None) for p in page.object_list]
    context = {
        "page": page, "q": q, "filters": filters,
        "ethnicities": Ethnicity.choices, "statuses": Status.choices,
        "places": Place.objects.filter(level__in=["prefecture", "county"], code__startswith="65").order_by("code"),
        "facilities": Facility.objects.order_by("name"),
    }
    return render(request, "registry/person_list.html", context)


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(
        Person.objects.select_related("home_place", "merged_into").prefetch_related(
            "names",
            Prefetch("events", queryset=Event.objects.select_related("place", "facility").prefetch_related("testimonies")),
            Prefetch("testimony_links", queryset=TestimonyPerson.objects.select_related("testimony__witness")),
        ),
        pk=pk,
    )
    return render(request, "registry/person_detail.html", {"person": person})


@role_required(*WRITE_ROLES)
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Person, pk=pk)
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect(person)
    name_form = PersonNameForm(prefix="name")
    return render(request, "registry/person_edit.html", {"person": person, "form": form, "name_form": name_form, "places": gazetteer_places()})


@role_required(*WRITE_ROLES)
def name_add(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Person, pk=pk)
    name_form = PersonNameForm(request.POST or None, prefix="name")
    if request.method == "POST" and name_form.is_valid():
        d = name_form.cleaned_data
        record.add_name(person, d["text"], kind=d["kind"], script=d["script"])
        messages.success(request, _("Name added."))
        return redirect("registry:person-edit", pk=person.pk)
    form = PersonForm(instance=person)
    return render(request, "registry/person_edit.html", {"person": person, "form": form, "name_form": name_form, "places": gazetteer_places()})


def _event_page(request: HttpRequest, person: Person, event: Event) -> HttpResponse:
    form = PersonEventForm(request.POST or None, instance=event, person=person)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            record.events_changed(person)
        messages.success(request, _("Event saved."))
        return redirect(person)
    return render(request, "registry/event_form.html", {"person": person, "event": event, "form": form, "places": gazetteer_places()})


@role_required(*WRITE_ROLES)
def event_add(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Person, pk=pk)
    return _event_page(request, person, Event(person=person))


@role_required(*WRITE_ROLES)
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(Event.objects.select_related("person", "place"), pk=pk)
    return _event_page(request, event.person, event)
