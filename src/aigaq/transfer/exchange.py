"""The exchange format: the whole record as canonical JSON lines (docs/exchange-format.md).

One JSON object per line, each valid against schema/aigaq-exchange-1.0.schema.json: a header,
then places, facilities, sources, witnesses, persons, names, testimonies, events and evidence
links, each type sorted by its stable key (uid, gazetteer code, or person uid + position).
Lines are canonical (sorted keys, no spaces, UTF-8, "\\n" after each) and carry nothing local
to one instance (no database ids, no users, no export time), so export → import into an empty
instance → export gives the same bytes.

Import checks every line against the schema and every reference before writing anything,
refuses the whole file naming the line and the reason, then upserts by uid in one transaction:
importing the same file twice changes nothing the second time.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path

from django.db import transaction
from django.db.models import Model

from aigaq.registry.models import (
    Event,
    Facility,
    FacilityName,
    NameKey,
    Person,
    PersonName,
    Place,
    Source,
    Testimony,
    TestimonyPerson,
    Translation,
    Witness,
)
from aigaq.registry.status import derive

FORMAT, VERSION = "aigaq-exchange", "1.0"
SCHEMA_PATH = Path(__file__).with_name("schema") / "aigaq-exchange-1.0.schema.json"
TYPES = ("header", "place", "facility", "source", "witness", "person", "name", "testimony", "event",
         "evidence_link")
RESTRICTED = {"person": ("internal_notes",), "witness": ("contact", "address", "internal_notes")}


class ExchangeError(Exception):
    """The file is refused; the message names the line and the reason."""


def canonical(obj: dict) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _ts(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z") if value else None


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _parse_ts(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None


def _parse_day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


# --- export ------------------------------------------------------------------------------------


def _records(include_restricted: bool) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = defaultdict(list)
    place_codes = dict(Place.objects.values_list("pk", "code"))
    used_places: set[int] = set()

    def code(pk: int | None) -> str | None:
        if pk is None:
            return None
        used_places.add(pk)
        return place_codes[pk]

    fnames = defaultdict(list)
    for fid, text, lang in FacilityName.objects.values_list("facility_id", "text", "language"):
        fnames[fid].append({"text": text, "language": lang})
    fac_uid = {}
    for f in Facility.objects.all():
        fac_uid[f.pk] = str(f.uid)
        out["facility"].append({
            "type": "facility", "uid": str(f.uid), "name": f.name, "kind": f.kind, "place": code(f.place_id),
            "lat": f.lat, "lon": f.lon, "description": f.description,
            "names": sorted(fnames[f.pk], key=lambda n: (n["text"], n["language"])),
        })
    src_uid = {}
    for s in Source.objects.all():
        src_uid[s.pk] = str(s.uid)
        out["source"].append({"type": "source", "uid": str(s.uid), "kind": s.kind, "title": s.title, "url": s.url,
                              "citation": s.citation, "created_at": _ts(s.created_at)})
    wit_uid = {}
    for w in Witness.objects.all():
        wit_uid[w.pk] = str(w.uid)
        rec = {"type": "witness", "uid": str(w.uid), "full_name": w.full_name, "gender": w.gender,
               "publication": w.publication, "created_at": _ts(w.created_at)}
        if include_restricted:
            rec.update(contact=w.contact, address=w.address, internal_notes=w.internal_notes)
        out["witness"].append(rec)
    per_uid = dict(Person.objects.values_list("pk", "uid"))
    for p in Person.objects.all().iterator(chunk_size=2000):
        rec = {"type": "person", "uid": str(p.uid), "display_name": p.display_name, "gender": p.gender,
               "birth_year_min": p.birth_year_min, "birth_year_max": p.birth_year_max,
               "ethnicity": p.ethnicity, "citizenship": p.citizenship, "home_place": code(p.home_place_id),
               "occupation": p.occupation, "publication": p.publication, "grade": p.grade,
               "merged_into": str(per_uid[p.merged_into_id]) if p.merged_into_id else None,
               "created_at": _ts(p.created_at)}
        if include_restricted:
            rec["internal_notes"] = p.internal_notes
        out["person"].append(rec)
    tes_uid = dict(Testimony.objects.values_list("pk", "uid"))
    position: dict[int, int] = defaultdict(int)
    for n in PersonName.objects.order_by("person_id", "pk").values("person_id", "text", "script", "kind",
                                                                   "testimony_id").iterator(chunk_size=5000):
        pos = position[n["person_id"]]
        position[n["person_id"]] += 1
        out["name"].append({"type": "name", "person": str(per_uid[n["person_id"]]), "position": pos,
                            "text": n["text"], "script": n["script"], "kind": n["kind"],
                            "testimony": str(tes_uid[n["testimony_id"]]) if n["testimony_id"] else None})
    links = defaultdict(list)
    for tid, pid, rel in TestimonyPerson.objects.values_list("testimony_id", "person_id", "relationship"):
        links[tid].append({"person": str(per_uid[pid]), "relationship": rel})
    trans = defaultdict(list)
    for tid, lang, text in Translation.objects.values_list("testimony_id", "language", "text"):
        trans[tid].append({"language": lang, "text": text})
    for t in Testimony.objects.all().iterator(chunk_size=2000):
        out["testimony"].append({
            "type": "testimony", "uid": str(t.uid), "witness": wit_uid.get(t.witness_id), "recorded_on": _day(t.recorded_on),
            "language": t.language, "place_recorded": code(t.place_recorded_id), "title": t.title,
            "summary": t.summary, "transcript": t.transcript, "publication": t.publication, "state": t.state,
            "source": src_uid.get(t.source_id), "created_at": _ts(t.created_at),
            "persons": sorted(links[t.pk], key=lambda x: x["person"]),
            "translations": sorted(trans[t.pk], key=lambda x: x["language"]),
        })
    supports = defaultdict(list)
    for eid, tid in Event.testimonies.through.objects.values_list("event_id", "testimony_id"):
        supports[eid].append(str(tes_uid[tid]))
    for e in Event.objects.all().iterator(chunk_size=5000):
        out["event"].append({
            "type": "event", "uid": str(e.uid), "person": str(per_uid[e.person_id]), "kind": e.type,
            "date_start": _day(e.date_start), "date_end": _day(e.date_end), "date_precision": e.date_precision,
            "place": code(e.place_id), "facility": fac_uid.get(e.facility_id), "sentence_months": e.sentence_months,
            "charge": e.charge, "description": e.description, "testimonies": sorted(supports[e.pk]),
            "created_at": _ts(e.created_at),
        })
    out["evidence_link"] = _evidence_links(per_uid, tes_uid)
    # Places the records point at, and their ancestors, so the receiver can rebuild the chain.
    places = {p.pk: p for p in Place.objects.all()}
    todo = set(used_places)
    while todo:
        pk = todo.pop()
        parent = places[pk].parent_id
        if parent and parent not in used_places:
            used_places.add(parent)
            todo.add(parent)
    for pk in used_places:
        p = places[pk]
        out["place"].append({
            "type": "place", "code": p.code, "parent": place_codes.get(p.parent_id), "level": p.level,
            "name_en": p.name_en, "name_zh": p.name_zh, "name_pinyin": p.name_pinyin, "name_kk": p.name_kk,
            "name_ug": p.name_ug, "name_ru": p.name_ru, "lat": p.lat, "lon": p.lon,
        })
    return out


def _evidence_links(per_uid: dict, tes_uid: dict) -> list[dict]:
    try:
        from aigaq.vault.models import EvidenceLink
    except ImportError:  # pragma: no cover - the vault is part of every install
        return []
    out = []
    for sha, tid, pid, created in EvidenceLink.objects.values_list("item__sha256", "testimony_id", "person_id",
                                                                    "created_at"):
        out.append({"type": "evidence_link", "sha256": sha, "testimony": str(tes_uid[tid]) if tid else None,
                    "person": str(per_uid[pid]) if pid else None, "created_at": _ts(created)})
    return out


def sort_key(rec: dict) -> tuple:
    t = rec["type"]
    if t == "place":
        return (rec["code"],)
    if t == "name":
        return (rec["person"], rec["position"])
    if t == "evidence_link":
        return (rec["sha256"], rec["testimony"] or "", rec["person"] or "")
    return (rec.get("uid", ""),)


def export_exchange(target: Path, *, include_restricted: bool = False, evidence: Path | None = None,
                    user=None) -> dict:
    """Write the whole record to `target` (and the evidence originals as a bag to `evidence`)."""
    target = Path(target)
    records = _records(include_restricted)
    counts = {t: len(records.get(t, ())) for t in TYPES[1:]}
    header = {"type": "header", "format": FORMAT, "version": VERSION, "restricted": include_restricted,
              "counts": counts}
    tmp = target.with_name(f".{target.name}.partial")
    import os

    with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(canonical(header) + "\n")
        for t in TYPES[1:]:
            for rec in sorted(records.get(t, ()), key=sort_key):
                fh.write(canonical(rec) + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, target)
    result = {"file": str(target), "counts": counts, "restricted": include_restricted, "bag": None}
    if evidence is not None:
        from aigaq.vault import bag

        try:
            report = bag.export(Path(evidence))
        except bag.BagInvalid as exc:
            raise ExchangeError(f"the exchange file was written, the evidence bag was not: {exc}") from None
        result["bag"] = {"path": str(evidence), "payload_oxum": report.info.get("Payload-Oxum", [""])[0]}
    from aigaq import audit

    audit.record("export", user=user, object_type="transfer.exchange", object_id=target.name,
                 changes={"counts": counts, "restricted": include_restricted,
                          "evidence_bag": str(evidence) if evidence else ""})
    return result


# --- import ------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _validators() -> dict:
    """The whole schema (for a line whose type is unknown) and, per type, its own definition:
    dispatching on "type" first is ten times faster than the schema's if/then chain, and the
    same rules."""
    from jsonschema import Draft202012Validator

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    out = {"": Draft202012Validator(schema)}
    for t in TYPES:
        out[t] = Draft202012Validator(_inline(schema["$defs"][t], schema["$defs"]))
    return out


def _inline(node, defs: dict):
    """The schema with its (non-recursive) local $refs replaced by what they point at: the same
    rules, without a reference lookup per value."""
    if isinstance(node, list):
        return [_inline(x, defs) for x in node]
    if not isinstance(node, dict):
        return node
    out = {k: _inline(v, defs) for k, v in node.items() if k != "$ref"}
    if "$ref" in node:
        target = _inline(defs[node["$ref"].removeprefix("#/$defs/")], defs)
        if not out:
            return target
        out.setdefault("allOf", []).append(target)
    return out


def read_exchange(path: Path) -> dict[str, list[tuple[int, dict]]]:
    """Every record, by type, with its line number; ExchangeError on the first bad line."""
    validators = _validators()
    by_type: dict[str, list[tuple[int, dict]]] = defaultdict(list)
    name = Path(path).name
    with open(path, "rb") as fh:
        for n, raw in enumerate(fh, 1):
            try:
                text = raw.decode("utf-8")
                rec = json.loads(text)
            except (UnicodeDecodeError, ValueError) as exc:
                raise ExchangeError(f"{name} line {n}: not a JSON object in UTF-8 ({exc})") from None
            t = rec.get("type") if isinstance(rec, dict) else None
            validator = validators.get(t if isinstance(t, str) else "", validators[""])
            error = next(iter(sorted(validator.iter_errors(rec), key=lambda e: [str(p) for p in e.path])), None)
            if error is not None:
                where = "/".join(str(p) for p in error.absolute_path) or "(the record)"
                raise ExchangeError(f"{name} line {n}: {where}: {error.message}")
            if n == 1 and rec["type"] != "header":
                raise ExchangeError(f"{name} line 1: the first line must be the header")
            if n > 1 and rec["type"] == "header":
                raise ExchangeError(f"{name} line {n}: a second header")
            by_type[rec["type"]].append((n, rec))
    if not by_type.get("header"):
        raise ExchangeError(f"{name}: empty file (no header)")
    return by_type


def _check_references(name: str, recs: dict[str, list[tuple[int, dict]]]) -> None:
    """Every uid, code and hash a record points at is in the file or already here."""

    def known(model, key: str) -> set[str]:
        return {str(v) for v in model.objects.values_list(key, flat=True)}

    have = {
        "place": {r["code"] for _, r in recs["place"]} | known(Place, "code"),
        "facility": {r["uid"] for _, r in recs["facility"]} | known(Facility, "uid"),
        "source": {r["uid"] for _, r in recs["source"]} | known(Source, "uid"),
        "witness": {r["uid"] for _, r in recs["witness"]} | known(Witness, "uid"),
        "person": {r["uid"] for _, r in recs["person"]} | known(Person, "uid"),
        "testimony": {r["uid"] for _, r in recs["testimony"]} | known(Testimony, "uid"),
    }
    refs = {
        "place": [("parent", "place")],
        "facility": [("place", "place")],
        "person": [("home_place", "place"), ("merged_into", "person")],
        "name": [("person", "person"), ("testimony", "testimony")],
        "testimony": [("witness", "witness"), ("place_recorded", "place"), ("source", "source")],
        "event": [("person", "person"), ("place", "place"), ("facility", "facility")],
        "evidence_link": [("person", "person"), ("testimony", "testimony")],
    }
    for t, fields in refs.items():
        for n, r in recs[t]:
            for f, target in fields:
                if r.get(f) is not None and r[f] not in have[target]:
                    raise ExchangeError(f"{name} line {n}: {f} {r[f]!r}: no such {target} in the file or here")
    for n, r in recs["testimony"]:
        for link in r["persons"]:
            if link["person"] not in have["person"]:
                raise ExchangeError(f"{name} line {n}: persons: no person {link['person']!r}")
    for n, r in recs["event"]:
        for uid in r["testimonies"]:
            if uid not in have["testimony"]:
                raise ExchangeError(f"{name} line {n}: testimonies: no testimony {uid!r}")
    seen: dict[tuple, int] = {}
    for t, rows in recs.items():
        for n, r in rows:
            key = (t, *sort_key(r))
            if key in seen:
                raise ExchangeError(f"{name} line {n}: the same {t} as line {seen[key]}")
            seen[key] = n


class _Upsert:
    """Create or update rows of one model by their stable key, counting what changed."""

    def __init__(self, stats: dict):
        self.stats = stats

    def apply(self, model: type[Model], key: str, rows: list[dict], fields: list[str]) -> dict[str, int]:
        """rows: {key: value, field: value...}; returns key -> pk."""
        existing = {str(k): pk for k, pk in model.objects.values_list(key, "pk")}
        current = {}
        wanted = [existing[str(r[key])] for r in rows if str(r[key]) in existing]
        for i in range(0, len(wanted), 900):
            for obj in model.objects.filter(pk__in=wanted[i : i + 900]):
                current[str(getattr(obj, key))] = obj
        new, changed = [], []
        for r in rows:
            k = str(r[key])
            obj = current.get(k)
            if obj is None:
                new.append(model(**r))
                continue
            diff = [f for f in fields if f in r and getattr(obj, f) != r[f]]
            if diff:
                for f in diff:
                    setattr(obj, f, r[f])
                changed.append((obj, diff))
            else:
                self.stats["unchanged"] += 1
        model.objects.bulk_create(new, batch_size=1000)
        for obj, diff in changed:
            obj.save(update_fields=diff)  # few: each through the model, so the audit log sees it
        self.stats["created"] += len(new)
        self.stats["updated"] += len(changed)
        return {str(k): pk for k, pk in model.objects.values_list(key, "pk")}


def import_exchange(path: Path, *, evidence: Path | None = None, dry_run: bool = False, user=None) -> dict:
    path = Path(path)
    name = path.name
    recs = read_exchange(path)
    header = recs["header"][0][1]
    if header["version"].split(".")[0] != VERSION.split(".")[0]:
        raise ExchangeError(f"{name} line 1: format version {header['version']}; this Aigaq reads {VERSION}")
    _check_references(name, recs)
    stats = {"records": {t: len(recs.get(t, ())) for t in TYPES[1:]}, "created": 0, "updated": 0,
             "unchanged": 0, "evidence_imported": 0}
    if evidence is not None and not dry_run:
        from aigaq.vault import bag
        from aigaq.vault.ingest import IngestError

        try:
            stats["evidence_imported"] = len(bag.import_bag(Path(evidence), user=user))
        except (bag.BagInvalid, IngestError) as exc:
            raise ExchangeError(f"{evidence}: evidence bag not imported: {exc}") from None
    _check_evidence(name, recs, dry_run and evidence is not None)
    if dry_run:
        return stats
    from aigaq.transfer.load import keyring_read_once

    with keyring_read_once(), transaction.atomic():
        _write(recs, bool(header["restricted"]), stats)
        from aigaq import audit

        audit.record("import", user=user, object_type="transfer.exchange", object_id=name,
                     changes={"records": stats["records"], "created": stats["created"], "updated": stats["updated"]})
    return stats


def _check_evidence(name: str, recs: dict, skip: bool) -> None:
    if skip or not recs["evidence_link"]:
        return
    from aigaq.vault.models import EvidenceItem

    have = set(EvidenceItem.objects.filter(sha256__in={r["sha256"] for _, r in recs["evidence_link"]})
               .values_list("sha256", flat=True))
    for n, r in recs["evidence_link"]:
        if r["sha256"] not in have:
            raise ExchangeError(f"{name} line {n}: evidence item sha256:{r['sha256']} is not in this vault; "
                                "give the bag exported with the file (--evidence BAGDIR)")


def _write(recs: dict, restricted: bool, stats: dict) -> None:
    up = _Upsert(stats)
    # Places: create the missing ones (parents linked after), leave the gazetteer's own alone
    # unless the file says otherwise.
    place_fields = ["level", "name_en", "name_zh", "name_pinyin", "name_kk", "name_ug", "name_ru", "lat", "lon"]
    place_rows = [{"code": r["code"], **{f: r[f] if r[f] is not None or f in ("lat", "lon") else "" for f in place_fields}}
                  for _, r in recs["place"]]
    places = up.apply(Place, "code", place_rows, place_fields)
    for _, r in recs["place"]:
        parent = places.get(r["parent"]) if r["parent"] else None
        Place.objects.filter(code=r["code"]).exclude(parent_id=parent).update(parent_id=parent)
    places = dict(Place.objects.values_list("code", "pk"))

    fac_fields = ["name", "kind", "place_id", "lat", "lon", "description"]
    facs = up.apply(Facility, "uid", [{"uid": r["uid"], "name": r["name"], "kind": r["kind"],
                                       "place_id": places.get(r["place"]), "lat": r["lat"], "lon": r["lon"],
                                       "description": r["description"]} for _, r in recs["facility"]], fac_fields)
    _replace_children(FacilityName, "facility_id", {facs[r["uid"]]: r["names"] for _, r in recs["facility"]},
                      lambda pk, n: FacilityName(facility_id=pk, text=n["text"], language=n["language"]),
                      lambda obj: {"text": obj.text, "language": obj.language}, order=("text", "language"))

    srcs = up.apply(Source, "uid", [{k: (_parse_ts(v) if k == "created_at" else v) for k, v in r.items() if k != "type"}
                                    for _, r in recs["source"]], ["kind", "title", "url", "citation", "created_at"])

    wit_fields = ["full_name", "gender", "publication", "created_at"] + (list(RESTRICTED["witness"]) if restricted else [])
    wits = up.apply(Witness, "uid", [{"uid": r["uid"], **{f: (_parse_ts(r[f]) if f == "created_at" else r.get(f, ""))
                                                          for f in wit_fields}} for _, r in recs["witness"]], wit_fields)

    per_fields = ["display_name", "gender", "birth_year_min", "birth_year_max", "ethnicity", "citizenship",
                  "home_place_id", "occupation", "publication", "grade", "created_at"]
    if restricted:
        per_fields.append("internal_notes")
    per_rows = []
    for _, r in recs["person"]:
        row = {f: r.get(f) for f in per_fields if f in r}
        row.update(uid=r["uid"], home_place_id=places.get(r["home_place"]), created_at=_parse_ts(r["created_at"]))
        if restricted:
            row["internal_notes"] = r.get("internal_notes", "")
        per_rows.append(row)
    pers = up.apply(Person, "uid", per_rows, per_fields)
    for _, r in recs["person"]:
        target = pers.get(r["merged_into"]) if r["merged_into"] else None
        Person.objects.filter(pk=pers[r["uid"]]).exclude(merged_into_id=target).update(merged_into_id=target)

    tes_fields = ["witness_id", "recorded_on", "language", "place_recorded_id", "title", "summary", "transcript",
                  "publication", "state", "source_id", "created_at"]
    tes = up.apply(Testimony, "uid", [{
        "uid": r["uid"], "witness_id": wits.get(r["witness"]) if r["witness"] else None,
        "recorded_on": _parse_day(r["recorded_on"]), "language": r["language"],
        "place_recorded_id": places.get(r["place_recorded"]), "title": r["title"], "summary": r["summary"],
        "transcript": r["transcript"], "publication": r["publication"], "state": r["state"],
        "source_id": srcs.get(r["source"]) if r["source"] else None, "created_at": _parse_ts(r["created_at"]),
    } for _, r in recs["testimony"]], tes_fields)
    _replace_children(TestimonyPerson, "testimony_id",
                      {tes[r["uid"]]: r["persons"] for _, r in recs["testimony"]},
                      lambda pk, x: TestimonyPerson(testimony_id=pk, person_id=pers[x["person"]],
                                                    relationship=x["relationship"]),
                      lambda obj: {"person": str(obj.person.uid), "relationship": obj.relationship},
                      order=("person__uid",), related=("person",))
    _replace_children(Translation, "testimony_id", {tes[r["uid"]]: r["translations"] for _, r in recs["testimony"]},
                      lambda pk, x: Translation(testimony_id=pk, language=x["language"], text=x["text"]),
                      lambda obj: {"language": obj.language, "text": obj.text}, order=("language",))

    _write_names(recs, pers, tes)

    ev_fields = ["person_id", "type", "date_start", "date_end", "date_precision", "place_id", "facility_id",
                 "sentence_months", "charge", "description", "created_at"]
    evs = up.apply(Event, "uid", [{
        "uid": r["uid"], "person_id": pers[r["person"]], "type": r["kind"], "date_start": _parse_day(r["date_start"]),
        "date_end": _parse_day(r["date_end"]), "date_precision": r["date_precision"], "place_id": places.get(r["place"]),
        "facility_id": facs.get(r["facility"]) if r["facility"] else None, "sentence_months": r["sentence_months"],
        "charge": r["charge"], "description": r["description"], "created_at": _parse_ts(r["created_at"]),
    } for _, r in recs["event"]], ev_fields)
    through = Event.testimonies.through
    _replace_children(through, "event_id", {evs[r["uid"]]: sorted(r["testimonies"]) for _, r in recs["event"]},
                      lambda pk, uid: through(event_id=pk, testimony_id=tes[uid]),
                      lambda obj: str(obj.testimony.uid), order=("testimony__uid",), related=("testimony",))
    _write_evidence_links(recs, pers, tes)
    _refresh_status({pers[r["person"]] for _, r in recs["event"]} | {pers[r["uid"]] for _, r in recs["person"]})


def _replace_children(model, parent_field: str, wanted: dict[int, list], make, describe, order=(), related=()) -> None:
    """Make each parent's children exactly `wanted` (compared first, so a re-import writes nothing)."""
    if not wanted:
        return
    have: dict[int, list] = defaultdict(list)
    parents = list(wanted)
    for i in range(0, len(parents), 900):
        qs = model.objects.filter(**{f"{parent_field}__in": parents[i : i + 900]}).order_by(parent_field, *order, "pk")
        if related:
            qs = qs.select_related(*related)
        for obj in qs:
            have[getattr(obj, parent_field)].append(describe(obj))
    stale, new = [], []
    for pk, items in wanted.items():
        if have.get(pk, []) == list(items):
            continue
        stale.append(pk)
        new.extend(make(pk, x) for x in items)
    for i in range(0, len(stale), 900):
        model.objects.filter(**{f"{parent_field}__in": stale[i : i + 900]}).delete()
    model.objects.bulk_create(new, batch_size=1000)


def _write_names(recs: dict, pers: dict, tes: dict) -> None:
    from aigaq.transfer.dedup import cached_keys

    wanted: dict[int, list[dict]] = defaultdict(list)
    for _, r in sorted(recs["name"], key=lambda x: (x[1]["person"], x[1]["position"])):
        wanted[pers[r["person"]]].append({"text": r["text"], "script": r["script"], "kind": r["kind"],
                                          "testimony": r["testimony"]})
    tes_uid = {pk: uid for uid, pk in tes.items()}
    have: dict[int, list[dict]] = defaultdict(list)
    parents = list(wanted)
    for i in range(0, len(parents), 900):
        for n in PersonName.objects.filter(person_id__in=parents[i : i + 900]).order_by("person_id", "pk"):
            have[n.person_id].append({"text": n.text, "script": n.script, "kind": n.kind,
                                      "testimony": tes_uid.get(n.testimony_id) if n.testimony_id else None})
    stale = [pk for pk, names in wanted.items() if have.get(pk, []) != names]
    for i in range(0, len(stale), 900):
        PersonName.objects.filter(person_id__in=stale[i : i + 900]).delete()  # their NameKeys cascade
    new = [PersonName(person_id=pk, text=n["text"], script=n["script"], kind=n["kind"],
                      testimony_id=tes[n["testimony"]] if n["testimony"] else None)
           for pk in stale for n in wanted[pk]]
    PersonName.objects.bulk_create(new, batch_size=1000)
    keys = [NameKey(person_id=n.person_id, name_id=n.pk, key=k) for n in new for k in cached_keys(n.text)]
    NameKey.objects.bulk_create(keys, batch_size=5000)


def _write_evidence_links(recs: dict, pers: dict, tes: dict) -> None:
    if not recs["evidence_link"]:
        return
    from aigaq.vault.models import EvidenceItem, EvidenceLink

    items = dict(EvidenceItem.objects.filter(sha256__in={r["sha256"] for _, r in recs["evidence_link"]})
                 .values_list("sha256", "pk"))
    have = set(EvidenceLink.objects.values_list("item_id", "testimony_id", "person_id"))
    new = []
    for _, r in recs["evidence_link"]:
        key = (items[r["sha256"]], tes.get(r["testimony"]) if r["testimony"] else None,
               pers.get(r["person"]) if r["person"] else None)
        if key not in have:
            new.append(EvidenceLink(item_id=key[0], testimony_id=key[1], person_id=key[2],
                                    created_at=_parse_ts(r["created_at"])))
    EvidenceLink.objects.bulk_create(new)


def _refresh_status(pids: set[int]) -> None:
    """Derived status from the imported events (registry.status.derive), written in bulk."""
    events = defaultdict(list)
    ids = sorted(pids)
    for i in range(0, len(ids), 900):
        for e in Event.objects.filter(person_id__in=ids[i : i + 900]).only("pk", "person_id", "type", "date_start"):
            events[e.person_id].append(e)
    changed = []
    for p in Person.objects.filter(pk__in=ids).only("pk", "status", "status_since", "detention_year") if len(ids) < 900 \
            else _persons_in(ids):
        d = derive(events.get(p.pk, []))
        if (p.status, p.status_since, p.detention_year) != (d.status, d.since, d.detention_year):
            p.status, p.status_since, p.detention_year = d.status, d.since, d.detention_year
            changed.append(p)
    Person.objects.bulk_update(changed, ["status", "status_since", "detention_year"], batch_size=1000)


def _persons_in(ids: list[int]):
    for i in range(0, len(ids), 900):
        yield from Person.objects.filter(pk__in=ids[i : i + 900]).only("pk", "status", "status_since", "detention_year")
