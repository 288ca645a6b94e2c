"""Request and response shapes of the API (also its OpenAPI description)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from ninja import Field, Schema

from aigaq.registry.models import NAME_MAX


class PlaceOut(Schema):
    id: int
    code: str
    name_en: str
    name_zh: str
    name_kk: str


class NameOut(Schema):
    text: str
    script: str
    kind: str


class PersonSummary(Schema):
    id: int
    uid: UUID
    display_name: str
    matched_name: str | None = None
    score: float | None = None
    status: str
    ethnicity: str
    gender: str
    birth_years: str
    detention_year: int | None
    publication: str


class PersonList(Schema):
    count: int
    results: list[PersonSummary]


class EventOut(Schema):
    id: int
    type: str
    date: str
    date_start: date | None
    date_end: date | None
    date_precision: str
    place: PlaceOut | None
    facility: str | None
    sentence_months: int | None
    charge: str
    description: str


class TestimonyRef(Schema):
    id: int
    title: str
    recorded_on: date | None
    language: str
    relationship: str


class PersonDetail(PersonSummary):
    names: list[NameOut]
    events: list[EventOut]
    testimonies: list[TestimonyRef]
    home_place: PlaceOut | None
    occupation: str
    citizenship: str
    grade: str


class EventIn(Schema):
    type: str
    date: str = Field("", description="2018, 2018-03, March 2018, 12.03.2018, 2018-03-12 or a range 2017–2019")
    place: str = Field("", description="gazetteer code of the place, e.g. 654021")
    facility: int | None = None
    sentence_months: int | None = Field(None, ge=0, le=1200)
    charge: str = Field("", max_length=300)
    description: str = Field("", max_length=20000)


class PersonIn(Schema):
    names: list[str] = Field(..., min_length=1, max_length=20, description="every form of the name")
    gender: str = ""
    ethnicity: str = ""
    birth_year_min: int | None = Field(None, ge=1880, le=2030)
    birth_year_max: int | None = Field(None, ge=1880, le=2030)
    home_place: str = Field("", description="gazetteer code")
    occupation: str = Field("", max_length=NAME_MAX)
    citizenship: str = Field("", max_length=60)
    publication: str = "internal"
    events: list[EventIn] = Field(default_factory=list, max_length=100)


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = Field(default_factory=dict)
