"""Video capture through yt-dlp (when installed), and what happens when it is not."""

from __future__ import annotations

import hashlib
import json
import subprocess

import pytest

from aigaq.capture import video
from aigaq.capture.service import CaptureError, capture_url
from aigaq.vault.storage import get_storage


def by_role(outcome, role):
    return [i for i in outcome.items if i["role"] == role]


def test_known_platforms_are_recognised():
    assert video.is_video_platform("https://www.youtube.com/watch?v=abc")
    assert video.is_video_platform("https://youtu.be/abc")
    assert video.is_video_platform("https://m.facebook.com/watch/?v=1")
    assert video.is_video_platform("https://vk.com/video-1_2")
    assert not video.is_video_platform("https://notyoutube.com/watch")
    assert not video.is_video_platform("http://127.0.0.1:8000/page.html")


def test_canonical_info_drops_what_changes_per_request():
    info = {"id": "x", "title": "t", "epoch": 1, "_version": {"v": 1},
            "formats": [{"format_id": "18", "url": "https://signed?expire=1"}]}
    assert video.canonical_info(info) == {"id": "x", "title": "t", "formats": [{"format_id": "18"}]}


@pytest.mark.django_db
def test_video_platform_without_yt_dlp_names_the_extra(settings, capture_settings):
    settings.AIGAQ_CAPTURE_VIDEO = False  # acts as if yt-dlp were not installed
    with pytest.raises(CaptureError, match=r"pip install 'aigaq\[video\]'"):
        capture_url("https://www.youtube.com/watch?v=dQw4w9WgXcQ")


def test_without_yt_dlp_installed_pages_still_work_and_videos_name_the_extra(aigaq_env, site, tmp_path):
    """A real run with the yt_dlp import blocked, as on an install without the extra."""
    env, cli = aigaq_env
    blocker = tmp_path / "block" / "yt_dlp"
    blocker.mkdir(parents=True)
    (blocker / "__init__.py").write_text("raise ImportError('yt-dlp is not installed here')\n")
    env = {**env, "PYTHONPATH": str(blocker.parent), "AIGAQ_CAPTURE_BROWSER": "",
           "AIGAQ_CAPTURE_READ_TIMEOUT": "5"}
    run = subprocess.run([*cli, "capture", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"], env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 1
    assert "pip install 'aigaq[video]'" in run.stderr and "yt-dlp" in run.stderr
    page = subprocess.run([*cli, "capture", site.url("/page.html"), "--json"], env=env,
                          capture_output=True, text=True, timeout=120)
    assert page.returncode == 0, page.stderr
    result = json.loads(page.stdout)
    assert result["ok"] and {i["role"] for i in result["items"]} == {"wacz", "media"}
    verify = subprocess.run([*cli, "verify"], env=env, capture_output=True, text=True, timeout=120)
    assert verify.returncode == 0, verify.stdout + verify.stderr


@pytest.fixture
def yt_dlp_installed():
    pytest.importorskip("yt_dlp")


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/media/clip.mp4", "/video-page.html"])
def test_yt_dlp_generic_extractor_keeps_the_served_bytes(site, capture_settings, yt_dlp_installed, path):
    outcome = capture_url(site.url(path), mode="video")
    [vid] = by_role(outcome, "video")
    assert vid["sha256"] == hashlib.sha256(site.video).hexdigest()
    [info] = by_role(outcome, "info.json")
    data = json.loads(get_storage().path_for(info["sha256"]).read_bytes())
    assert data["extractor"].startswith("generic") or data["extractor"] == "html5"
    assert "epoch" not in data and "_version" not in data
    assert outcome.capture.method == "video"
    assert outcome.capture.provenance["tools"]["yt-dlp"] == video.version()
    assert by_role(outcome, "wacz")  # the page itself is archived too


@pytest.mark.django_db
def test_same_video_source_gives_the_same_bytes_twice(site, capture_settings, yt_dlp_installed):
    first = capture_url(site.url("/video-page.html"), mode="video")
    second = capture_url(site.url("/video-page.html"), mode="video")
    for role in ("video", "info.json"):
        assert by_role(first, role)[0]["sha256"] == by_role(second, role)[0]["sha256"], role
    assert by_role(second, "video")[0]["created"] is False
