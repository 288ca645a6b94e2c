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
