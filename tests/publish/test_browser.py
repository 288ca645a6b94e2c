"""A real browser (Debian's headless chromium, driven by Playwright) on the portal and on a mirror."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture
def page(monkeypatch):
    # Playwright's sync API keeps an event loop in this thread; the test's own ORM calls are sync.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    if not shutil.which("chromium"):
        pytest.skip("chromium is not installed (.ci/run installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page()
        yield page
        browser.close()


def _search_and_open(page, base: str, query: str, expected: str) -> None:
    page.goto(base)
    page.fill("#q", query)
    page.click("form.search button[type=submit]")
    link = page.locator("#results a", has_text=expected)
    link.first.wait_for(timeout=10_000)
    link.first.click()
    page.wait_for_selector("article.person h1")
    assert page.locator("article.person h1").inner_text() == expected
    assert "Public event description" in page.content()


def test_portal_search_in_another_script_and_open_the_person(page, live_server, leak_record):
    _search_and_open(page, live_server.url + "/", "Бекзат", "Bekzat Ospanuly")


def test_static_mirror_search_and_open_the_person(page, leak_record, tmp_path):
    from aigaq.publish.builder import build

    out = tmp_path / "mirror"
    build(out)
    server = subprocess.Popen([sys.executable, "-m", "http.server", "0", "--bind", "127.0.0.1", "-d", str(out)],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        port = int(server.stdout.readline().split(" port ")[1].split()[0])
        _search_and_open(page, f"http://127.0.0.1:{port}/search.html", "Бекзат", "Bekzat Ospanuly")
        # And from a local folder, as someone who was handed a USB stick would open it.
        _search_and_open(page, (out / "search.html").as_uri(), "ospan", "Bekzat Ospanuly")
    finally:
        server.terminate()
        server.wait(timeout=10)
