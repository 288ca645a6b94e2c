"""Capture one URL into the vault: WARC/WACZ of the page, the media itself, a screenshot, and
(for video pages, with yt-dlp) the video with its metadata. One entry in the custody ledger per
capture holds the provenance; every file is an original in the vault.
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.utils import timezone

from aigaq.capture import archive, requisites, video
from aigaq.capture.fetch import FetchError, Hop, Limits, fetch
from aigaq.capture.models import Availability, Capture, CapturedSource, SourceCheck
from aigaq.ledger import log as ledger
from aigaq.ledger.models import EventKind
from aigaq.vault.ingest import FileIn, ingest_many
from aigaq.vault.storage import get_storage

LEDGER_KIND = EventKind.CAPTURED
ESSENTIAL_ROLES = ("wacz", "video", "media")
Progress = Callable[[int, int, str], None]
MEDIA_PREFIXES = ("video/", "audio/")
MEDIA_TYPES = {"application/octet-stream", "application/mp4", "application/x-mpegurl"}


class CaptureError(Exception):
    """A URL that was not captured, with a reason a person can act on."""


@dataclass
class CaptureOutcome:
    source: CapturedSource
    capture: Capture
    items: list[dict] = field(default_factory=list)  # {"role", "sha256", "size", "item", "created", "url"}
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"url": self.source.url, "final_url": self.source.final_url, "title": self.source.title,
                "capture": self.capture.pk, "method": self.capture.method, "items": self.items,
                "warnings": self.warnings}


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return ""


def _tools() -> dict:
    return {"aigaq": _version("aigaq"), "python": platform.python_version(), "warcio": _version("warcio"),
            "fetcher": "python http.client"}


def _safe_name(url: str, fallback: str) -> str:
    name = unquote(urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1])
    name = "".join(c if c.isalnum() or c in "._-" else "_" for c in name)[:120].strip("._")
    return name or fallback


def _work_root() -> Path:
    # The vault's own temp folder: the finished files are linked into the vault, not copied
    # (ingest_tempfile/take_over), and the work folder of a capture that died is removed by the
    # vault's clean_stale_temps() (its name starts with the pid). Never in /tmp.
    storage = get_storage()
    storage.ensure()
    return storage.tmp


class _Stage:
    """Progress over the stages of a capture, handed to the job or the terminal."""

    def __init__(self, progress: Progress | None) -> None:
        self.progress = progress

    def __call__(self, label: str, done: int = 0, total: int = 0) -> None:
        if self.progress:
            self.progress(done, total, label)


def capture_url(url: str, *, testimony=None, person=None, user=None, mode: str = "auto",
                progress: Progress | None = None) -> CaptureOutcome:
    """Capture `url`. mode: "auto" (video platforms through yt-dlp, other pages as WARC/WACZ),
    "video" (force yt-dlp, e.g. its generic extractor), "page" (the page only, no yt-dlp)."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise CaptureError(f"{url!r}: not an http(s) address")
    use_video = mode == "video" or (mode == "auto" and video.is_video_platform(url))
    if use_video and video.yt_dlp() is None:
        raise CaptureError(video.missing_message(url))
    stage = _Stage(progress)
    limits = Limits.from_settings()
    when = datetime.now(UTC)
    with tempfile.TemporaryDirectory(prefix=f"{os.getpid()}-capture-", dir=_work_root()) as tmp:
        work = Path(tmp)
        files: list[tuple[str, Path, str]] = []  # (role, path, url)
        warnings: list[str] = []
        provenance: dict = {"url": url, "captured_at": when.isoformat(timespec="microseconds"),
                            "clock": "system clock of the capturing machine (UTC)", "tools": _tools(),
                            "host": platform.node()}
        if use_video:
            stage("video")
            try:
                result = video.download(url, work / "video", max_bytes=limits.max_bytes,
                                        timeout=limits.read_timeout,
                                        on_progress=lambda d, t: stage("video", d, t))
            except video.VideoError as exc:
                raise CaptureError(str(exc)) from None
            files.append(("video", result.media, url))
            files.append(("info.json", result.info_json, url))
            files.extend((role, path, url) for role, path in result.extra)
            provenance["tools"].update(result.tool)
            provenance["video"] = {k: result.info.get(k) for k in (
                "id", "title", "uploader", "uploader_id", "channel", "channel_id", "upload_date",
                "webpage_url", "duration", "extractor", "format_id", "ext")}
        page = _capture_page(url, work, limits, stage, when, skip_media=use_video, warnings=warnings,
                             provenance=provenance)
        files.extend(page)
        stage("vault", 0, len(files))
        return _record(url, files, provenance, warnings, testimony, person, user, stage,
                       method="video" if use_video else ("web" if provenance.get("page_html") else "media"))


def _capture_page(url: str, work: Path, limits: Limits, stage: _Stage, when: datetime, *,
                  skip_media: bool, warnings: list[str], provenance: dict) -> list[tuple[str, Path, str]]:
    bodies = work / "bodies"
    bodies.mkdir()
    stage("page")
    try:
        main = fetch(url, bodies, limits=limits, on_progress=lambda d, t: stage("page", d, t))
    except FetchError as exc:
        raise CaptureError(str(exc)) from None
    final = main.final
    provenance.update(final_url=final.url, status=final.status, server_ip=final.server_ip,
                      chain=[h.as_provenance() for h in main.hops])
    if final.status >= 400:
        raise CaptureError(f"{url}: the server answered {final.status} {final.reason}; nothing to preserve")
    hops: list[Hop] = list(main.hops)
    files: list[tuple[str, Path, str]] = []
    title = ""
    is_html = final.content_type in ("text/html", "application/xhtml+xml")
    provenance["page_html"] = is_html
    if is_html:
        html = requisites.decode(final.body_path.read_bytes(), final.header("content-type"))
        title, refs = requisites.parse_html(html, final.url)
        provenance["title"] = title
        hops.extend(_fetch_requisites(refs, bodies, limits, stage, skip_media, warnings, files))
    elif _is_media(final, final.url):
        files.append(("media", _named_copy(final, work, "media"), final.url))
    else:
        files.append(("document", _named_copy(final, work, "document"), final.url))
    stage("warc")
    software = f"Aigaq {provenance['tools']['aigaq']} (warcio {provenance['tools']['warcio']})"
    warc_path = work / "data.warc.gz"
    warc = archive.WarcFile(warc_path, software, when)
    for hop in hops:
        warc.add_hop(hop)
    shot = _screenshot(final.url, work, warnings, provenance)
    if shot:
        warc.add_resource(f"urn:screenshot:{final.url}", shot, "image/png", datetime.now(UTC))
        files.append(("screenshot", shot, final.url))
    warc.close()
    host = (urlsplit(url).hostname or "page").replace(":", "_")
    wacz = work / f"{host}-{when:%Y%m%dT%H%M%SZ}.wacz"
    archive.write_wacz(wacz, warc_path, [archive.Page(final.url, final.time, title)], software=software,
                       title=title or final.url, created=when)
    files.insert(0, ("wacz", wacz, final.url))
    provenance["requisites"] = {"fetched": len(hops) - len(main.hops), "failed": len(warnings)}
    return files


def _is_media(hop: Hop, url: str) -> bool:
    ctype = hop.content_type
    if ctype.startswith(MEDIA_PREFIXES):
        return True
    return ctype in MEDIA_TYPES and urlsplit(url).path.lower().endswith(
        (".mp4", ".webm", ".mkv", ".mov", ".m4a", ".mp3", ".ogg", ".ogv", ".oga", ".wav", ".flac", ".avi"))


def _named_copy(hop: Hop, work: Path, fallback: str) -> Path:
    """The body under a readable name (the vault keeps the file name), hard-linked, not copied."""
    folder = Path(tempfile.mkdtemp(dir=work, prefix="f-"))
    target = folder / _safe_name(hop.url, fallback)
    os.link(hop.body_path, target)
    return target


def _fetch_requisites(refs: list[tuple[str, str]], bodies: Path, limits: Limits, stage: _Stage,
                      skip_media: bool, warnings: list[str], files: list) -> list[Hop]:
    cap = settings.AIGAQ_CAPTURE_MAX_REQUISITES
    hops: list[Hop] = []
    queue = list(refs)
    seen = {u for u, _ in refs}
    done = 0
    while queue and done < cap:
        ref, tag = queue.pop(0)
        if skip_media and tag in requisites.MEDIA_TAGS:
            continue
        done += 1
        stage("requisites", done, min(cap, done + len(queue)))
        try:
            got = fetch(ref, bodies, limits=limits)
        except FetchError as exc:
            warnings.append(f"requisite not captured: {exc}")
            continue
        hops.extend(got.hops)
        final = got.final
        if final.status >= 400:
            warnings.append(f"requisite not captured: {ref}: {final.status} {final.reason}")
            continue
        if final.content_type == "text/css" and final.body_path:
            css = requisites.decode(final.body_path.read_bytes(), final.header("content-type"))
            for u in requisites.parse_css(css, final.url):
                if u not in seen:
                    seen.add(u)
                    queue.append((u, "css"))
        if (tag in requisites.MEDIA_TAGS or tag == "embed") and _is_media(final, final.url):
            # An embedded video is evidence in its own right: also kept as a separate original.
            files.append(("media", _named_copy(final, bodies.parent, "media"), final.url))
    if queue:
        warnings.append(f"{len(queue)} more requisites not fetched (AIGAQ_CAPTURE_MAX_REQUISITES={cap})")
    return hops


def _screenshot(url: str, work: Path, warnings: list[str], provenance: dict) -> Path | None:
    browser = settings.AIGAQ_CAPTURE_BROWSER
    if not browser or not (shutil.which(browser) or os.access(browser, os.X_OK)):
        return None
    out = work / "screenshot.png"
    profile = tempfile.mkdtemp(dir=work, prefix="browser-")
    cmd = [browser, "--headless", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
           "--window-size=1280,2000", f"--user-data-dir={profile}", f"--screenshot={out}", url]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.insert(1, "--no-sandbox")  # Chromium refuses to run as root with its sandbox
    try:
        subprocess.run(cmd, capture_output=True, timeout=90, check=False, cwd=work)
        ver = subprocess.run([browser, "--version"], capture_output=True, text=True, timeout=20).stdout.strip()
    except (OSError, subprocess.TimeoutExpired) as exc:
        warnings.append(f"no screenshot: {browser} failed ({exc.__class__.__name__})")
        return None
    if not out.is_file() or out.stat().st_size == 0:
        warnings.append(f"no screenshot: {browser} produced none")
        return None
    provenance["tools"]["browser"] = ver or browser
    provenance["screenshot"] = "taken live by the headless browser, shortly after the HTTP capture"
    return out


def _record(url: str, files: list[tuple[str, Path, str]], provenance: dict, warnings: list[str],
            testimony, person, user, stage: _Stage, method: str) -> CaptureOutcome:
    """Store every file (the vault's one writer; each finished temp file is linked into the vault,
    not copied), then record the items, the capture rows and one ledger entry in one transaction."""
    items, rows = [], []
    source_text = f"web capture of {url}"
    item_provenance = {k: provenance.get(k) for k in ("url", "final_url", "captured_at", "status", "server_ip", "tools")
                       if provenance.get(k) is not None}
    specs = [FileIn(path, take_over=True, provenance={**item_provenance, "role": role, "file_url": file_url})
             for role, path, file_url in files]
    errors: list = []
    out: dict = {}

    def records(results) -> None:
        failed = {n for n, _ in errors}
        for n, exc in errors:
            role = files[n][0]
            if role in ESSENTIAL_ROLES:  # rolls back the whole transaction: nothing recorded
                raise CaptureError(f"{url}: the {role} could not be stored in the vault: {exc}")
            warnings.append(f"{role} not stored: {exc}")
        kept = [f for n, f in enumerate(files) if n not in failed]
        for (role, _path, file_url), result in zip(kept, results, strict=True):
            rows.append(result.item)
            items.append({"role": role, "sha256": result.item.sha256, "size": result.item.size,
                          "item": result.item.pk, "created": result.created, "url": file_url,
                          "filename": result.item.filename})
        stage("vault", len(files), len(files))
        provenance["items"] = [{k: i[k] for k in ("role", "sha256", "size", "url")} for i in items]
        if warnings:
            provenance["warnings"] = warnings
        out["source"], out["capture"] = _capture_rows(url, provenance, rows, items, user, method)

    ingest_many(specs, source=source_text, user=user, testimony=testimony, person=person, errors=errors,
                then=records)
    return CaptureOutcome(source=out["source"], capture=out["capture"], items=items, warnings=warnings)


def _capture_rows(url: str, provenance: dict, rows: list, items: list[dict], user, method: str):
    now = timezone.now()
    source, created = CapturedSource.objects.get_or_create(
        url=url[:2000], defaults={"host": (urlsplit(url).hostname or "")[:255], "first_captured_at": now})
    source.final_url = provenance.get("final_url", url)[:2000]
    source.title = (provenance.get("title") or (provenance.get("video") or {}).get("title") or source.title or "")[:500]
    source.last_status, source.last_status_detail = Availability.AVAILABLE, "captured"
    source.last_checked_at, source.gone_since = now, None
    source.save()
    source.items.add(*rows)
    capture = Capture.objects.create(source=source, captured_at=now, method=method,
                                     provenance=provenance, created_by=user)
    capture.items.add(*rows)
    SourceCheck.objects.create(source=source, checked_at=now, status=Availability.AVAILABLE,
                               http_status=provenance.get("status"), detail="captured",
                               final_url=source.final_url)
    subject = items[0]["sha256"] if items else ""
    ledger.append(LEDGER_KIND, subject, {
        "url": url, "final_url": provenance.get("final_url", ""), "captured_at": provenance["captured_at"],
        "status": provenance.get("status"), "server_ip": provenance.get("server_ip", ""),
        "chain": [{"url": h["url"], "status": h["status"], "server_ip": h["server_ip"], "time": h["time"],
                   "headers": h["headers"]} for h in provenance.get("chain", [])],
        "tools": provenance["tools"], "items": provenance["items"],
        "by": user.get_username() if user else "",
    })
    return source, capture
