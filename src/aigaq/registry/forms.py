"""Forms: the one validation path for the staff UI and the API (which feeds them its JSON)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from aigaq.registry.choices import NameKind, Relationship, Script
from aigaq.registry.dates import DateError, parse_fuzzy_date
from aigaq.registry.models import NAME_MAX, Event, Facility, Person, Place, Testimony, Witness
from aigaq.registry.validators import LINE_VALIDATORS, clean_text


class PlaceField(forms.CharField):
    """A gazetteer place, typed as its code or picked from the list; unknown places are refused."""

    def __init__(self, **kw):
        kw.setdefault("required", False)
        kw.setdefault("max_length", NAME_MAX)
        kw.setdefault("help_text", _("Gazetteer code or exact name, e.g. 654002 or Yining City"))
        kw.setdefault("widget", forms.TextInput(attrs={"list": "gazetteer", "autocomplete": "off"}))
        super().__init__(**kw)

    def prepare_value(self, value):
        return value.code if isinstance(value, Place) else value

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        text = value.strip()
        place = Place.objects.filter(code=text).first()
        if place is None:
            # Volunteers type what the witness says ("Ғұлжа", "Yining"): accept an exact name
            # in any gazetteer language when it names one place only.
            q = Q()
            for f in ("name_en", "name_zh", "name_pinyin", "name_kk", "name_ug", "name_ru"):
                q |= Q(**{f"{f}__iexact": text})
            found = list(Place.objects.filter(q)[:3])
            if len(found) > 1:
                raise ValidationError(
                    _("Several places are called “%(name)s”: pick one by its code from the list."),
                    params={"name": text}, code="ambiguous",
                )
            place = found[0] if found else None
        if place is None:
            raise ValidationError(
                _("Unknown place “%(code)s”: pick a place from the gazetteer list."),
                params={"code": text}, code="unknown_place",
            )
        return place


class FuzzyDateField(forms.CharField):
    def __init__(self, **kw):
        kw.setdefault("max_length", 60)
        kw.setdefault("help_text", _("2018, 2018-03, March 2018, 12.03.2018, 2018-03-12 or 2017–2019"))
        super().__init__(**kw)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        try:
            return parse_fuzzy_date(value)
        except DateError as exc:
            raise ValidationError(str(exc)) from None


NAME_TOO_LONG = _("A name is at most %(limit_value)d characters; this one has %(show_value)d. "
                  "Shorten it, or give each form of the name separately.")


NAME_EMPTY = _("The name is empty: type the name as the witness gives it.")


class NameForm(forms.Form):
    text = forms.CharField(label=_("Name"), max_length=NAME_MAX, validators=LINE_VALIDATORS,
                           error_messages={"max_length": NAME_TOO_LONG, "required": NAME_EMPTY})

    def clean_text(self):
        text = clean_text(self.cleaned_data["text"])
        if not text:
            raise ValidationError(_("The name is empty: type the name as the witness gives it."))
        return text


class PersonForm(forms.ModelForm):
    home_place = PlaceField(label=_("Home place"))

    class Meta:
        model = Person
        fields = [
            "gender", "ethnicity", "birth_year_min", "birth_year_max", "home_place",
            "occupation", "citizenship", "publication",
        ]

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        if self.instance.pk and self.instance.home_place_id:
            self.initial["home_place"] = self.instance.home_place.code

    def clean(self):
        data = super().clean()
        lo, hi = data.get("birth_year_min"), data.get("birth_year_max")
        for field in ("birth_year_min", "birth_year_max"):
            year = data.get(field)
            if year is not None and not 1880 <= year <= 2030:
                self.add_error(field, _("Give a birth year between 1880 and 2030."))
        if lo and hi and hi < lo:
            self.add_error("birth_year_max", _("The latest birth year is before the earliest."))
        return data


class EventForm(forms.ModelForm):
    date = FuzzyDateField(label=_("When"), required=False)
    place = PlaceField(label=_("Place"))

    class Meta:
        model = Event
        fields = ["type", "facility", "sentence_months", "charge", "description"]

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.fields["facility"].queryset = Facility.objects.order_by("name")
        self.fields["facility"].required = False
        if self.instance.pk and self.instance.date_start:
            self.initial.setdefault("date", self.instance.date_label)
        if self.instance.pk and self.instance.place_id:
            self.initial.setdefault("place", self.instance.place.code)

    def clean_sentence_months(self):
        months = self.cleaned_data.get("sentence_months")
        if months is not None and months > 1200:
            raise ValidationError(_("A sentence longer than 100 years: check the number of months."))
        return months

    def save(self, commit=True):
        event = super().save(commit=False)
        fuzzy = self.cleaned_data.get("date")
        event.place = self.cleaned_data.get("place")
        if fuzzy:
            event.date_start, event.date_end, event.date_precision = fuzzy.start, fuzzy.end, fuzzy.precision
        else:
            event.date_start = event.date_end = None
        if commit:
            event.save()
        return event


class PersonEventForm(EventForm):
    """An event edited on its own page: it may cite one of the testimonies about the person."""

    testimony = forms.ModelChoiceField(
        label=_("Supported by testimony"), required=False, queryset=Testimony.objects.none(),
        help_text=_("The testimony in which this was said, if any."),
    )

    def __init__(self, *a, person: Person, **kw):
        super().__init__(*a, **kw)
        self.fields["testimony"].queryset = Testimony.objects.filter(links__person=person).order_by("-recorded_on", "-id")

    def save(self, commit=True):
        event = super().save(commit=commit)
        if commit and self.cleaned_data.get("testimony"):
            event.testimonies.add(self.cleaned_data["testimony"])
        return event


class WitnessForm(forms.ModelForm):
    class Meta:
        model = Witness
        fields = ["full_name", "gender", "contact", "address", "publication", "internal_notes"]
        widgets = {"contact": forms.Textarea(attrs={"rows": 2}), "address": forms.Textarea(attrs={"rows": 2}),
                   "internal_notes": forms.Textarea(attrs={"rows": 2})}

    def clean_full_name(self):
        name = clean_text(self.cleaned_data.get("full_name"))
        if not name:
            raise ValidationError(_("The witness's name is empty."))
        return name


class TestimonyForm(forms.ModelForm):
    recorded_on = forms.DateField(label=_("Recorded on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    place_recorded = PlaceField(label=_("Place recorded"))

    class Meta:
        model = Testimony
        fields = ["recorded_on", "language", "place_recorded", "title", "summary", "transcript", "publication"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3}), "transcript": forms.Textarea(attrs={"rows": 5})}

    def clean_recorded_on(self):
        from datetime import date

        value = self.cleaned_data.get("recorded_on")
        if value and value > date.today():
            raise ValidationError(_("The recording date is in the future."))
        if value and value.year < 1990:
            raise ValidationError(_("The recording date is before 1990; check the year."))
        return value


class VictimLinkForm(forms.Form):
    relationship = forms.ChoiceField(label=_("Witness is their"), choices=Relationship.choices)


class PersonNameForm(NameForm):
    """One more form of a person's name, with its kind; the script is detected when left empty."""

    kind = forms.ChoiceField(label=_("Kind of name"), choices=NameKind.choices, initial=NameKind.FULL)
    script = forms.ChoiceField(
        label=_("Script"), required=False, choices=[("", _("Detect automatically"))] + list(Script.choices)
    )


def split_names(text: str) -> list[str]:
    """One name form per line, as volunteers paste them (Cyrillic, Chinese, Latin…)."""
    return [clean_text(line) for line in (text or "").splitlines() if clean_text(line)]


class VictimForm(PersonForm):
    """A person a testimony concerns: a new person, or an existing one picked by ID."""

    existing = forms.IntegerField(
        label=_("Existing person ID"), required=False, min_value=1,
        help_text=_("Leave empty to create a new person. If the person is already recorded, give their ID: "
                    "the names and events below are then added to that record."),
    )
    names = forms.CharField(
        label=_("Names"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One form of the name per line, in any script: e.g. Cyrillic on one line, Chinese on the next."),
    )
    relationship = forms.ChoiceField(label=_("Witness's relationship to this person"), choices=Relationship.choices,
                                     initial=Relationship.OTHER)

    field_order = ["existing", "names", "relationship", "gender", "ethnicity", "birth_year_min",
                   "birth_year_max", "home_place", "occupation", "citizenship", "publication"]

    def clean_names(self) -> list[str]:
        names, errors = split_names(self.cleaned_data.get("names", "")), []
        for text in names:
            f = NameForm({"text": text})
            if not f.is_valid():
                errors.extend(ValidationError(f"“{text[:40]}”: {m}") for m in f.errors["text"])
        if errors:
            raise ValidationError(errors)
        return names

    def clean_existing(self) -> Person | None:
        pk = self.cleaned_data.get("existing")
        if pk is None:
            return None
        person = Person.objects.filter(pk=pk).first()
        if person is None:
            raise ValidationError(_("No person has the ID %(id)s: check the number on their page."),
                                  params={"id": pk})
        if person.merged_into_id:
            raise ValidationError(_("Person %(id)s was merged into person %(into)s: give %(into)s instead."),
                                  params={"id": pk, "into": person.merged_into_id})
        return person

    def clean(self):
        data = super().clean()
        if not data.get("existing") and not data.get("names") and "names" not in self.errors:
            self.add_error("names", ValidationError(
                _("Give at least one name for this person, or the ID of an existing person."), code="required"))
        return data


class BaseIntakeFormSet(forms.BaseFormSet):
    """Added blank forms are skipped, whatever INITIAL_FORMS the page was rendered with.

    The intake page re-renders entered data as initial values (for "add another" without
    JavaScript), so the posted INITIAL_FORMS says nothing about which forms the user filled in.
    """

    def initial_form_count(self) -> int:
        return 0 if self.is_bound else super().initial_form_count()


class VictimFormSet(BaseIntakeFormSet):
    def clean(self):
        if any(self.errors):
            return
        seen: dict[int, int] = {}
        for i, form in enumerate(self.forms, start=1):
            person = form.cleaned_data.get("existing") if form.has_changed() or i == 1 else None
            if person is None:
                continue
            if person.pk in seen:
                raise ValidationError(_("Person %(id)s is listed twice (persons %(a)s and %(b)s on this page)."),
                                      params={"id": person.pk, "a": seen[person.pk], "b": i})
            seen[person.pk] = i


class FacilityForm(forms.ModelForm):
    place = PlaceField(label=_("Place"))
    other_names = forms.CharField(
        label=_("Other names"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: the Chinese official name, local names, what detainees call it."),
    )

    class Meta:
        model = Facility
        fields = ["name", "kind", "place", "lat", "lon", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def clean_name(self):
        name = clean_text(self.cleaned_data.get("name"))
        if not name:
            raise ValidationError(_("The facility needs a name."))
        return name

    def clean_other_names(self) -> list[str]:
        names = split_names(self.cleaned_data.get("other_names", ""))
        for text in names:
            if len(text) > NAME_MAX:
                raise ValidationError(_("“%(name)s…” is longer than %(max)s characters."),
                                      params={"name": text[:40], "max": NAME_MAX})
            for validate in LINE_VALIDATORS:
                validate(text)
        return names

    def clean(self):
        data = super().clean()
        lat, lon = data.get("lat"), data.get("lon")
        if lat is not None and not -90 <= lat <= 90:
            self.add_error("lat", _("A latitude lies between -90 and 90."))
        if lon is not None and not -180 <= lon <= 180:
            self.add_error("lon", _("A longitude lies between -180 and 180."))
        if (lat is None) != (lon is None) and not self.errors.get("lat") and not self.errors.get("lon"):
            self.add_error("lon" if lon is None else "lat", _("Give both latitude and longitude, or neither."))
        return data
