"""`aigaq reindex-names`: stale search keys (from an older names engine) are brought up to date."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from aigaq.registry.models import NameKey
from aigaq.registry.search import name_keys, search_persons

pytestmark = pytest.mark.django_db


def test_stale_keys_are_replaced_and_search_finds_the_person_again(people, capsys):
    nurlan_cn = people["nurlan_cn"]
    name = nurlan_cn.names.get()
    fresh = set(NameKey.objects.filter(name=name).values_list("key", flat=True))
    assert fresh == name_keys(name.text)
    # As an older engine would have written them: other cross-script keys, one token missing.
    NameKey.objects.filter(name=name, key__startswith="k:").update(key="k:f:old.key")
    NameKey.objects.filter(name=name, key="t:努尔兰").delete()
    assert nurlan_cn.pk not in [h.person.pk for h in search_persons("Nurlan Serikuly", limit=10)]

    call_command("reindex-names".replace("-", "_"), "--json", "--no-progress")
    out = json.loads(capsys.readouterr().out)

    assert out["names_changed"] == 1
    assert set(NameKey.objects.filter(name=name).values_list("key", flat=True)) == fresh
    assert NameKey.objects.filter(name=name).count() == len(fresh)  # no duplicates left behind
    assert nurlan_cn.pk in [h.person.pk for h in search_persons("Nurlan Serikuly", limit=10)]
    call_command("reindex_names", "--json", "--no-progress")
    assert json.loads(capsys.readouterr().out)["names_changed"] == 0
