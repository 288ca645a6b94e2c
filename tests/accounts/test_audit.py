"""The audit log records who did what, from where; edits and removals are caught by `aigaq verify`."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from aigaq import audit
from aigaq.audit import chain
from aigaq.audit.models import AuditEntry
from aigaq.registry.models import Witness

from personas import PASSWORD


def _verify_exit(capsys) -> tuple[int, str]:
    try:
        call_command("verify", "--check", "audit chain")
    except SystemExit as exc:
        return int(exc.code or 0), capsys.readouterr().out
    return 0, capsys.readouterr().out


@pytest.fixture
def some_history(db, alice):
    w = Witness.objects.create(full_name="Aigul", contact="SECRET-PHONE", created_by=alice)
    w.contact = "SECRET-PHONE-2"
    w.full_name = "Aigul K."
    w.save()
    for i in range(3):
        audit.record("export", object_type="registry.person", object_id=i, user=alice)
    return w


def test_changes_are_recorded_with_restricted_values_redacted(some_history):
    create, change = AuditEntry.objects.filter(object_type="registry.witness").order_by("seq")
    assert create.action == "create" and change.action == "change"
    assert change.changes["full_name"] == ["Aigul", "Aigul K."]
    assert change.changes["contact"] == [chain.REDACTED, chain.REDACTED]
    assert "SECRET" not in str(list(AuditEntry.objects.values_list("changes", flat=True)))


def test_an_intact_log_verifies(some_history, capsys):
    assert chain.verify_chain() == []
    assert _verify_exit(capsys)[0] == 0


def test_an_edited_entry_is_reported(some_history, capsys):
    with connection.cursor() as cur:
        cur.execute("UPDATE audit_auditentry SET actor = 'someone-else' WHERE seq = 2")
    problems = chain.verify_chain()
    assert problems == ["audit entry #2: content was changed after it was written"]
    code, out = _verify_exit(capsys)
    assert code != 0 and "audit entry #2" in out


def test_a_removed_entry_is_reported(some_history, capsys):
    with connection.cursor() as cur:
        cur.execute("DELETE FROM audit_auditentry WHERE seq = 3")
    problems = chain.verify_chain()
    assert any("#3" in p and "missing" in p for p in problems)
    assert any("#4" in p and "does not link" in p for p in problems)
    assert _verify_exit(capsys)[0] != 0


def test_a_rewritten_chain_without_the_key_is_reported(some_history):
    """An attacker with the database only can recompute the hashes, not the MACs."""
    entry = AuditEntry.objects.get(seq=2)
    entry.actor = "someone-else"
    new_hash = chain._digest(chain._content(entry))
    with connection.cursor() as cur:
        cur.execute("UPDATE audit_auditentry SET actor = %s, entry_hash = %s WHERE seq = 2",
                    ["someone-else", new_hash])
        prev = new_hash
        for e in AuditEntry.objects.filter(seq__gt=2).order_by("seq"):
            e.prev_hash = prev
            h = chain._digest(chain._content(e))
            cur.execute("UPDATE audit_auditentry SET prev_hash = %s, entry_hash = %s WHERE seq = %s",
                        [prev, h, e.seq])
            prev = h
    problems = chain.verify_chain()
    assert problems[0] == "audit entry #2: its MAC does not match (rewritten without the audit key)"
    assert len(problems) == AuditEntry.objects.filter(seq__gte=2).count()
    assert all("MAC does not match" in p for p in problems)


def test_removing_the_newest_entries_is_reported(some_history):
    last = AuditEntry.objects.order_by("-seq").first()
    chain._write_head(last.seq, last.entry_hash)  # what on_commit does after a real commit
    with connection.cursor() as cur:
        cur.execute("DELETE FROM audit_auditentry WHERE seq >= %s", [last.seq - 1])
    assert any("entries were removed from its end" in p for p in chain.verify_chain())
    chain._head_path().unlink()


def test_entries_refuse_save_and_delete(some_history):
    e = AuditEntry.objects.first()
    with pytest.raises(RuntimeError):
        e.save()
    with pytest.raises(RuntimeError):
        e.delete()


def test_logins_and_failures_are_recorded_with_address(client, victor):
    client.post(reverse("accounts:login"), {"username": "victor", "password": "wrong"}, REMOTE_ADDR="203.0.113.9")
    client.post(reverse("accounts:login"), {"username": "victor", "password": PASSWORD}, REMOTE_ADDR="203.0.113.9")
    failed, ok = AuditEntry.objects.filter(action__in=["login_failed", "login"]).order_by("seq")
    assert (failed.action, failed.ip, failed.changes["username"]) == ("login_failed", "203.0.113.9", "victor")
    assert (ok.action, ok.actor, ok.ip) == ("login", "victor", "203.0.113.9")


def test_admin_filters_the_log_and_others_cannot_see_it(client, alice, victor, some_history):
    client.force_login(alice)
    page = client.get(reverse("audit:list"), {"action": "export"})
    assert page.status_code == 200
    assert page.content.decode().count("<td>export</td>") == 3
    assert "<td>create</td>" not in page.content.decode()
    client.force_login(victor)
    assert client.get(reverse("audit:list")).status_code == 403


def test_showing_witness_contact_is_logged_and_limited_to_who_recorded_it(client, alice, victor, wendy, django_user_model):
    from aigaq.registry.models import Testimony

    w = Witness.objects.create(full_name="Gulnar", contact="CONTACT-SENTINEL")
    mine = Testimony.objects.create(witness=w, created_by=victor)
    other_volunteer = django_user_model.objects.create_user("vera", password="x" * 16, role="volunteer")
    url = reverse("registry:testimony-detail", args=[mine.pk])
    for user, sees in ((victor, True), (alice, True), (other_volunteer, False), (wendy, False)):
        client.force_login(user)
        html = client.get(url).content.decode()
        assert ("CONTACT-SENTINEL" in html) is sees, user.username
        logged = AuditEntry.objects.filter(action="view_restricted", actor=user.username, object_id=str(w.pk))
        assert logged.exists() is sees, user.username


@pytest.mark.django_db(transaction=True)
def test_the_head_file_follows_each_commit_or_once_per_group():
    chain._head_path().unlink(missing_ok=True)
    audit.record("export", object_type="registry.person", object_id=1)
    first = AuditEntry.objects.order_by("-seq").first()
    assert chain._read_head()["seq"] == first.seq  # written after the commit
    with chain.head_written_once():
        for i in range(3):
            audit.record("export", object_type="registry.person", object_id=i)
        assert chain._read_head()["seq"] == first.seq  # not yet: once, when the group ends
    last = AuditEntry.objects.order_by("-seq").first()
    assert last.seq == first.seq + 3
    assert chain._read_head() == {"genesis": chain._genesis_hash(), "seq": last.seq, "hash": last.entry_hash}
    assert chain.verify_chain() == []
    chain._head_path().unlink()
