"""BagIt (RFC 8493): export a case as a bag, validate bags, import partners' bags.

Validation is written out here rule by rule because bagit-python 1.9 misses some of the RFC:
it neither writes nor reads the %25 encoding of '%' in manifest paths (§2.1.3), writes
version 0.97, and accepts a tag manifest that lists payload files (§2.2.1). The library still
runs on every bag we validate, as a second opinion on completeness and Payload-Oxum.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import os
import re
import shutil
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import bagit

from aigaq.ledger import log as ledger
from aigaq.ledger.models import Entry, EventKind
from aigaq.vault.models import EvidenceItem
from aigaq.vault.storage import get_storage

READ = 4 * 1024 * 1024
ALGORITHMS = ("sha256", "sha512")
KNOWN_ALGORITHMS = {"md5", "sha1", "sha224", "sha256", "sha384", "sha512"}
_DRIVE = re.compile(r"^[A-Za-z]:")


class BagInvalid(Exception):
    pass


# --- paths -------------------------------------------------------------------------------


def encode_path(path: str) -> str:
    """§2.1.3: percent-encode %, CR and LF (and only those) in manifest and fetch paths."""
    return path.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def decode_path(path: str) -> str:
    return re.sub(r"%(25|0[DdAa])", lambda m: {"25": "%", "0D": "\r", "0A": "\n"}[m.group(1).upper()], path)


def unsafe_reason(path: str) -> str | None:
    """Why a path from a bag could escape it or clash on another system, or None if safe."""
    if not path or "\x00" in path:
        return "empty or NUL in path"
    if path.startswith(("/", "~")) or _DRIVE.match(path) or "\\" in path:
        return "absolute path, home folder or backslash"
    parts = path.split("/")
    if any(p in ("", ".", "..") for p in parts):
        return "'.', '..' or empty path component"
    return None


# --- validation --------------------------------------------------------------------------


@dataclass
class BagReport:
    path: Path
    version: str = ""
    encoding: str = "UTF-8"
    info: dict[str, list[str]] = field(default_factory=dict)
    payload: dict[str, dict[str, str]] = field(default_factory=dict)  # path -> {alg: digest}
    errors: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.errors


def _read_tag_text(path: Path, encoding: str) -> str:
    raw = path.read_bytes()
    if raw.startswith(codecs.BOM_UTF8):
        raise BagInvalid(f"{path.name}: starts with a byte-order mark (§2.1.1 forbids it)")
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise BagInvalid(f"{path.name}: not valid {encoding} ({exc.reason} at byte {exc.start})") from None


def _parse_tags(text: str, name: str) -> dict[str, list[str]]:
    tags: dict[str, list[str]] = {}
    last = None
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        if line[0] in " \t" and last:
            tags[last][-1] += " " + line.strip()
            continue
        if ":" not in line:
            raise BagInvalid(f"{name} line {n}: not 'Label: value'")
        label, value = line.split(":", 1)
        if label != label.strip() or not label:
            raise BagInvalid(f"{name} line {n}: whitespace around the label")
        last = label
        tags.setdefault(label, []).append(value.strip())
    return tags


def _parse_manifest(path: Path, encoding: str, errors: list[str]) -> dict[str, str]:
    entries: dict[str, str] = {}
    for n, line in enumerate(_read_tag_text(path, encoding).splitlines(), 1):
        if not line.strip():
            continue
        parts = line.split(None, 1) if not line[0].isspace() else []
        if len(parts) != 2:
            raise BagInvalid(f"{path.name} line {n}: not 'CHECKSUM FILEPATH'")
        digest, raw = parts[0].lower(), parts[1].lstrip(" \t*")
        rel = decode_path(raw)
        reason = unsafe_reason(rel)
        if reason:
            raise BagInvalid(f"{path.name} line {n}: unsafe path {rel!r} ({reason})")
        if rel in entries:
            errors.append(f"{path.name}: {rel!r} listed twice")
        entries[rel] = digest
    return entries


def _hash_file(path: Path, algorithms: set[str]) -> dict[str, str]:
    hashers = {a: hashlib.new(a) for a in algorithms}
    with open(path, "rb") as fh:
        while chunk := fh.read(READ):
            for h in hashers.values():
                h.update(chunk)
    return {a: h.hexdigest() for a, h in hashers.items()}


def _walk_files(root: Path) -> list[str]:
    """All files under root, relative, '/'-separated; symlinks are errors (they could escape)."""
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            full = Path(dirpath) / name
            if full.is_symlink():
                raise BagInvalid(f"{full.relative_to(root.parent)}: symbolic links are not allowed in a bag")
        for name in filenames:
            found.append((Path(dirpath) / name).relative_to(root.parent).as_posix())
    return found


def validate(path: Path, *, hashes: bool = True) -> BagReport:
    """Check a bag against RFC 8493. The report's errors are empty when it is valid."""
    report = BagReport(Path(path))
    try:
        _validate(report, hashes)
    except BagInvalid as exc:
        report.errors.append(str(exc))
    except OSError as exc:
        report.errors.append(f"cannot read the bag: {exc}")
    return report


def _validate(report: BagReport, hashes: bool) -> None:
    root = report.path
    if not root.is_dir() or root.is_symlink():
        raise BagInvalid(f"{root}: not a folder")
    bagit_txt = root / "bagit.txt"
    if not bagit_txt.is_file():
        raise BagInvalid("bagit.txt is missing (§2.1.1)")
    lines = _read_tag_text(bagit_txt, "utf-8").splitlines()
    m = re.fullmatch(r"BagIt-Version: (\d+)\.(\d+)", lines[0]) if lines else None
    if len(lines) != 2 or not m or not lines[1].startswith("Tag-File-Character-Encoding: "):
        raise BagInvalid("bagit.txt must hold exactly 'BagIt-Version: M.N' and 'Tag-File-Character-Encoding: ENC'")
    report.version = f"{m.group(1)}.{m.group(2)}"
    report.encoding = lines[1].split(": ", 1)[1].strip()
    try:
        codecs.lookup(report.encoding)
    except LookupError:
        raise BagInvalid(f"bagit.txt: unknown tag file encoding {report.encoding!r}") from None
    if not (root / "data").is_dir():
        raise BagInvalid("the payload folder data/ is missing (§2.1.2)")
    if (root / "bag-info.txt").is_file():
        report.info = _parse_tags(_read_tag_text(root / "bag-info.txt", report.encoding), "bag-info.txt")
    payload_manifests = sorted(root.glob("manifest-*.txt"))
    if not payload_manifests:
        raise BagInvalid("no payload manifest (manifest-ALG.txt) (§2.1.3)")
    on_disk = set(_walk_files(root / "data"))
    manifests: dict[str, dict[str, str]] = {}
    for mf in payload_manifests:
        alg = mf.name[len("manifest-"):-4]
        if alg not in KNOWN_ALGORITHMS:
            raise BagInvalid(f"{mf.name}: unsupported algorithm {alg!r}")
        entries = _parse_manifest(mf, report.encoding, report.errors)
        for rel in entries:
            if not rel.startswith("data/"):
                raise BagInvalid(f"{mf.name}: {rel!r} is outside the payload folder data/")
        manifests[alg] = entries
    fetch = _fetch_entries(root, report.encoding)
    listed = set().union(*(set(e) for e in manifests.values()))
    for alg, entries in manifests.items():
        for rel in sorted(listed - set(entries)):
            report.errors.append(f"manifest-{alg}.txt does not list {rel!r} (every manifest must list every payload file)")
    for rel in sorted(on_disk - listed):
        report.errors.append(f"{rel!r} is in data/ but in no manifest")
    for rel in sorted(listed - on_disk):
        if rel in fetch:
            report.errors.append(f"{rel!r} is listed in fetch.txt and not fetched yet: the bag is incomplete")
        else:
            report.errors.append(f"{rel!r} is in the manifest but missing from data/")
    _check_oxum(report, root, on_disk)
    tagmanifests = sorted(root.glob("tagmanifest-*.txt"))
    tag_entries: dict[str, dict[str, str]] = {}
    for tm in tagmanifests:
        alg = tm.name[len("tagmanifest-"):-4]
        if alg not in KNOWN_ALGORITHMS:
            raise BagInvalid(f"{tm.name}: unsupported algorithm {alg!r}")
        entries = _parse_manifest(tm, report.encoding, report.errors)
        for rel in entries:
            if rel.startswith("data/") or rel.startswith("tagmanifest-"):
                raise BagInvalid(f"{tm.name}: lists {rel!r}; a tag manifest must not list payload files or tag manifests (§2.2.1)")
        tag_entries[alg] = entries
    _walk_files_top(root)  # refuses symlinks among the tag files too
    if report.errors or not hashes:
        return
    for rel in sorted(listed):
        wanted = {alg: entries[rel] for alg, entries in manifests.items() if rel in entries}
        got = _hash_file(root / rel, set(wanted))
        for alg, digest in wanted.items():
            if got[alg] != digest:
                report.errors.append(f"{rel!r}: {alg} is {got[alg]}, the manifest says {digest}")
        report.payload[rel] = got
    for alg, entries in tag_entries.items():
        for rel, digest in entries.items():
            if not (root / rel).is_file():
                report.errors.append(f"tagmanifest-{alg}.txt lists {rel!r}, which is missing")
            elif _hash_file(root / rel, {alg})[alg] != digest:
                report.errors.append(f"tag file {rel!r}: {alg} does not match tagmanifest-{alg}.txt")
    if not report.errors:
        _second_opinion(report)


def _walk_files_top(root: Path) -> list[str]:
    out = []
    for entry in sorted(root.iterdir()):
        if entry.name == "data":
            continue
        if entry.is_symlink():
            raise BagInvalid(f"{entry.name}: symbolic links are not allowed in a bag")
        if entry.is_file():
            out.append(entry.name)
        elif entry.is_dir():
            out.extend(_walk_files(entry))
    return out


def _fetch_entries(root: Path, encoding: str) -> set[str]:
    fetch = root / "fetch.txt"
    if not fetch.is_file():
        return set()
    names = set()
    for n, line in enumerate(_read_tag_text(fetch, encoding).splitlines(), 1):
        if not line.strip():
            continue
        parts = line.split(None, 2)
        if len(parts) != 3 or not (parts[1] == "-" or parts[1].isdigit()) or "://" not in parts[0]:
            raise BagInvalid(f"fetch.txt line {n}: not 'URL LENGTH FILEPATH'")
        rel = decode_path(parts[2])
        reason = unsafe_reason(rel)
        if reason or not rel.startswith("data/"):
            raise BagInvalid(f"fetch.txt line {n}: unsafe path {rel!r} ({reason or 'outside data/'})")
        names.add(rel)
    return names


def _check_oxum(report: BagReport, root: Path, on_disk: set[str]) -> None:
    oxum = report.info.get("Payload-Oxum")
    if not oxum:
        return
    m = re.fullmatch(r"(\d+)\.(\d+)", oxum[0])
    if not m:
        report.errors.append(f"bag-info.txt: malformed Payload-Oxum {oxum[0]!r}")
        return
    size = sum((root / rel).stat().st_size for rel in on_disk)
    if (int(m.group(1)), int(m.group(2))) != (size, len(on_disk)):
        report.errors.append(f"Payload-Oxum says {m.group(1)} bytes in {m.group(2)} files; "
                             f"data/ holds {size} bytes in {len(on_disk)} files")


def _second_opinion(report: BagReport) -> None:
    """bagit-python's completeness and Payload-Oxum checks, where it can read the names."""
    if any("%" in rel for rel in report.payload):
        return  # it does not decode %25 (see the module docstring)
    try:
        bagit.Bag(str(report.path)).validate(completeness_only=True)
    except bagit.BagError as exc:
        report.errors.append(f"bagit-python: {exc}")


# --- export ------------------------------------------------------------------------------


def _payload_name(item: EvidenceItem) -> str:
    name = (item.filename or "file").replace("%", "_").lstrip(".") or "file"
    return f"data/{item.sha256}/{name[:200]}"


def case_items(person=None) -> list[EvidenceItem]:
    qs = EvidenceItem.objects.filter(derivative_of__isnull=True)
    if person is not None:
        from django.db.models import Q

        qs = qs.filter(Q(links__person=person) | Q(links__testimony__persons=person)).distinct()
    return list(qs.order_by("id"))


def export(target: Path, *, person=None, progress=None) -> BagReport:
    """Write the originals (of one person's case, or all) as a bag, then validate it."""
    target = Path(target)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BagInvalid(f"{target}: exists and is not an empty folder")
    from aigaq.vault.ingest import record_sha512

    items = case_items(person)
    storage = get_storage()
    staging = target.with_name(f".{target.name}.partial")
    if staging.exists():
        shutil.rmtree(staging)
    (staging / "data").mkdir(parents=True)
    (staging / "aigaq" / "proofs").mkdir(parents=True)
    manifests = {alg: [] for alg in ALGORITHMS}
    total = 0
    cp = ledger.checkpoint()
    described = []
    for n, item in enumerate(items, 1):
        rel = _payload_name(item)
        dest = staging / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        hashers = {alg: hashlib.new(alg) for alg in ALGORITHMS}
        with storage.open(item.sha256) as src, open(dest, "wb") as out:
            while chunk := src.read(READ):
                for h in hashers.values():
                    h.update(chunk)
                out.write(chunk)
        digests = {alg: h.hexdigest() for alg, h in hashers.items()}
        if digests["sha256"] != item.sha256 or (item.sha512 and digests["sha512"] != item.sha512):
            shutil.rmtree(staging)
            raise BagInvalid(f"item {item.pk} sha256:{item.sha256}: the stored original does not match "
                             "its hashes; nothing exported, run `aigaq verify`")
        if not item.sha512:  # not computed yet (the vault.sha512 job): it is now, keep it
            record_sha512(item, digests["sha512"])
        for alg in ALGORITHMS:
            manifests[alg].append(f"{digests[alg]}  {encode_path(rel)}\n")
        total += item.size
        entry = Entry.objects.filter(subject=item.sha256, kind__in=(EventKind.INGESTED, EventKind.DERIVATIVE)).order_by("seq").first()
        if entry is not None and entry.seq < cp.size:
            (staging / "aigaq" / "proofs" / f"{item.sha256}.json").write_text(
                json.dumps(ledger.prove(entry, cp), indent=1, ensure_ascii=False), encoding="utf-8")
        described.append({"path": rel, "sha256": item.sha256, "sha512": digests["sha512"], "size": item.size,
                          "media_type": item.media_type, "filename": item.filename,
                          "source": item.source, "created_at": item.created_at.isoformat(),
                          "metadata": item.metadata, "provenance": item.provenance})
        if progress:
            progress(n, len(items))
    (staging / "aigaq" / "items.json").write_text(json.dumps(described, indent=1, ensure_ascii=False), encoding="utf-8")
    (staging / "aigaq" / "checkpoint.json").write_text(json.dumps(cp.as_dict(), indent=1), encoding="utf-8")
    (staging / "bagit.txt").write_text("BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n", encoding="utf-8")
    for alg, lines in manifests.items():
        (staging / f"manifest-{alg}.txt").write_text("".join(lines), encoding="utf-8")
    info = {
        "Bag-Software-Agent": "Aigaq (aigaq ingest/bag export)",
        "Bagging-Date": date.today().isoformat(),
        "Payload-Oxum": f"{total}.{len(items)}",
        "External-Identifier": f"person:{person.uid}" if person is not None else "all evidence",
        "Aigaq-Ledger-Checkpoint-Size": str(cp.size),
        "Aigaq-Ledger-Checkpoint-Root": cp.root,
        "Aigaq-Ledger-Checkpoint-Signature": cp.signature,
        "Aigaq-Ledger-Public-Key": cp.public_key,
        "Aigaq-Ledger-Checkpoint-Time": cp.created_at.isoformat(),
    }
    (staging / "bag-info.txt").write_text("".join(f"{k}: {v}\n" for k, v in info.items()), encoding="utf-8")
    tag_files = ["bagit.txt", "bag-info.txt", *(f"manifest-{a}.txt" for a in ALGORITHMS)]
    tag_files += sorted(p.relative_to(staging).as_posix() for p in (staging / "aigaq").rglob("*") if p.is_file())
    for alg in ALGORITHMS:
        lines = [f"{_hash_file(staging / t, {alg})[alg]}  {encode_path(t)}\n" for t in tag_files]
        (staging / f"tagmanifest-{alg}.txt").write_text("".join(lines), encoding="utf-8")
    report = validate(staging)
    if not report.valid:
        raise BagInvalid(f"the exported bag does not validate: {report.errors[0]}")
    if target.exists():
        target.rmdir()
    staging.rename(target)
    report.path = target
    for item in items:
        ledger.append(EventKind.EXPORTED, item.sha256, {"bag": target.name, "person": str(person.uid) if person else ""})
    return report


# --- import ------------------------------------------------------------------------------


def import_bag(path: Path, *, user=None, progress=None) -> list:
    """Validate a partner's bag, then take its payload in through the one ingest function."""
    from aigaq.vault.ingest import IngestError, ingest_path

    report = validate(path)
    if not report.valid:
        raise BagInvalid(report.errors[0])
    origin = (report.info.get("Source-Organization") or report.info.get("External-Identifier") or [Path(path).name])[0]
    results = []
    for n, rel in enumerate(sorted(report.payload), 1):
        result = ingest_path(Path(path) / rel, source=f"bag from {origin}: {rel}", user=user)
        if "sha256" in report.payload[rel] and result.item.sha256 != report.payload[rel]["sha256"]:
            raise IngestError(f"{rel}: changed after the bag was validated")
        ledger.append(EventKind.IMPORTED, result.item.sha256, {"bag": Path(path).name, "path": rel, "origin": origin})
        results.append((rel, result))
        if progress:
            progress(n, len(report.payload))
    return results
