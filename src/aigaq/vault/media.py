"""Technical metadata and derivatives, with optional tools found at run time.

Pillow (the `media` extra) gives image dimensions, EXIF and thumbnails; ffprobe/ffmpeg (a system
package) give durations and poster frames. Without them an item still gets its size, hashes and
type; nothing here ever touches an original, only reads it.
"""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)

# EXIF tags worth keeping as provenance (when and on what the picture was taken).
_EXIF_TAGS = {
    0x010F: "make", 0x0110: "model", 0x0131: "software", 0x0132: "datetime",
    0x9003: "datetime_original", 0x9004: "datetime_digitized", 0x0112: "orientation",
}
THUMBNAIL_PX = 320


def _pillow():
    try:
        from PIL import Image
    except ImportError:
        return None
    return Image


def image_metadata(path: Path) -> dict:
    Image = _pillow()
    if Image is None:
        return {}
    try:
        with Image.open(path) as im:
            meta: dict = {"width": im.width, "height": im.height, "format": im.format}
            exif = im.getexif()
            tags = {name: exif.get(tag) for tag, name in _EXIF_TAGS.items() if exif.get(tag) is not None}
            sub = exif.get_ifd(0x8769)  # Exif sub-IFD holds DateTimeOriginal
            tags.update({name: sub.get(tag) for tag, name in _EXIF_TAGS.items() if sub.get(tag) is not None})
            if exif.get_ifd(0x8825):  # GPS IFD: where it was taken (the publication policy reads this)
                meta["gps"] = True
            if tags:
                meta["exif"] = {k: _plain(v) for k, v in tags.items()}
                created = tags.get("datetime_original") or tags.get("datetime")
                if created:
                    meta["created"] = str(created)
            return meta
    except Exception as exc:  # a damaged or unsupported image is still evidence
        log.info("no image metadata for %s: %s", path, exc)
        return {"metadata_error": str(exc)[:200]}


def _plain(value: object) -> object:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace").strip("\x00")
    if isinstance(value, (int, float, str)):
        return value
    return str(value)


def av_metadata(path: Path) -> dict:
    ffprobe = shutil.which("ffprobe")
    if not ffprobe:
        return {}
    try:
        out = subprocess.run(
            [ffprobe, "-v", "error", "-print_format", "json", "-show_format", "-show_streams", str(path)],
            capture_output=True, timeout=120, check=True,
        ).stdout
        info = json.loads(out)
    except (subprocess.SubprocessError, ValueError, OSError) as exc:
        return {"metadata_error": str(exc)[:200]}
    fmt = info.get("format", {})
    meta: dict = {}
    if fmt.get("duration"):
        meta["duration"] = float(fmt["duration"])
    created = fmt.get("tags", {}).get("creation_time")
    if created:
        meta["created"] = created
    for stream in info.get("streams", []):
        if stream.get("codec_type") == "video" and "width" not in meta:
            meta.update(width=stream.get("width"), height=stream.get("height"), video_codec=stream.get("codec_name"))
        if stream.get("codec_type") == "audio" and "audio_codec" not in meta:
            meta["audio_codec"] = stream.get("codec_name")
    return meta


def technical_metadata(path: Path, media_type: str) -> dict:
    if media_type.startswith("image/"):
        return image_metadata(path)
    if media_type.startswith(("video/", "audio/")):
        return av_metadata(path)
    return {}


def make_thumbnail(path: Path, out_dir: Path) -> Path | None:
    Image = _pillow()
    if Image is None:
        return None
    try:
        from PIL import ImageOps

        with Image.open(path) as im:
            im = ImageOps.exif_transpose(im)
            im.thumbnail((THUMBNAIL_PX, THUMBNAIL_PX))
            out = out_dir / "thumbnail.jpg"
            im.convert("RGB").save(out, "JPEG", quality=82)
            return out
    except Exception as exc:
        log.info("no thumbnail for %s: %s", path, exc)
        return None


def make_poster(path: Path, out_dir: Path) -> Path | None:
    ffmpeg = shutil.which("ffmpeg")
    if not ffmpeg:
        return None
    out = out_dir / "poster.jpg"
    try:
        subprocess.run(
            [ffmpeg, "-v", "error", "-y", "-ss", "1", "-i", str(path), "-frames:v", "1",
             "-vf", f"scale={THUMBNAIL_PX * 2}:-2", str(out)],
            capture_output=True, timeout=300, check=True,
        )
    except (subprocess.SubprocessError, OSError) as exc:
        log.info("no poster frame for %s: %s", path, exc)
        return None
    return out if out.exists() and out.stat().st_size else None


def derivatives_for(path: Path, media_type: str) -> list[tuple[str, Path, tempfile.TemporaryDirectory]]:
    """Derivative files to ingest for an original: [(kind, file, tempdir to clean up)]."""
    made = []
    if media_type.startswith("image/"):
        tmp = tempfile.TemporaryDirectory(prefix="aigaq-deriv-")
        thumb = make_thumbnail(path, Path(tmp.name))
        if thumb:
            made.append(("thumbnail", thumb, tmp))
        else:
            tmp.cleanup()
    elif media_type.startswith("video/"):
        tmp = tempfile.TemporaryDirectory(prefix="aigaq-deriv-")
        poster = make_poster(path, Path(tmp.name))
        if poster:
            made.append(("poster", poster, tmp))
        else:
            tmp.cleanup()
    return made
