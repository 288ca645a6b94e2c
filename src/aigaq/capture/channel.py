"""`aigaq import-channel`: bring home a channel that a group already downloaded with yt-dlp.

Each video (a media file next to its `<stem>.info.json`) becomes an original in the vault, with
its info.json, thumbnail, subtitles and description, linked to a draft testimony (title,
description, upload date, original URL) for volunteers to complete, and its URL joins the
takedown watch. Idempotent: a video already imported (same extractor and id) is skipped.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from aigaq.capture.models import CapturedSource, ChannelImport
from aigaq.ledger import log as ledger
from aigaq.ledger.models import EventKind
from aigaq.vault.ingest import FileIn, IngestError, ingest_many, link

MEDIA_EXTS = (".mp4", ".webm", ".mkv", ".mov", ".m4v", ".flv", ".3gp", ".avi", ".m4a", ".mp3", ".opus",
              ".ogg", ".wav", ".aac", ".flac")
THUMB_EXTS = (".jpg", ".jpeg", ".png", ".webp")
SUB_EXTS = (".vtt", ".srt", ".ass", ".ttml", ".srv3", ".json3", ".lrc")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
LEDGER_KIND = EventKind.IMPORTED


@dataclass
class Entry:
    info_path: Path
    title: str = ""
    status: str = ""  # "imported" or "skipped"
    reason: str = ""
    video_id: str = ""
    testimony: int | None = None
    sha256: str = ""

    def as_dict(self) -> dict:
        return {"info_json": str(self.info_path), "title": self.title, "status": self.status,
                "reason": self.reason, "id": self.video_id, "testimony": self.testimony, "sha256": self.sha256}


@dataclass
class Report:
    entries: list[Entry] = field(default_factory=list)

    @property
    def imported(self) -> list[Entry]:
        return [e for e in self.entries if e.status == "imported"]

    @property
    def skipped(self) -> list[Entry]:
        return [e for e in self.entries if e.status == "skipped"]


def _clean(text: str, limit: int | None = None) -> str:
    text = _CONTROL.sub("", str(text or ""))
    return text[:limit] if limit else text


def find_info_files(root: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            if name.endswith(".info.json"):
                yield Path(dirpath) / name


def companions(info_path: Path, ext: str) -> tuple[Path | None, list[tuple[str, Path]]]:
    """The media file (the info's `ext` first) and the thumbnail/subtitle/description beside it."""
    stem = info_path.name[: -len(".info.json")]
    folder = info_path.parent
    media = None
    for candidate in ([f".{ext}"] if ext else []) + list(MEDIA_EXTS):
        path = folder / f"{stem}{candidate}"
        if path.is_file() and not path.is_symlink():
            media = path
            break
    extra = []
    for path in sorted(folder.glob(f"{glob_escape(stem)}.*")):
        if path in (media, info_path) or not path.is_file():
            continue
        tail = path.name[len(stem):].lower()
        if tail.endswith(THUMB_EXTS) and tail.count(".") == 1:
            extra.append(("thumbnail", path))
        elif tail.endswith(SUB_EXTS):
            extra.append(("subtitles", path))
        elif tail == ".description":
            extra.append(("description", path))
    return media, extra


def glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


def _upload_date(value) -> dt.date | None:
    try:
        return dt.datetime.strptime(str(value), "%Y%m%d").date()
    except (TypeError, ValueError):
        return None


def import_channel(root: Path, *, user=None, on_progress: Callable[[int, int, str], None] | None = None) -> Report:
    from aigaq.registry.choices import SourceKind
    from aigaq.registry.models import Source, Testimony

    report = Report()
    infos = list(find_info_files(root))
    for n, info_path in enumerate(infos, 1):
        entry = Entry(info_path=info_path)
        report.entries.append(entry)
        try:
            _import_one(info_path, entry, user, Source, Testimony, SourceKind)
        except IngestError as exc:
            entry.status, entry.reason = "skipped", f"could not be stored in the vault: {exc}"
        if on_progress:
            on_progress(n, len(infos), entry.title or info_path.name)
    return report


def _import_one(info_path: Path, entry: Entry, user, Source, Testimony, SourceKind) -> None:
    try:
        info = json.loads(info_path.read_text(encoding="utf-8"))
        if not isinstance(info, dict):
            raise ValueError("not a JSON object")
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        entry.status, entry.reason = "skipped", f"unreadable JSON ({exc.__class__.__name__}: {str(exc)[:120]})"
        return
    entry.title = _clean(info.get("title") or info.get("fulltitle") or "", 300)
    if info.get("_type") in ("playlist", "multi_video"):
        entry.status, entry.reason = "skipped", "metadata of a playlist or channel, not of a video"
        return
    video_id = _clean(info.get("id") or info_path.name[: -len(".info.json")], 200)
    extractor = _clean(info.get("extractor_key") or info.get("extractor") or "", 100)
    entry.video_id = video_id
    done = ChannelImport.objects.filter(extractor=extractor, video_id=video_id).first()
    if done is not None:
        entry.status, entry.reason, entry.testimony = "skipped", "already imported", done.testimony_id
        entry.sha256 = done.item.sha256
        return
    media, extra = companions(info_path, str(info.get("ext") or ""))
    if media is None:
        entry.status, entry.reason = "skipped", f"missing media: no video or audio file named {info_path.name[:-10]}.*"
        return
    url = _clean(info.get("webpage_url") or info.get("original_url") or "", 2000)
    if urlsplit(url).scheme not in ("http", "https"):
        url = ""
    source_text = f"channel import: {url or info_path.name}"
    # The vault stores each file durably first; then the items, their ledger entries and the
    # records below are written in one transaction (ingest_many's `then`).
    made = {}

    def records(results) -> None:
        source = Source.objects.create(kind=SourceKind.WEB, title=entry.title or video_id, url=url,
                                       citation=_clean(info.get("channel") or info.get("uploader") or ""))
        testimony = Testimony.objects.create(
            title=entry.title, summary=_clean(info.get("description") or ""),
            recorded_on=_upload_date(info.get("upload_date")), state=Testimony.State.DRAFT,
            source=source, created_by=user,
        )
        items = [r.item for r in results]
        for item in items:
            link(item, testimony=testimony, user=user)
        ChannelImport.objects.create(video_id=video_id, extractor=extractor, item=items[0], testimony=testimony)
        if url:
            watched, _ = CapturedSource.objects.get_or_create(
                url=url, defaults={"host": urlsplit(url).hostname or "", "title": entry.title[:500]})
            watched.items.add(*items)
        ledger.append(LEDGER_KIND, items[0].sha256, {
            "what": "channel import", "id": video_id, "extractor": extractor, "url": url,
            "uploader": _clean(info.get("uploader") or ""), "channel": _clean(info.get("channel") or ""),
            "upload_date": str(info.get("upload_date") or ""), "testimony": str(testimony.uid),
            "items": [{"sha256": i.sha256, "filename": i.filename} for i in items],
            "by": user.get_username() if user else "",
        })
        made["testimony"] = testimony

    provenance = {"channel import": url or info_path.name, "id": video_id, "extractor": extractor}
    results = ingest_many([FileIn(media, provenance=provenance), FileIn(info_path, provenance=provenance),
                           *(FileIn(path, provenance=provenance) for _, path in extra)],
                          source=source_text, user=user, derivatives=False, then=records)
    testimony, result = made["testimony"], results[0]
    entry.status, entry.testimony, entry.sha256 = "imported", testimony.pk, result.item.sha256
