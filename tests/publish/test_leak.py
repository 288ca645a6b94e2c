"""The leak test: no public surface holds a sentinel, and every surface holds the public record.

Surfaces: the policy's own output, the API for an anonymous visitor, the portal (crawled page by
page from its home), the open data files and a published static mirror.
"""

from __future__ import annotations

import json
from dataclasses import asdict

import pytest

pytestmark = pytest.mark.django_db


def test_policy_output_holds_no_sentinel_and_the_public_record(leak_record, no_leak):
    from aigaq.publish.policy import public_facilities, public_persons

    persons = {pp.uid: pp for _, pp in public_persons()}
    assert set(persons) == {leak_record.public_uid, leak_record.anon_uid}
    dump = json.dumps([asdict(p) for p in persons.values()] + [asdict(f) for f in public_facilities(with_persons=True)],
                      ensure_ascii=False, default=str)
    no_leak({"policy output": dump}, leak_record)
    pub, anon = persons[leak_record.public_uid], persons[leak_record.anon_uid]
    assert anon.display_name == "S. S." and anon.names == () and anon.testimonies == ()
    assert anon.home_place.code == "653100" and anon.events[0].date == "2018"
    assert anon.status_since == "2018"
    # The public person: one testimony shown in full; the other non-internal ones counted.
    assert [t.title for t in pub.testimonies] == ["PublicOKTITLE"]
    assert pub.testimonies[0].witness_name == "Aigul Publicwitness"
    assert pub.testimony_count == 5  # OK, ANONWIT, INTWIT, MIXED, DRAFT; never the internal one
    assert anon.testimony_count == 1


def test_anonymous_api_gives_nothing_away(client, leak_record, no_leak):
    from aigaq.registry.models import Person

    bodies = {}
    for url in ["/api/v1/persons", "/api/v1/persons?q=Sentinelanongiven", "/api/v1/persons?q=SENTINELINTERNALNAME",
                *(f"/api/v1/persons/{pk}" for pk in Person.objects.values_list("pk", flat=True))]:
        resp = client.get(url)
        bodies[url] = resp.content.decode()
        assert resp.status_code in (401, 403, 404), url
    no_leak(bodies, leak_record, check_required=False)


def _crawl(client, start: str = "/") -> dict[str, str]:
    """Every page reachable from the portal's home by links, as an anonymous visitor."""
    import re
    from urllib.parse import urljoin, urlsplit

    seen: dict[str, str] = {}
    todo = [start]
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        resp = client.get(url)
        assert resp.status_code == 200, url
        body = (b"".join(resp.streaming_content) if resp.streaming else resp.content).decode()
        seen[url] = body
        if "html" not in resp.get("Content-Type", ""):
            continue
        for href in re.findall(r'(?:href|src|action)="([^"#]*)"', body):
            target = urlsplit(urljoin(url, href))
            if target.netloc or not target.path.startswith("/") or target.path.startswith(("/static/", "/i18n/")):
                continue
            todo.append(target.path + (f"?{target.query}" if target.query else ""))
    return seen


def test_portal_crawled_page_by_page_and_its_open_data(client, leak_record, no_leak):
    pages = _crawl(client)
    assert f"/person/{leak_record.public_uid}/" in pages and f"/person/{leak_record.anon_uid}/" in pages
    assert "/open-data/persons.csv" in pages and "/open-data/events.csv" in pages
    # Searching for the hidden names finds nothing, and says so without echoing other records.
    for q in ["Sentinelanongiven", "SENTINELINTERNALNAME", "SENTINELMERGEDNAME", "СЕНТИНЕЛКИРИЛЛ"]:
        body = client.get("/search/", {"q": q}).content.decode()
        assert 'id="results"' not in body
        pages[f"/search/?q={q}"] = body.replace(q, "")  # the echoed query itself is not a leak
    no_leak(pages, leak_record)
    # The internal person's page and the merged duplicate's page do not exist.
    for uid in (leak_record.internal_uid, leak_record.merged_uid):
        assert client.get(f"/person/{uid}/").status_code == 404


def test_published_mirror_file_by_file(leak_record, no_leak, tmp_path):
    from aigaq.publish.builder import build

    out = tmp_path / "mirror"
    build(out)
    files = {p.relative_to(out).as_posix(): p.read_bytes().decode("utf-8") for p in out.rglob("*") if p.is_file()}
    assert f"person/{leak_record.public_uid}.html" in files and f"person/{leak_record.anon_uid}.html" in files
    assert f"person/{leak_record.internal_uid}.html" not in files
    no_leak(files, leak_record)
