"""Open data: the published record as CSV and JSON, described by a Frictionless data package.

The schema is defined once, here (`RESOURCES`): the CSV headers, the rows, the JSON and
datapackage.json all come from it. Bump SCHEMA_VERSION on any change (major when a field is
removed or changes meaning, minor when one is added); docs/open-data.md describes the versions.
Every value comes from the redaction policy's public records, never from models.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from aigaq.publish.policy import PublicFacility, PublicPerson, plain

SCHEMA_VERSION = "1.0.1"


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # Frictionless Table Schema type
    description: str


@dataclass(frozen=True)
class Resource:
    name: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...] = ()
    foreign_key: tuple[str, str, str] | None = None  # (field, resource, field)

    @property
    def path(self) -> str:
        return f"{self.name}.csv"


def _f(name: str, type_: str, description: str) -> Field:
    return Field(name, type_, description)


PERSON_UID = _f("person_uid", "string", "The person (persons.uid).")
RESOURCES: tuple[Resource, ...] = (
    Resource("persons", "One row per published person.", (
        _f("uid", "string", "Stable identifier of the person (a UUID); also the page person/<uid>."),
        _f("publication", "string", "public, or anonymised (initials, prefecture and years only)."),
        _f("name", "string", "Display name; initials for anonymised persons."),
        _f("gender", "string", "m, f or empty (unknown)."),
        _f("birth", "string", "Year of birth, or a range of years (1975–1979)."),
        _f("ethnicity", "string", "kazakh, uyghur, kyrgyz, tatar, hui, uzbek, han, other or empty."),
        _f("citizenship", "string", "Citizenship as recorded."),
        _f("occupation", "string", "Occupation; empty for anonymised persons."),
        _f("home_place_code", "string", "Gazetteer code of the home place (GB/T 2260 for China); a prefecture for anonymised persons."),
        _f("home_place", "string", "Home place, in English."),
        _f("status", "string", "Current status, derived from the events: detained, imprisoned, forced_labour, restricted, released, disappeared, deceased or unknown."),
        _f("status_since", "string", "Date of the event that set the status (ISO 8601; a year for anonymised persons)."),
        _f("detention_year", "integer", "Year of the first detention, arrest or sentence."),
        _f("grade", "string", "How well the case is supported: 1_mentioned, 2_relative, 3_with_id, 4_document."),
        _f("testimonies", "integer", "Testimonies recorded about the person that are not internal."),
        _f("testimonies_published", "integer", "Of those, the testimonies published in full (testimonies.csv)."),
    ), primary_key=("uid",)),
    Resource("names", "Every published form of a public person's name (none for anonymised persons).", (
        PERSON_UID,
        _f("text", "string", "The name as written."),
        _f("script", "string", "ISO 15924 code of the writing: Cyrl, Latn, Hans (Simplified Chinese), Hant "
           "(Traditional Chinese), Arab, Kana (Japanese kana) or Zyyy (another script)."),
        _f("kind", "string", "full, given, patronymic, surname, chinese or alias."),
    ), foreign_key=("person_uid", "persons", "uid")),
    Resource("events", "What happened to each person, in date order.", (
        PERSON_UID,
        _f("seq", "integer", "Order of the event in the person's timeline, from 1."),
        _f("type", "string", "detained, arrested, sentenced, transferred, released, forced_labour, documents_confiscated, house_arrest, disappeared, died, child_boarding or other."),
        _f("date", "string", "ISO 8601 date, month (2018-03), year, or range (2017–2019); years only for anonymised persons."),
        _f("year", "integer", "Year the event started."),
        _f("place_code", "string", "Gazetteer code of the place (a prefecture for anonymised persons)."),
        _f("place", "string", "The place, in English."),
        _f("facility_uid", "string", "The facility (facilities.uid)."),
        _f("facility", "string", "The facility's name."),
        _f("sentence_months", "integer", "Length of a sentence, in months."),
        _f("charge", "string", "The charge; empty for anonymised persons."),
        _f("description", "string", "Free-text description; empty for anonymised persons."),
    ), primary_key=("person_uid", "seq"), foreign_key=("person_uid", "persons", "uid")),
    Resource("testimonies", "Testimonies published in full: public, complete, every person concerned public, witness public or none.", (
        _f("uid", "string", "Stable identifier of the testimony."),
        PERSON_UID,
        _f("recorded_on", "date", "When it was recorded."),
        _f("language", "string", "Language code (kk, ru, ug, zh, en, tr, ky, other)."),
        _f("title", "string", "Title."),
        _f("summary", "string", "Summary."),
        _f("transcript", "string", "Transcript in the original language."),
        _f("witness", "string", "The witness's name; empty unless the witness consented to be named."),
        _f("relationship", "string", "The witness's relationship to the person."),
    ), primary_key=("uid", "person_uid"), foreign_key=("person_uid", "persons", "uid")),
    Resource("facilities", "Camps, detention centres and prisons, with counts of published persons.", (
        _f("uid", "string", "Stable identifier of the facility; also the page facility/<uid>."),
        _f("name", "string", "Name."),
        _f("kind", "string", "camp, detention, prison, labour or other."),
        _f("other_names", "string", "Other names it is known by, separated by ' | '."),
        _f("place_code", "string", "Gazetteer code of its place."),
        _f("place", "string", "Its place, in English."),
        _f("lat", "number", "Latitude (WGS 84)."),
        _f("lon", "number", "Longitude (WGS 84)."),
        _f("persons", "integer", "Published persons with an event at this facility."),
    ), primary_key=("uid",)),
)
BY_NAME = {r.name: r for r in RESOURCES}
JSON_PATH = "persons.json"
FILES = (*(r.path for r in RESOURCES), JSON_PATH, "datapackage.json")


def person_rows(pp: PublicPerson) -> dict[str, list[list]]:
    """The CSV rows of one person, by resource (persons, names, events, testimonies)."""
    home = pp.home_place
    return {
        "persons": [[pp.uid, pp.level, pp.display_name, pp.gender, pp.birth, pp.ethnicity, pp.citizenship,
                     pp.occupation, home.code if home else "", home.name_en if home else "", pp.status,
                     pp.status_since, pp.detention_year, pp.grade, pp.testimony_count, len(pp.testimonies)]],
        "names": [[pp.uid, n.text, n.script, n.kind] for n in pp.names],
        "events": [[pp.uid, i, e.type, e.date, e.year, e.place.code if e.place else "",
                    e.place.name_en if e.place else "", e.facility_uid or "", e.facility_name or "",
                    e.sentence_months, e.charge, e.description] for i, e in enumerate(pp.events, 1)],
        "testimonies": [[t.uid, pp.uid, t.recorded_on, t.language, t.title, t.summary, t.transcript,
                         t.witness_name, t.relationship] for t in pp.testimonies],
    }


def facility_row(f: PublicFacility) -> list:
    return [f.uid, f.name, f.kind, " | ".join(f.other_names), f.place.code if f.place else "",
            f.place.name_en if f.place else "", f.lat, f.lon, f.person_count]


def person_json(pp: PublicPerson) -> str:
    return json.dumps(plain(pp), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def csv_text(rows: Iterable[list]) -> str:
    """CSV lines without a header (one person's part of a file)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerows(["" if v is None else v for v in row] for row in rows)
    return buf.getvalue()


def csv_chunks(resource: str, rows: Iterable[list]) -> Iterator[str]:
    """CSV text in pieces (header first), so a large file streams."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([f.name for f in BY_NAME[resource].fields])
    for i, row in enumerate(rows):
        writer.writerow(["" if v is None else v for v in row])
        if i % 1000 == 999:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


def json_chunks(person_jsons: Iterable[str]) -> Iterator[str]:
    yield f'{{"schema_version":"{SCHEMA_VERSION}","persons":['
    for i, text in enumerate(person_jsons):
        yield ("," if i else "") + text
    yield "]}\n"


def datapackage() -> dict:
    resources = []
    for r in RESOURCES:
        schema: dict = {"fields": [{"name": f.name, "type": f.type, "description": f.description} for f in r.fields]}
        if r.primary_key:
            schema["primaryKey"] = list(r.primary_key)
        if r.foreign_key:
            field, res, ref = r.foreign_key
            schema["foreignKeys"] = [{"fields": field, "reference": {"resource": res, "fields": ref}}]
        resources.append({"name": r.name, "path": r.path, "profile": "tabular-data-resource", "format": "csv",
                          "mediatype": "text/csv", "encoding": "utf-8", "description": r.description,
                          "schema": schema})
    resources.append({"name": "persons-json", "path": JSON_PATH, "format": "json", "mediatype": "application/json",
                      "encoding": "utf-8", "description": "Every published person as one nested JSON object "
                      "(the fields of persons.csv, names, events and testimonies), under \"persons\"."})
    return {
        "profile": "tabular-data-package",
        "name": "aigaq-public-record",
        "title": "Aigaq: the published record",
        "version": SCHEMA_VERSION,
        "description": "Persons detained in Xinjiang as published by an Aigaq instance, redacted by its "
                       "publication policy (docs/publication.md). Schema: docs/open-data.md.",
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}],
        "resources": resources,
    }


def datapackage_text() -> str:
    return json.dumps(datapackage(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def resources_for_page() -> list[dict]:
    return [{"path": r.path, "description": r.description} for r in RESOURCES] + [
        {"path": JSON_PATH, "description": "JSON"}]


def all_chunks(name: str, persons: Callable[[], Iterable[PublicPerson]],
               facilities: Callable[[], Iterable[PublicFacility]]) -> Iterator[str]:
    """The text of one open-data file, generated from public records."""
    if name == "datapackage.json":
        yield datapackage_text()
    elif name == JSON_PATH:
        yield from json_chunks(person_json(pp) for pp in persons())
    elif name == "facilities.csv":
        yield from csv_chunks("facilities", (facility_row(f) for f in facilities()))
    else:
        resource = name.removesuffix(".csv")
        yield from csv_chunks(resource, (row for pp in persons() for row in person_rows(pp)[resource]))
