"""The intake screen: one testimony, its witness, and every victim with their events, on one page.

Works without JavaScript: "add another victim / event", "remove" and "find existing" are submit
buttons that re-render the page with the entered data as initial values (nothing is validated or
saved until "Save"). Saving validates every form first, then writes everything in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from aigaq.registry import record
from aigaq.registry.access import WRITE_ROLES, role_required
from aigaq.registry.forms import (
    BaseIntakeFormSet,
    EventForm,
    TestimonyForm,
    VictimForm,
    VictimFormSet,
    WitnessForm,
    split_names,
)
from aigaq.registry.models import Person, TestimonyPerson
from aigaq.registry.search import search_persons
from aigaq.registry.views.common import gazetteer_places

MAX_VICTIMS = 30
MAX_EVENTS = 40
VictimFormSetFactory = forms.formset_factory(
    VictimForm, formset=VictimFormSet, extra=0, min_num=1, max_num=MAX_VICTIMS, absolute_max=MAX_VICTIMS
)
EventFormSetFactory = forms.formset_factory(
    EventForm, formset=BaseIntakeFormSet, extra=0, max_num=MAX_EVENTS, absolute_max=MAX_EVENTS
)
# Fields of a victim copied onto an existing person only where that record has no value yet.
FILL_BLANKS = ["gender", "ethnicity", "birth_year_min", "birth_year_max", "home_place", "occupation", "citizenship"]


def event_prefix(i: int) -> str:
    return f"victims-{i}-events"


@dataclass
class Intake:
    witness: WitnessForm
    testimony: TestimonyForm
    victims: forms.BaseFormSet
    events: list[forms.BaseFormSet]
    matches: dict[int, list] = field(default_factory=dict)  # victim index -> search hits
    focus: str = ""  # id of the element to focus after a round trip

    @property
    def rows(self) -> list[dict]:
        return [
            {"i": i, "n": i + 1, "form": v, "events": self.events[i], "matches": self.matches.get(i),
             "focus_events": self.focus == f"victim-{i}-events", "focus_matches": self.focus == f"victim-{i}-matches"}
            for i, v in enumerate(self.victims.forms)
        ]

    def all_forms(self) -> list[forms.BaseForm]:
        return [self.witness, self.testimony, *self.victims.forms, *(f for fs in self.events for f in fs.forms)]

    def set_autofocus(self) -> None:
        """Put the keyboard back where the user was working after a round trip."""
        for form in self.all_forms():
            for name, f in form.fields.items():
                if form[name].auto_id == self.focus:
                    f.widget.attrs["autofocus"] = True
                    return


def _bound(data: QueryDict) -> Intake:
    victims = VictimFormSetFactory(data, prefix="victims")
    return Intake(
        witness=WitnessForm(data, prefix="witness"),
        testimony=TestimonyForm(data, prefix="testimony"),
        victims=victims,
        events=[EventFormSetFactory(data, prefix=event_prefix(i)) for i in range(victims.total_form_count())],
    )


def _unbound(witness: dict | None = None, testimony: dict | None = None,
             victims: list[dict] | None = None, events: list[list[dict]] | None = None) -> Intake:
    victims = victims or [{}]
    events = events or [[] for _ in victims]
    return Intake(
        witness=WitnessForm(prefix="witness", initial=witness),
        testimony=TestimonyForm(prefix="testimony", initial=testimony),
        victims=VictimFormSetFactory(prefix="victims", initial=victims),
        events=[EventFormSetFactory(prefix=event_prefix(i), initial=evs) for i, evs in enumerate(events)],
    )


def _raw(form: forms.BaseForm) -> dict:
    """What the user typed into a bound form, untouched, to render again as initial values."""
    return {
        name: f.widget.value_from_datadict(form.data, form.files, form.add_prefix(name))
        for name, f in form.fields.items()
    }


def _index(value: str, size: int) -> int | None:
    try:
        i = int(value)
    except (TypeError, ValueError):
        return None
    return i if 0 <= i < size else None


def _round_trip(post: QueryDict) -> Intake:
    """Apply an add / remove / find / pick button to the posted data and re-render it unvalidated."""
    b = _bound(post)
    witness, testimony = _raw(b.witness), _raw(b.testimony)
    victims = [_raw(f) for f in b.victims.forms]
    events = [[_raw(f) for f in fs.forms] for fs in b.events]
    focus, matches = "", {}
    if "add_victim" in post and len(victims) < MAX_VICTIMS:
        victims.append({})
        events.append([])
        focus = f"id_victims-{len(victims) - 1}-existing"
    elif (i := _index(post.get("add_event"), len(victims))) is not None and len(events[i]) < MAX_EVENTS:
        events[i].append({})
        focus = f"id_{event_prefix(i)}-{len(events[i]) - 1}-type"
    elif (i := _index(post.get("remove_victim"), len(victims))) is not None and len(victims) > 1:
        del victims[i], events[i]
        focus = "victims"
    elif "remove_event" in post:
        vi, _sep, ei = post["remove_event"].partition("-")
        i = _index(vi, len(victims))
        j = _index(ei, len(events[i])) if i is not None else None
        if j is not None:
            del events[i][j]
            focus = f"victim-{i}-events"
    elif (i := _index(post.get("lookup"), len(victims))) is not None:
        wanted = split_names(victims[i].get("names") or "")
        hits = {}
        for text in wanted[:3]:
            for hit in search_persons(text, limit=5):
                hits.setdefault(hit.person.pk, hit)
        matches[i] = sorted(hits.values(), key=lambda h: -h.score)[:8]
        focus = f"victim-{i}-matches"
    elif "pick" in post:
        vi, _sep, pk = post["pick"].partition(":")
        i = _index(vi, len(victims))
        if i is not None and pk.isdigit():
            victims[i]["existing"] = pk
            focus = f"id_victims-{i}-existing"
    intake = _unbound(witness, testimony, victims, events)
    intake.matches, intake.focus = matches, focus
    return intake


def _validate(intake: Intake) -> bool:
    ok = intake.witness.is_valid() & intake.testimony.is_valid() & intake.victims.is_valid()
    for vform, fs in zip(intake.victims.forms, intake.events, strict=True):
        ok &= fs.is_valid()
        if vform.empty_permitted and not vform.has_changed() and any(f.has_changed() for f in fs.forms):
            vform.add_error("names", _("These events have no person: give the person's name or ID."))
            ok = False
    return bool(ok)


def _error_summary(intake: Intake) -> list[tuple[str, str, str]]:
    """(anchor id, where, message) for every error on the page, in page order."""
    out: list[tuple[str, str, str]] = []

    def collect(form: forms.BaseForm, where: str, anchor: str) -> None:
        for name, errors in form.errors.items():
            if name == "__all__":
                out.extend((anchor, where, str(e)) for e in errors)
            else:
                bf = form[name]
                out.extend((bf.id_for_label, f"{where}: {bf.label}", str(e)) for e in errors)

    collect(intake.witness, _("Witness"), "witness")
    collect(intake.testimony, _("Testimony"), "testimony")
    out.extend(("victims", _("Persons the testimony is about"), str(e)) for e in intake.victims.non_form_errors())
    for i, (vform, fs) in enumerate(zip(intake.victims.forms, intake.events, strict=True)):
        collect(vform, _("Person %(n)s") % {"n": i + 1}, f"victim-{i}")
        for j, ef in enumerate(fs.forms):
            collect(ef, _("Person %(n)s, event %(m)s") % {"n": i + 1, "m": j + 1}, f"victim-{i}-events")
    return out


@transaction.atomic
def _save(intake: Intake, user) -> tuple:
    witness = intake.witness.save(commit=False)
    witness.created_by = user
    witness.save()
    testimony = intake.testimony.save(commit=False)
    testimony.witness, testimony.created_by = witness, user
    testimony.save()
    persons: list[Person] = []
    for vform, fs in zip(intake.victims.forms, intake.events, strict=True):
        if vform.empty_permitted and not vform.has_changed():
            continue
        d = vform.cleaned_data
        person = d["existing"]
        if person is None:
            person = vform.save(commit=False)
            person.display_name, person.created_by = d["names"][0], user
            person.save()
        else:
            changed = [f for f in FILL_BLANKS if d.get(f) not in (None, "") and not getattr(person, f)]
            for f in changed:
                setattr(person, f, d[f])
            if changed:
                person.save(update_fields=changed)
        known = set(person.names.values_list("text", flat=True))
        for text in d["names"]:
            if text not in known:
                record.add_name(person, text, testimony=testimony)
                known.add(text)
        TestimonyPerson.objects.create(testimony=testimony, person=person, relationship=d["relationship"])
        for ef in fs.forms:
            if ef.empty_permitted and not ef.has_changed():
                continue
            event = ef.save(commit=False)
            event.person = person
            event.save()
            event.testimonies.add(testimony)
        record.events_changed(person)
        persons.append(person)
    return testimony, persons


def _render(request: HttpRequest, intake: Intake, errors: list | None = None) -> HttpResponse:
    if not intake.focus and not errors:
        intake.focus = "id_witness-full_name"
    intake.set_autofocus()
    context = {
        "intake": intake, "errors": errors or [],
        "places": gazetteer_places(),
    }
    return render(request, "registry/intake.html", context)


@role_required(*WRITE_ROLES)
def intake(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _render(request, _unbound())
    if "save" not in request.POST:
        return _render(request, _round_trip(request.POST))
    intake = _bound(request.POST)
    if not _validate(intake):
        return _render(request, intake, _error_summary(intake))
    testimony, persons = _save(intake, request.user)
    messages.success(request, ngettext(
        "Testimony saved with %(count)d person.", "Testimony saved with %(count)d persons.", len(persons)
    ) % {"count": len(persons)})
    return redirect("registry:testimony-detail", pk=testimony.pk)
