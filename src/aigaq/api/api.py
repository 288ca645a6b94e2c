"""The JSON API, version 1. Its OpenAPI description is served at /api/v1/openapi.json."""

from __future__ import annotations

import json

from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from ninja import NinjaAPI, Query, Schema, Status
from ninja.errors import HttpError
from ninja.openapi.docs import Swagger

from aigaq.api.auth import AUTH, can_write
from aigaq.api.schemas import ErrorOut, PersonDetail, PersonIn, PersonList, PersonSummary
from aigaq.registry import record
from aigaq.registry.filters import PersonFilters, filter_persons
from aigaq.registry.forms import EventForm, NameForm, PersonForm
from aigaq.registry.models import Person, TestimonyPerson
from aigaq.registry.search import search_persons


class LocalSwagger(Swagger):
    """Swagger UI from the files bundled with django-ninja (settings.NINJA_DIR), never from a CDN.

    django-ninja picks its CDN page unless "ninja" is an installed app; we keep it out of
    INSTALLED_APPS (start-up time) and render its local page ourselves."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs) -> HttpResponse:
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        context = {"swagger_settings": json.dumps(self.settings, indent=1), "api": api, "add_csrf": False}
        return render(request, self.template, context)


api = NinjaAPI(
    title="Aigaq API",
    version="1",
    description="Persons, names, events and testimonies of an Aigaq instance.",
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
    docs=LocalSwagger(),
    auth=AUTH,
)


class FilterQuery(Schema):
    q: str = ""
    ethnicity: str = ""
    status: str = ""
    place: str = ""
    facility: int | None = None
    year: int | None = None
    limit: int = 50
    offset: int = 0


class ValidationFailed(Exception):
    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors


@api.exception_handler(ValidationFailed)
def _validation_failed(request, exc: ValidationFailed):
    first = next(iter(exc.errors.items()))
    return api.create_response(
        request, {"detail": f"{first[0]}: {first[1][0]}", "errors": exc.errors}, status=422
    )


def _summary(p: Person, matched: str | None = None, score: float | None = None) -> dict:
    return {
        "id": p.pk, "uid": p.uid, "display_name": p.display_name, "matched_name": matched, "score": score,
        "status": p.status, "ethnicity": p.ethnicity, "gender": p.gender, "birth_years": p.birth_label,
        "detention_year": p.detention_year, "publication": p.publication,
    }


@api.get("/persons", response=PersonList, tags=["persons"])
def list_persons(request: HttpRequest, filters: Query[FilterQuery]):
    """Search persons by any spelling of a name in any script (best first), and filter them."""
    limit = max(1, min(filters.limit, 200))
    offset = max(0, min(filters.offset, 100_000))
    pf = PersonFilters(
        ethnicity=filters.ethnicity, status=filters.status, place=filters.place,
        facility=filters.facility, year=filters.year,
    )
    qs = filter_persons(Person.objects.filter(merged_into__isnull=True), pf)
    if filters.q.strip():
        hits = search_persons(filters.q, allowed=qs if pf.active else None, limit=offset + limit)
        page = hits[offset : offset + limit]
        # Built to PersonList's shape by _summary: returned as is rather than validated again by
        # pydantic (a tenth of a name search's server time; the JSON is the same).
        data = {"count": len(hits), "results": [_summary(h.person, h.name, h.score) for h in page]}
        return api.create_response(request, data, status=200)
    count = qs.count()
    return {"count": count, "results": [_summary(p) for p in qs.order_by("display_name", "id")[offset : offset + limit]]}


@api.get("/persons/{person_id}", response={200: PersonDetail, 404: ErrorOut}, tags=["persons"])
def get_person(request: HttpRequest, person_id: int):
    person = get_object_or_404(
        Person.objects.select_related("home_place").prefetch_related(
            "names", Prefetch("events__place"), "events__facility",
            Prefetch("testimony_links", queryset=TestimonyPerson.objects.select_related("testimony")),
        ),
        pk=person_id,
    )
    data = _summary(person)
    data.update(
        names=list(person.names.all()),
        events=[
            {**{f: getattr(e, f) for f in ("id", "type", "date_start", "date_end", "date_precision",
                                              "sentence_months", "charge", "description", "place")},
             "date": e.date_label, "facility": e.facility.name if e.facility else None}
            for e in person.events.all()
        ],
        testimonies=[
            {"id": link.testimony.pk, "title": str(link.testimony), "recorded_on": link.testimony.recorded_on,
             "language": link.testimony.language, "relationship": link.relationship}
            for link in person.testimony_links.all()
        ],
        home_place=person.home_place, occupation=person.occupation, citizenship=person.citizenship,
        grade=person.grade,
    )
    return data


def _errors(prefix: str, form) -> dict[str, list[str]]:
    return {f"{prefix}{k}" if k != "__all__" else prefix.rstrip("."): [str(m) for m in v]
            for k, v in form.errors.items()}


@api.post("/persons", response={201: PersonSummary, 403: ErrorOut, 422: ErrorOut}, tags=["persons"])
def create_person(request: HttpRequest, payload: PersonIn):
    """Create a person with their names and events. Validation is the staff forms' own."""
    if not can_write(request):
        raise HttpError(403, "this account or token may not create records")
    errors: dict[str, list[str]] = {}
    names = []
    for i, text in enumerate(payload.names):
        f = NameForm({"text": text})
        if f.is_valid():
            names.append(f.cleaned_data["text"])
        else:
            errors.update(_errors(f"names[{i}].", f))
    data = payload.dict(exclude={"names", "events"})
    pform = PersonForm(data)
    if not pform.is_valid():
        errors.update(_errors("", pform))
    eforms = []
    for i, ev in enumerate(payload.events):
        ef = EventForm(ev.dict())
        if not ef.is_valid():
            errors.update(_errors(f"events[{i}].", ef))
        eforms.append(ef)
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        person = pform.save(commit=False)
        person.created_by = request.user
        person.display_name = names[0]
        person.save()
        for text in names:
            record.add_name(person, text)
        for ef in eforms:
            event = ef.save(commit=False)
            event.person = person
            event.save()
        record.events_changed(person)
    return Status(201, _summary(person))
