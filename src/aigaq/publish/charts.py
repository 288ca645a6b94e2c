"""Charts and the facility map as inline SVG drawn on the server.

No JavaScript, no CDN, no tile server: the pages work offline, from a mirror on a USB stick, and
under a Content-Security-Policy without 'unsafe-inline' (SVG presentation attributes are not
inline styles).
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BAR_H, GAP, LABEL_W, BAR_W = 18, 6, 230, 300


def bar_chart(rows: list[tuple[str, int]], title: str) -> SafeString:
    """Horizontal bars, one per (label, count), largest first as given."""
    if not rows:
        return mark_safe("")
    top = max(c for _, c in rows) or 1
    height = len(rows) * (BAR_H + GAP) + GAP
    width = LABEL_W + BAR_W + 70
    parts = [f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
             f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>']
    for i, (label, count) in enumerate(rows):
        y = GAP + i * (BAR_H + GAP)
        w = max(1, round(BAR_W * count / top))
        parts.append(
            f'<g><text x="{LABEL_W - 6}" y="{y + BAR_H - 5}" text-anchor="end" font-size="12">{escape(label)}</text>'
            f'<rect x="{LABEL_W}" y="{y}" width="{w}" height="{BAR_H}" fill="#2f6f8f"/>'
            f'<text x="{LABEL_W + w + 4}" y="{y + BAR_H - 5}" font-size="12">{count}</text></g>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


# Xinjiang, roughly: enough to place the facilities, not a survey map (lon, lat).
XINJIANG_OUTLINE = [
    (73.5, 39.5), (74.9, 37.2), (77.0, 35.6), (79.5, 35.6), (80.3, 35.3), (82.0, 35.8), (84.0, 36.3),
    (86.0, 36.0), (89.2, 36.2), (90.8, 36.1), (91.0, 37.6), (90.5, 38.5), (92.5, 39.1), (94.0, 40.0),
    (96.4, 41.5), (96.0, 42.7), (95.3, 44.3), (93.5, 45.0), (91.0, 45.2), (90.9, 46.9), (89.5, 48.0),
    (87.8, 49.2), (86.8, 49.1), (85.5, 47.0), (83.0, 47.2), (82.3, 45.5), (80.2, 45.0), (80.8, 43.2),
    (80.2, 42.0), (78.5, 41.5), (76.8, 40.9), (75.6, 40.6), (73.9, 40.0),
]
LON0, LON1, LAT0, LAT1 = 73.0, 97.0, 34.5, 49.5
MAP_W, MAP_H = 720, 480


def _xy(lon: float, lat: float) -> tuple[float, float]:
    x = (lon - LON0) / (LON1 - LON0) * MAP_W
    y = (LAT1 - lat) / (LAT1 - LAT0) * MAP_H
    return round(x, 1), round(y, 1)


def facility_map(points: list[tuple[str, float, float, int, str]], title: str) -> SafeString:
    """points: (name, lat, lon, published persons, link). Dots grow with the number of persons."""
    outline = " ".join(f"{x},{y}" for x, y in (_xy(lon, lat) for lon, lat in XINJIANG_OUTLINE))
    parts = [f'<svg class="map" role="img" viewBox="0 0 {MAP_W} {MAP_H}" xmlns="http://www.w3.org/2000/svg">'
             f'<title>{escape(title)}</title>'
             f'<polygon points="{outline}" fill="#eef3ee" stroke="#7a8f7a" stroke-width="1.5"/>']
    for name, lat, lon, count, link in points:
        if lat is None or lon is None:
            continue
        x, y = _xy(lon, lat)
        r = min(14, 3 + count ** 0.5)
        parts.append(f'<a href="{escape(link)}"><circle cx="{x}" cy="{y}" r="{r:.1f}" fill="#b23a3a" '
                     f'fill-opacity="0.75"><title>{escape(name)} ({count})</title></circle></a>')
    parts.append("</svg>")
    return mark_safe("".join(parts))
