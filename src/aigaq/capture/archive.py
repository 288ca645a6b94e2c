"""WARC (through warcio) and WACZ 1.1.1 packaging of a captured page, and a WACZ validator.

WACZ is written here rather than with the `wacz` package: that package pulls in pywb and its
web stack for what is a zip of five well-specified parts (https://specs.webrecorder.net/wacz/1.1.1/).
"""

from __future__ import annotations

import hashlib
import io
import json
import uuid
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from aigaq.capture.fetch import Hop

WACZ_VERSION = "1.1.1"


def warc_date(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


class WarcFile:
    """A gzipped WARC being written: a warcinfo record, then request/response pairs."""

    def __init__(self, path: Path, software: str, when: datetime) -> None:
        self.path = path
        self._fh = open(path, "wb")  # noqa: SIM115 - closed by close()
        self.writer = WARCWriter(self._fh, gzip=True)
        info = {"software": software, "format": "WARC File Format 1.1",
                "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
                "description": "Captured by Aigaq for evidence preservation"}
        self.writer.write_record(self.writer.create_warcinfo_record(path.name, info))
        self.when = when

    def add_hop(self, hop: Hop) -> None:
        date = warc_date(hop.time)
        parts = urlsplit(hop.url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        req_headers = StatusAndHeaders(f"{hop.method} {target} {hop.protocol}", hop.request_headers,
                                       is_http_request=True)
        request = self.writer.create_warc_record(
            hop.url, "request", http_headers=req_headers,
            warc_headers_dict={"WARC-Date": date, "WARC-IP-Address": hop.server_ip})
        # http.client has already undone chunked transfer coding: record that header under
        # another name so that replay tools do not try to de-chunk the body again.
        headers = [(("X-Archive-Orig-" + k) if k.lower() == "transfer-encoding" else k, v)
                   for k, v in hop.headers]
        resp_headers = StatusAndHeaders(f"{hop.status} {hop.reason}", headers, protocol=hop.protocol)
        body = open(hop.body_path, "rb") if hop.body_path else io.BytesIO(b"")  # noqa: SIM115
        with body:
            response = self.writer.create_warc_record(
                hop.url, "response", payload=body, length=hop.body_size, http_headers=resp_headers,
                warc_headers_dict={"WARC-Date": date, "WARC-IP-Address": hop.server_ip})
            self.writer.write_record(response)
        request.rec_headers.add_header("WARC-Concurrent-To", response.rec_headers.get_header("WARC-Record-ID"))
        self.writer.write_record(request)

    def add_resource(self, uri: str, path: Path, content_type: str, when: datetime) -> None:
        with open(path, "rb") as fh:
            record = self.writer.create_warc_record(
                uri, "resource", payload=fh, length=path.stat().st_size, warc_content_type=content_type,
                warc_headers_dict={"WARC-Date": warc_date(when)})
            self.writer.write_record(record)

    def close(self) -> None:
        self._fh.flush()
        self._fh.close()


# --- WACZ ----------------------------------------------------------------------------------


def surt(url: str) -> str:
    """Sort-friendly URI Reordering Transform, as pywb/CDXJ indexes write it."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    if host.replace(".", "").isdigit():
        key = host
    else:
        key = ",".join(reversed(host.split(".")))
    if parts.port and not ((parts.scheme == "http" and parts.port == 80) or (parts.scheme == "https" and parts.port == 443)):
        key += f":{parts.port}"
    path = (parts.path or "/").lower()
    query = ("?" + "&".join(sorted(parts.query.split("&")))).lower() if parts.query else ""
    return f"{key}){path}{query}"


def cdxj_lines(warc_path: Path, filename: str) -> list[str]:
    """One CDXJ line per response/resource record, sorted (WACZ indexes/index.cdx)."""
    lines = []
    with open(warc_path, "rb") as fh:
        it = ArchiveIterator(fh)
        for record in it:
            if record.rec_type not in ("response", "resource"):
                continue
            uri = record.rec_headers.get_header("WARC-Target-URI")
            date = record.rec_headers.get_header("WARC-Date")
            ts = "".join(c for c in date if c.isdigit())[:14]
            entry = {"url": uri, "digest": record.rec_headers.get_header("WARC-Payload-Digest") or "",
                     "filename": filename}
            if record.http_headers and record.rec_type == "response":
                entry["mime"] = (record.http_headers.get_header("Content-Type") or "").split(";")[0].strip()
                entry["status"] = record.http_headers.get_statuscode()
            else:
                entry["mime"] = record.rec_headers.get_header("Content-Type") or ""
            record.content_stream().read()  # consume so that the iterator knows the record's length
            entry["offset"] = it.get_record_offset()
            entry["length"] = it.get_record_length()
            lines.append(f"{surt(uri)} {ts} {json.dumps(entry, sort_keys=True)}")
    return sorted(lines)


@dataclass
class Page:
    url: str
    ts: datetime
    title: str


def _sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def write_wacz(wacz_path: Path, warc_path: Path, pages: list[Page], *, software: str,
               title: str, created: datetime) -> None:
    """Pack one WARC into a WACZ 1.1.1 file: archive/, indexes/, pages/, datapackage(-digest).json."""
    warc_name = "data.warc.gz"
    cdx = ("\n".join(cdxj_lines(warc_path, warc_name)) + "\n").encode()
    page_lines = [json.dumps({"format": "json-pages-1.0", "id": "pages", "title": "All Pages"})]
    for p in pages:
        page_lines.append(json.dumps({"id": uuid.uuid5(uuid.NAMESPACE_URL, p.url + p.ts.isoformat()).hex,
                                      "url": p.url, "ts": warc_date(p.ts), "title": p.title}, ensure_ascii=False))
    pages_bytes = ("\n".join(page_lines) + "\n").encode()
    warc_sha = hashlib.sha256()
    with open(warc_path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            warc_sha.update(chunk)
    resources = [
        {"name": warc_name, "path": f"archive/{warc_name}", "hash": "sha256:" + warc_sha.hexdigest(),
         "bytes": warc_path.stat().st_size},
        {"name": "index.cdx", "path": "indexes/index.cdx", "hash": _sha256(cdx), "bytes": len(cdx)},
        {"name": "pages.jsonl", "path": "pages/pages.jsonl", "hash": _sha256(pages_bytes), "bytes": len(pages_bytes)},
    ]
    stamp = warc_date(created)
    package = {
        "profile": "data-package", "wacz_version": WACZ_VERSION, "title": title, "software": software,
        "created": stamp, "modified": stamp, "resources": resources,
    }
    if pages:
        package.update(mainPageURL=pages[0].url, mainPageDate=warc_date(pages[0].ts))
    package_bytes = json.dumps(package, indent=2, ensure_ascii=False).encode()
    digest = json.dumps({"path": "datapackage.json", "hash": _sha256(package_bytes)}, indent=2).encode()
    date_time = created.timetuple()[:6]
    with zipfile.ZipFile(wacz_path, "w") as zf:
        # The WARC is stored, not deflated, so that replay tools can seek into it by offset.
        _zip_add(zf, "archive/" + warc_name, None, date_time, zipfile.ZIP_STORED, source=warc_path)
        _zip_add(zf, "indexes/index.cdx", cdx, date_time, zipfile.ZIP_DEFLATED)
        _zip_add(zf, "pages/pages.jsonl", pages_bytes, date_time, zipfile.ZIP_DEFLATED)
        _zip_add(zf, "datapackage.json", package_bytes, date_time, zipfile.ZIP_DEFLATED)
        _zip_add(zf, "datapackage-digest.json", digest, date_time, zipfile.ZIP_DEFLATED)


def _zip_add(zf: zipfile.ZipFile, name: str, data: bytes | None, date_time, compress: int,
             source: Path | None = None) -> None:
    info = zipfile.ZipInfo(name, date_time=date_time)
    info.compress_type = compress
    info.external_attr = 0o644 << 16
    if source is not None:
        with open(source, "rb") as src, zf.open(info, "w", force_zip64=True) as dst:
            while chunk := src.read(1 << 20):
                dst.write(chunk)
    else:
        zf.writestr(info, data or b"")


def validate_wacz(path: Path) -> list[str]:
    """Problems with a WACZ file per the 1.1.1 spec; empty when it is valid."""
    problems: list[str] = []
    try:
        zf = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        return [f"not a zip file: {exc}"]
    with zf:
        names = set(zf.namelist())
        for required in ("datapackage.json", "datapackage-digest.json", "pages/pages.jsonl"):
            if required not in names:
                problems.append(f"missing {required}")
        if not any(n.startswith("archive/") and n.endswith((".warc", ".warc.gz")) for n in names):
            problems.append("no WARC under archive/")
        if not any(n.startswith("indexes/") and n.endswith((".cdx", ".cdxj", ".idx")) for n in names):
            problems.append("no index under indexes/")
        if problems:
            return problems
        package_bytes = zf.read("datapackage.json")
        try:
            package = json.loads(package_bytes)
            digest = json.loads(zf.read("datapackage-digest.json"))
        except ValueError as exc:
            return [f"datapackage JSON unreadable: {exc}"]
        if package.get("profile") != "data-package":
            problems.append("datapackage.json: profile is not data-package")
        if package.get("wacz_version") != WACZ_VERSION:
            problems.append(f"datapackage.json: wacz_version is not {WACZ_VERSION}")
        if digest.get("path") != "datapackage.json" or digest.get("hash") != _sha256(package_bytes):
            problems.append("datapackage-digest.json does not match datapackage.json")
        listed = set()
        for res in package.get("resources", []):
            rpath = res.get("path", "")
            listed.add(rpath)
            if rpath not in names:
                problems.append(f"resource {rpath} listed but not in the zip")
                continue
            h, size = hashlib.sha256(), 0
            with zf.open(rpath) as fh:
                while chunk := fh.read(1 << 20):
                    h.update(chunk)
                    size += len(chunk)
            if res.get("hash") != "sha256:" + h.hexdigest() or res.get("bytes") != size:
                problems.append(f"resource {rpath}: hash or size differs from datapackage.json")
        unlisted = names - listed - {"datapackage.json", "datapackage-digest.json"}
        if unlisted:
            problems.append(f"files not listed in datapackage.json: {', '.join(sorted(unlisted))}")
        lines = zf.read("pages/pages.jsonl").decode("utf-8").splitlines()
        try:
            header = json.loads(lines[0]) if lines else {}
            for line in lines[1:]:
                page = json.loads(line)
                if not page.get("url") or not page.get("ts"):
                    problems.append("pages.jsonl: a page without url or ts")
        except ValueError:
            problems.append("pages.jsonl: a line is not JSON")
            header = {}
        if header.get("format") != "json-pages-1.0":
            problems.append("pages.jsonl: first line is not the json-pages-1.0 header")
        problems.extend(_check_index(zf, names))
    return problems


def _check_index(zf: zipfile.ZipFile, names: set[str]) -> list[str]:
    """Each CDXJ line points at a record in the WARC whose URI it names."""
    problems = []
    index_name = next(n for n in sorted(names) if n.startswith("indexes/"))
    lines = zf.read(index_name).decode("utf-8").splitlines()
    if lines != sorted(lines):
        problems.append(f"{index_name}: lines are not sorted")
    warcs: dict[str, bytes] = {}
    for line in lines:
        try:
            _, _, data = line.split(" ", 2)
            entry = json.loads(data)
            name = "archive/" + entry["filename"]
            if name not in warcs:
                warcs[name] = zf.read(name)
            warc = warcs[name]
            chunk = warc[entry["offset"]: entry["offset"] + entry["length"]]
            record = next(iter(ArchiveIterator(io.BytesIO(chunk))))
            if record.rec_headers.get_header("WARC-Target-URI") != entry["url"]:
                problems.append(f"{index_name}: {entry['url']} points at another record")
        except Exception as exc:  # any failure to read an entry is a finding
            problems.append(f"{index_name}: unreadable entry ({exc.__class__.__name__}): {line[:100]}")
    return problems
