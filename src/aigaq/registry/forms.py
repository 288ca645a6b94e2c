"""Forms: the one validation path for the staff UI and the API (which feeds them its JSON)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from aigaq.registry.choices import Relationship
from aigaq.registry.dates import DateError, parse_fuzzy_date
from aigaq.registry.models import NAME_MAX, Event, Facility, Person, Place, Testimony, Witness
from aigaq.registry.validators import LINE_VALIDATORS, clean_text


class PlaceField(forms.CharField):
    """A gazetteer place, typed as its code or picked from the list; unknown places are refused."""

    def __init__(self, **kw):
        kw.setdefault("required", False)
        kw.setdefault("max_length", 32)
        super().__init__(**kw)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        place = Place.objects.filter(code=value.strip()).first()
        if place is None:
            raise ValidationError(
                _("Unknown place “%(code)s”: pick a place from the gazetteer list."), params={"code": value}
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


class NameForm(forms.Form):
    text = forms.CharField(label=_("Name"), max_length=NAME_MAX, validators=LINE_VALIDATORS)

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
