"""The exchange format: canonical lines, checked against the schema, restricted fields only on request,
and export → import into an empty instance → export gives the same bytes."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from aigaq.registry.models import Event, Person, Witness
from aigaq.transfer.exchange import ExchangeError, export_exchange, import_exchange

SENTINEL = "SENTINEL-CONTACT-+7-701-000"


@pytest.fixture
def small_record(db, gazetteer):
    from aigaq.registry.models import Testimony, TestimonyPerson
    from aigaq.registry.record import add_name, create_person, events_changed

    p = create_person(["Нұрлан Серікұлы"], gender="m", internal_notes="SENTINEL-NOTES")
    add_name(p, "努尔兰·赛力克")
    Event.objects.create(person=p, type="detained", date_start="2018-03-12", date_end="2018-03-12")
    events_changed(p)
    w = Witness.objects.create(full_name="Айгүл", contact=SENTINEL, address="Алматы")
    t = Testimony.objects.create(witness=w, title="t")
    TestimonyPerson.objects.create(testimony=t, person=p, relationship="sibling")
    return p


def lines(path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def test_lines_are_canonical_and_restricted_fields_stay_home_by_default(small_record, tmp_path):
    path = tmp_path / "x.jsonl"
    export_exchange(path)
    raw = path.read_text(encoding="utf-8")
    assert SENTINEL not in raw and "SENTINEL-NOTES" not in raw
    recs = lines(path)
    assert recs[0]["type"] == "header" and recs[0]["restricted"] is False
    assert [r["type"] for r in recs[1:]] == sorted((r["type"] for r in recs[1:]), key=[
        "place", "facility", "source", "witness", "person", "name", "testimony", "event", "evidence_link"].index)
    for line in raw.splitlines():
        assert line == json.dumps(json.loads(line), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    person = next(r for r in recs if r["type"] == "person")
    assert person["uid"] == str(small_record.uid) and "internal_notes" not in person and "id" not in person

    export_exchange(path, include_restricted=True)
    raw = path.read_text(encoding="utf-8")
    assert SENTINEL in raw and "SENTINEL-NOTES" in raw and lines(path)[0]["restricted"] is True


def test_importing_the_same_file_again_changes_nothing(small_record, tmp_path):
    path = tmp_path / "x.jsonl"
    export_exchange(path)
    stats = import_exchange(path)
    assert stats["created"] == 0 and stats["updated"] == 0
    # ...and an edited record in the file updates the record with that uid, nothing else.
    recs = lines(path)
    for r in recs:
        if r["type"] == "person":
            r["occupation"] = "teacher"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), encoding="utf-8")
    stats = import_exchange(path)
    assert stats["updated"] == 1 and Person.objects.get().occupation == "teacher"
    assert Witness.objects.get().contact == SENTINEL  # not in the file: left as it was


def test_a_bad_line_refuses_the_whole_file_naming_the_line(small_record, tmp_path):
    path = tmp_path / "x.jsonl"
    export_exchange(path)
    recs = lines(path)
    new = dict(next(r for r in recs if r["type"] == "person"), uid="11111111-2222-4333-8444-555555555555")
    bad = dict(new, uid="11111111-2222-4333-8444-666666666666", gender="x")
    body = [recs[0], new, bad]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in body), encoding="utf-8")
    with pytest.raises(ExchangeError, match=r"x.jsonl line 3: gender: 'x' is not one of"):
        import_exchange(path)
    assert Person.objects.count() == 1

    dangling = dict(new, merged_into="99999999-2222-4333-8444-555555555555")
    path.write_text("".join(json.dumps(r) + "\n" for r in [recs[0], dangling]), encoding="utf-8")
    with pytest.raises(ExchangeError, match=r"line 2: merged_into .*no such person"):
        import_exchange(path)
    link = {"type": "evidence_link", "sha256": "0" * 64, "person": str(small_record.uid), "testimony": None,
            "created_at": "2024-01-01T00:00:00Z"}
    path.write_text("".join(json.dumps(r) + "\n" for r in [recs[0], link]), encoding="utf-8")
    with pytest.raises(ExchangeError, match=r"line 2: evidence item sha256:0+ is not in this vault"):
        import_exchange(path)
    assert Person.objects.count() == 1


def _second_instance(template, tmp_path, env):
    data = tmp_path / "second"
    shutil.copytree(template, data)
    return {**env, "AIGAQ_DATA": str(data)}


@pytest.mark.slow
def test_round_trip_of_the_2000_person_demo_is_byte_identical(aigaq_env, _initialised_data, tmp_path):
    env_a, cli = aigaq_env
    env_b = _second_instance(_initialised_data[0], tmp_path, _initialised_data[1])

    def run(env, *args):
        proc = subprocess.run([*cli, *args], env=env, capture_output=True, text=True, timeout=900)
        assert proc.returncode == 0, proc.stderr
        return proc.stdout

    run(env_a, "seed-demo", "--persons", "2000", "--seed", "1", "--no-progress")
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    run(env_a, "export", str(first))
    stats = json.loads(run(env_b, "import", str(first), "--json"))
    assert stats["records"]["person"] == 2000 and stats["updated"] == 0
    run(env_b, "export", str(second))
    assert first.read_bytes() == second.read_bytes()
    again = json.loads(run(env_b, "import", str(first), "--json"))
    assert again["created"] == 0 and again["updated"] == 0


def test_evidence_travels_as_a_bag_and_links_resolve_by_sha256(small_record, tmp_path):
    from aigaq.audit.models import AuditEntry
    from aigaq.ledger.models import Entry
    from aigaq.vault import bag
    from aigaq.vault.ingest import ingest_path
    from aigaq.vault.models import EvidenceLink

    photo = tmp_path / "id-photo.jpg"
    photo.write_bytes(b"\xff\xd8\xff" + b"an ID shown to the camera" * 50)
    item = ingest_path(photo, person=small_record).item
    path, bagdir = tmp_path / "x.jsonl", tmp_path / "evidence-bag"
    result = export_exchange(path, evidence=bagdir)
    [link] = [r for r in lines(path) if r["type"] == "evidence_link"]
    assert link == {"type": "evidence_link", "sha256": item.sha256, "person": str(small_record.uid),
                    "testimony": None, "created_at": link["created_at"]}
    assert bag.validate(bagdir).valid and result["bag"]["path"] == str(bagdir)
    assert Entry.objects.filter(kind="exported", subject=item.sha256).exists()
    assert AuditEntry.objects.filter(action="export", object_type="transfer.exchange").exists()

    stats = import_exchange(path, evidence=bagdir)
    assert stats["evidence_imported"] == 1 and stats["created"] == 0
    assert EvidenceLink.objects.filter(item=item, person=small_record).count() == 1
