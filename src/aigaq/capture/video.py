"""Video pages through yt-dlp, an optional extra (`pip install 'aigaq[video]'`) found at run time.

Options are fixed so that the same source gives the same bytes: a fixed file name template, no
modification times taken from the server, no .part renames, no container fix-ups and no
re-encoding; when separate video and audio streams must be merged (ffmpeg present), ffmpeg
runs with bit-exact flags and without writing its own metadata.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings

EXTRA_HINT = "pip install 'aigaq[video]'"

# Pages whose point is a video that plain HTTP cannot fetch (the player assembles it).
VIDEO_HOSTS = (
    "youtube.com", "youtu.be", "youtube-nocookie.com", "facebook.com", "fb.watch", "vk.com", "vk.ru",
    "vkvideo.ru", "tiktok.com", "instagram.com", "twitter.com", "x.com", "ok.ru", "rutube.ru",
    "dailymotion.com", "vimeo.com", "t.me", "bilibili.com", "douyin.com", "ixigua.com",
)
# Top-level info.json fields that change from one request to the next, not with the source.
VOLATILE = {"epoch", "_version", "requested_downloads", "_filename", "filename", "filepath",
            "__files_to_move", "http_headers", "__postprocessors", "_type_hint", "__real_download",
            "_last_playlist_index", "__last_playlist_index"}
VOLATILE_IN_FORMATS = {"url", "manifest_url", "fragment_base_url", "fragments", "http_headers", "cookies"}


class VideoError(Exception):
    pass


def is_video_platform(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return any(host == h or host.endswith("." + h) for h in VIDEO_HOSTS)


def yt_dlp():
    """The yt_dlp module, or None when it is not installed (or AIGAQ_CAPTURE_VIDEO is off)."""
    if not settings.AIGAQ_CAPTURE_VIDEO:
        return None
    try:
        import yt_dlp as module
    except ImportError:
        return None
    return module


def version() -> str | None:
    module = yt_dlp()
    return module.version.__version__ if module else None


def missing_message(url: str) -> str:
    return (f"{url} is a video page: capturing its video needs yt-dlp, the optional video extra. "
            f"Install it with: {EXTRA_HINT} (or pass --page-only to keep only the web page)")


@dataclass
class VideoResult:
    media: Path
    info_json: Path
    extra: list[tuple[str, Path]] = field(default_factory=list)  # (role, path): subtitles, thumbnail…
    info: dict = field(default_factory=dict)
    tool: dict = field(default_factory=dict)


def canonical_info(info: dict) -> dict:
    """yt-dlp's metadata without what changes per request, for byte-identical info.json files."""
    clean = {k: v for k, v in info.items() if k not in VOLATILE}
    for key in ("formats", "requested_formats", "thumbnails"):
        if isinstance(clean.get(key), list):
            clean[key] = [{k: v for k, v in f.items() if k not in VOLATILE_IN_FORMATS}
                          if isinstance(f, dict) else f for f in clean[key]]
    for key in ("subtitles", "automatic_captions"):
        if isinstance(clean.get(key), dict):
            clean[key] = {lang: [{k: v for k, v in t.items() if k not in VOLATILE_IN_FORMATS}
                                 for t in tracks if isinstance(t, dict)]
                          for lang, tracks in clean[key].items() if isinstance(tracks, list)}
    return clean


def download(url: str, workdir: Path, *, max_bytes: int, timeout: float,
             on_progress: Callable[[int, int], None] | None = None) -> VideoResult:
    module = yt_dlp()
    if module is None:
        raise VideoError(missing_message(url))
    workdir.mkdir(parents=True, exist_ok=True)
    ffmpeg = shutil.which("ffmpeg")

    def hook(d: dict) -> None:
        if on_progress and d.get("status") == "downloading":
            on_progress(int(d.get("downloaded_bytes") or 0), int(d.get("total_bytes") or d.get("total_bytes_estimate") or 0))

    opts = {
        "outtmpl": {"default": str(workdir / "%(id).80s.%(ext)s")},
        "restrictfilenames": True,
        "noplaylist": True,
        "quiet": True,
        "no_warnings": True,
        "noprogress": True,
        "updatetime": False,
        "nopart": True,
        "overwrites": True,
        "cachedir": False,
        "fixup": "never",
        "format": "bestvideo*+bestaudio/best" if ffmpeg else "best",
        "max_filesize": max_bytes,
        "socket_timeout": timeout,
        "retries": 3,
        "writesubtitles": True,
        "subtitleslangs": ["all"],
        "writethumbnail": True,
        "writedescription": True,
        "progress_hooks": [hook],
        "postprocessor_args": {"merger+ffmpeg_o": ["-fflags", "+bitexact", "-flags:v", "+bitexact",
                                                   "-flags:a", "+bitexact", "-map_metadata", "-1"]},
    }
    try:
        with module.YoutubeDL(opts) as ydl:
            info = ydl.extract_info(url, download=True)
            if info is None:
                raise VideoError(f"{url}: yt-dlp found no video")
            if info.get("_type") == "playlist":
                raise VideoError(f"{url}: this is a playlist or channel; capture its videos one by one, "
                                 "or use `aigaq import-channel` on a yt-dlp download")
            info = ydl.sanitize_info(info)
    except module.utils.DownloadError as exc:
        message = str(exc).removeprefix("ERROR: ").strip()
        raise VideoError(f"{url}: yt-dlp could not fetch the video: {message}") from None
    requested = info.get("requested_downloads") or []
    media = Path(requested[0]["filepath"]) if requested and requested[0].get("filepath") else None
    if media is None or not media.is_file():
        if info.get("filesize") and info["filesize"] > max_bytes:
            raise VideoError(f"{url}: the video is larger than AIGAQ_CAPTURE_MAX_BYTES")
        raise VideoError(f"{url}: yt-dlp reported no downloaded file (too large for "
                         "AIGAQ_CAPTURE_MAX_BYTES, or nothing downloadable)")
    if media.stat().st_size > max_bytes:
        raise VideoError(f"{url}: the video is larger than the limit of {max_bytes:,} bytes (AIGAQ_CAPTURE_MAX_BYTES)")
    info_json = workdir / f"{media.stem}.info.json"
    info_json.write_text(json.dumps(canonical_info(info), sort_keys=True, indent=1, ensure_ascii=False) + "\n",
                         encoding="utf-8")
    extra = []
    for path in sorted(workdir.iterdir()):
        if path in (media, info_json) or not path.is_file():
            continue
        role = ("description" if path.suffix == ".description" else
                "thumbnail" if path.suffix.lower() in (".jpg", ".jpeg", ".png", ".webp") else
                "subtitles" if path.suffix.lower() in (".vtt", ".srt", ".ass", ".ttml", ".srv3", ".json3") else
                "other")
        if path.stat().st_size:
            extra.append((role, path))
    tool = {"yt-dlp": module.version.__version__, "format": info.get("format_id", ""),
            "extractor": info.get("extractor", ""), "merged_with_ffmpeg": bool(ffmpeg and "+" in str(info.get("format_id", "")))}
    return VideoResult(media=media, info_json=info_json, extra=extra, info=info, tool=tool)
