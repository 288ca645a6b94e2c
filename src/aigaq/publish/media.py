"""Published media: the portal serves, and the static mirror copies, only files that
`policy.public_media` allows, under names made from their SHA-256 and a harmless extension."""

from __future__ import annotations

import re

from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_safe

from aigaq.publish.policy import PublicMedia, public_media_file

_NAME = re.compile(r"^(?P<sha>[0-9a-f]{64})\.(?P<ext>[a-z0-9]{2,5})$")
INLINE_KINDS = ("image", "video", "audio")


@require_safe
def media_file(request: HttpRequest, name: str) -> FileResponse:
    from aigaq.vault.storage import get_storage

    m = _NAME.match(name)
    media = public_media_file(m["sha"]) if m else None
    if media is None or name not in (media.filename, f"{media.sha256}.jpg"):
        raise Http404
    try:
        fh = get_storage().open(media.sha256)
    except FileNotFoundError:
        raise Http404 from None
    inline = media.kind in INLINE_KINDS
    response = FileResponse(fh, as_attachment=not inline, filename=name,
                            content_type=media.media_type if inline else "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    response["Cache-Control"] = "public, max-age=86400"  # content-addressed: it never changes
    return response


def files_of(media: list[PublicMedia]) -> list[tuple[str, str]]:
    """(file name in the mirror's media/ folder, SHA-256 of the vault item to copy) for a page's media."""
    out = [(m.filename, m.sha256) for m in media]
    out += [(m.thumbnail_filename, m.thumbnail) for m in media if m.thumbnail]
    return out
