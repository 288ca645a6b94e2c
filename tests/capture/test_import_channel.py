"""`aigaq import-channel`: a yt-dlp channel folder becomes preserved originals and draft testimonies."""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import subprocess
from pathlib import Path

import pytest

from aigaq.capture.channel import import_channel
from aigaq.capture.models import CapturedSource, ChannelImport

TITLES = ["Менің әкем лагерьде", "Сестра пропала в 2018 году", "My brother Erlan, Ghulja",
          "Қарындасым туралы куәлік", "Anam 2017-yili tutuldi"]


def make_channel(folder: Path, count: int, seed: int = 6) -> list[dict]:
    """A channel folder as yt-dlp writes it: <title> [<id>].mp4 + .info.json (+ .jpg, .vtt on some)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    infos = []
    for n in range(count):
        vid = "".join(rng.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") for _ in range(11))
        day = dt.date(2018, 1, 1) + dt.timedelta(days=n * 3)
        info = {
            "id": vid, "title": f"{TITLES[n % len(TITLES)]} #{n}", "fulltitle": f"{TITLES[n % len(TITLES)]} #{n}",
            "description": f"Куәгер өз төлқұжатын көрсетеді. Witness {n} holds up her ID.\nhttps://example.org/{n}",
            "upload_date": day.strftime("%Y%m%d"), "timestamp": 1514764800 + n * 259200,
            "uploader": "Atajurt Kazakh Human Rights", "uploader_id": "@atajurt", "channel": "Atajurt Kazakh Human Rights",
            "channel_id": "UC0000000000000000000000", "channel_url": "https://www.youtube.com/channel/UC0000000000000000000000",
            "webpage_url": f"https://www.youtube.com/watch?v={vid}", "original_url": f"https://www.youtube.com/watch?v={vid}",
            "duration": 120 + n, "view_count": rng.randint(10, 90000), "ext": "mp4", "format_id": "18",
            "width": 640, "height": 360, "extractor": "youtube", "extractor_key": "Youtube", "language": "kk",
            "tags": ["Xinjiang", "testimony"], "_type": "video", "epoch": 1700000000, "_version": {"version": "2023.11.16"},
        }
        stem = f"{info['title'].replace('/', '_')} [{vid}]"
        (folder / f"{stem}.info.json").write_text(json.dumps(info, ensure_ascii=False), encoding="utf-8")
        (folder / f"{stem}.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42" + os.urandom(64) + n.to_bytes(4, "big"))
        if n % 2 == 0:
            (folder / f"{stem}.jpg").write_bytes(b"\xff\xd8\xff\xe0" + os.urandom(40) + b"\xff\xd9")
        if n % 5 == 0:
            (folder / f"{stem}.kk.vtt").write_text(f"WEBVTT\n\n00:00.000 --> 00:02.000\nСәлем {n}\n", encoding="utf-8")
        infos.append(info)
    return infos


def test_import_channel_of_200_twice_imports_200_then_0_and_verify_passes(aigaq_env, tmp_path):
    env, cli = aigaq_env
    make_channel(tmp_path / "channel", 200)
    first = subprocess.run([*cli, "import-channel", str(tmp_path / "channel"), "--json"], env=env,
                           capture_output=True, text=True, timeout=600)
    assert first.returncode == 0, first.stderr
    report = json.loads(first.stdout)
    assert (report["imported"], report["skipped"]) == (200, 0)
    second = subprocess.run([*cli, "import-channel", str(tmp_path / "channel")], env=env,
                            capture_output=True, text=True, timeout=600)
    assert second.returncode == 0, second.stderr
    assert second.stdout.strip().splitlines()[-1] == "0 imported, 200 skipped (200 already imported)."
    verify = subprocess.run([*cli, "verify"], env=env, capture_output=True, text=True, timeout=600)
    assert verify.returncode == 0, verify.stdout + verify.stderr


@pytest.mark.django_db
def test_each_video_becomes_a_draft_testimony_with_its_files(tmp_path, alice):
    from aigaq.registry.models import Testimony

    infos = make_channel(tmp_path / "ch", 5)
    report = import_channel(tmp_path / "ch", user=alice)
    assert len(report.imported) == 5
    info = infos[0]
    t = Testimony.objects.get(title=info["title"])
    assert t.state == Testimony.State.DRAFT
    assert t.summary == info["description"]
    assert t.recorded_on == dt.date(2018, 1, 1)
    assert (t.source.kind, t.source.url) == ("web", info["webpage_url"])
    roles = sorted(link.item.filename.rsplit(".", 2)[-1] if ".info.json" not in link.item.filename else "info"
                   for link in t.evidence_links.all())
    assert roles == ["info", "jpg", "mp4", "vtt"]  # video 0 has a thumbnail and subtitles
    watched = CapturedSource.objects.get(url=info["webpage_url"])
    assert watched.items.count() == 4
    assert ChannelImport.objects.count() == 5


@pytest.mark.django_db
def test_skips_are_reported_with_their_reasons(tmp_path):
    folder = tmp_path / "ch"
    make_channel(folder, 3)
    (folder / "broken [x1].info.json").write_text("{not json", encoding="utf-8")
    (folder / "no media [x2].info.json").write_text(json.dumps({"id": "x2", "title": "no media", "ext": "mp4"}))
    (folder / "Channel - Videos [UC0].info.json").write_text(json.dumps({"id": "UC0", "_type": "playlist"}))
    report = import_channel(folder)
    reasons = {e.info_path.name: e.reason for e in report.skipped}
    assert len(report.imported) == 3
    assert reasons["broken [x1].info.json"].startswith("unreadable JSON")
    assert reasons["no media [x2].info.json"].startswith("missing media")
    assert reasons["Channel - Videos [UC0].info.json"] == "metadata of a playlist or channel, not of a video"
    again = import_channel(folder)
    assert len(again.imported) == 0
    assert sum(e.reason == "already imported" for e in again.skipped) == 3
