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


def test_keys_from_another_names_engine_are_reported_until_reindexed(people, capsys, settings, tmp_path):
    from django.core import checks

    from aigaq.linkage.rekey import keys_state, stamp_path, write_stamp
    from aigaq.names import engine_version

    settings.DATA_DIR = tmp_path
    # Names stored, no record of the engine that made their keys: an instance from before the stamp.
    assert not stamp_path().exists()
    assert "predate" in keys_state()
    found = [w.id for w in checks.run_checks(include_deployment_checks=True, tags=["names"])]
    assert found == ["aigaq.W020"]

    write_stamp()
    assert stamp_path().read_text().strip() == engine_version()
    assert keys_state() is None
    assert checks.run_checks(include_deployment_checks=True, tags=["names"]) == []

    stamp_path().write_text("0123456789abcdef\n")          # keys made by an older engine
    assert "0123456789abcdef" in keys_state() and engine_version() in keys_state()
    call_command("reindex_names", "--json", "--no-progress")
    capsys.readouterr()
    assert keys_state() is None                              # the reindex records the engine


def test_engine_version_follows_the_code(tmp_path):
    import shutil
    from pathlib import Path

    import aigaq.names
    from aigaq.names import engine_version, source_fingerprint

    copy = tmp_path / "names"
    shutil.copytree(Path(aigaq.names.__file__).parent, copy, ignore=shutil.ignore_patterns("__pycache__"))
    assert source_fingerprint(copy) == engine_version()
    with open(copy / "keys.py", "a", encoding="utf-8") as f:
        f.write("# a changed engine\n")
    assert source_fingerprint(copy) != engine_version()
