"""Person list, person page and the pages that edit a person, their names and events."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from aigaq.registry import record
from aigaq.registry.access import WRITE_ROLES, role_required
from aigaq.registry.choices import Ethnicity, Status
from aigaq.registry.filters import PersonFilters, filter_persons
from aigaq.registry.forms import PersonEventForm, PersonForm, PersonNameForm
from aigaq.registry.models import Event, Facility, Person, Place, Testimony, TestimonyPerson
from aigaq.registry.search import load_persons, search_persons
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
        # Persons are built for the page shown only, not for all 200 hits.
        hits = search_persons(q, allowed=qs if filters.active else None, limit=200, load=False)
        page = Paginator(hits, PAGE_SIZE).get_page(g.get("page"))
        page.object_list = [(h.person, h.name) for h in load_persons(list(page.object_list)) if h.person]
    else:
        # The list shows neither the home place nor the internal notes (decrypting them costs).
        qs = qs.defer("internal_notes").order_by("display_name", "id")
        page = CappedPaginator(qs, PAGE_SIZE).get_page(g.get("page"))
        page.object_list = [(p, None) for p in page.object_list]
    place_options, facility_options = filter_options(get_language() or "en")
    context = {
        "page": page, "q": q, "filters": filters, "rows": _rows(page.object_list),
        "ethnicities": Ethnicity.choices, "statuses": Status.choices,
        "place_options": _select(place_options, filters.place),
        "facility_options": _select(facility_options, filters.facility),
    }
    return render(request, "registry/person_list.html", context)


def _rows(persons: list[tuple[Person, str | None]]) -> list[tuple[str, Person, str | None, str, str]]:
    """(address, person, matched name, status label, ethnicity label) per row: the labels and the
    address are made here once per distinct value rather than by a template call per row."""
    base = reverse("registry:person-detail", args=[0])[: -len("0/")]
    status = {k: str(v) for k, v in Status.choices}
    ethnicity = {k: str(v) for k, v in Ethnicity.choices}
    return [(f"{base}{p.pk}/", p, matched, status.get(p.status, p.status), ethnicity.get(p.ethnicity, p.ethnicity))
            for p, matched in persons]


# (language, place rows, facility rows) -> the <option> elements of the place and facility filters.
# The key holds the rows themselves, so an edit to the gazetteer or a facility (in any process)
# gives a new key; reading ~150 short rows costs far less than rendering them as a template loop.
_OPTIONS: dict[tuple, tuple[str, str]] = {}


def filter_options(language: str) -> tuple[str, str]:
    places = tuple(
        Place.objects.filter(level__in=["prefecture", "county"], code__startswith="65")
        .order_by("code").values_list("code", "level", "name_en", "name_kk", "name_ru", "name_zh", "name_ug")
    )
    facilities = tuple(Facility.objects.order_by("name").values_list("pk", "name"))
    key = (language, places, facilities)
    if key not in _OPTIONS:
        if len(_OPTIONS) > 32:  # languages x recent versions: keep it small
            _OPTIONS.clear()
        lang = language[:2]
        place_html = "".join(
            format_html('<option value="{}">{}{}</option>', code, "— " if level == "county" else "",
                        {"kk": kk, "ru": ru, "zh": zh, "ug": ug}.get(lang) or en)
            for code, level, en, kk, ru, zh, ug in places
        )
        facility_html = "".join(format_html('<option value="{}">{}</option>', pk, name) for pk, name in facilities)
        _OPTIONS[key] = (place_html, facility_html)
    return _OPTIONS[key]


def _select(options: str, value: object) -> str:
    """Marks the chosen option of pre-rendered <option> elements as selected."""
    if value in ("", None):
        return mark_safe(options)  # noqa: S308 -- built by format_html in filter_options
    opening = format_html('<option value="{}">', value)
    return mark_safe(options.replace(opening, opening[:-1] + " selected>", 1))  # noqa: S308 -- as above


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    survivor = Person.objects.filter(pk=pk).values_list("merged_into_id", flat=True).first()
    if survivor:  # a merged record: show the record it lives on in (un-merge is on the linkage pages)
        messages.info(request, _("This record was merged into this one."))
        return redirect("registry:person-detail", pk=survivor)
    # The page shows no internal notes and nothing of the witnesses: leave those encrypted fields
    # unread (each decryption costs, and a witness's contact is read only where it is shown).
    person = get_object_or_404(
        # merged_into is not joined: a merged record was redirected above, so it is null here.
        Person.objects.select_related("home_place").defer("internal_notes")
        .prefetch_related(
            "names",
            Prefetch("events", queryset=Event.objects.select_related("place", "facility")
                     .prefetch_related(Prefetch("testimonies", queryset=Testimony.objects.only("pk")))),
            Prefetch("testimony_links", queryset=TestimonyPerson.objects.select_related("testimony")
                     .defer("testimony__transcript", "testimony__summary")),
        ),
        pk=pk,
    )
    return render(request, "registry/person_detail.html", {"person": person})



def _changeable(request: HttpRequest, person: Person) -> Person:
    """Page-level rules let volunteers in; this object-level one keeps them to their own records."""
    from aigaq.accounts.policy import can_change

    if not can_change(request.user, person):
        raise PermissionDenied
    return person


@role_required(*WRITE_ROLES)
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = _changeable(request, get_object_or_404(Person, pk=pk))
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect(person)
    name_form = PersonNameForm(prefix="name")
    return render(request, "registry/person_edit.html", {"person": person, "form": form, "name_form": name_form, "places": gazetteer_places()})


@role_required(*WRITE_ROLES)
def name_add(request: HttpRequest, pk: int) -> HttpResponse:
    person = _changeable(request, get_object_or_404(Person, pk=pk))
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
    person = _changeable(request, get_object_or_404(Person, pk=pk))
    return _event_page(request, person, Event(person=person))


@role_required(*WRITE_ROLES)
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(Event.objects.select_related("person", "place"), pk=pk)
    return _event_page(request, _changeable(request, event.person), event)
