"""Model changes and logins go to the audit log.

Every save and delete of a record model (registry, vault, linkage, publish, capture) and of
users and API tokens is recorded with what changed. Restricted fields (the encrypted ones, and
passwords) are recorded only as "<redacted>": the log says that they changed, never to what.
Bulk operations (QuerySet.update, bulk_create) bypass model signals: code that uses them calls
aigaq.audit.record() itself.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save, pre_save

from aigaq.audit.chain import REDACTED, record, redact

AUDITED_APPS = {"registry", "vault", "linkage", "publish", "capture"}
AUDITED_MODELS = {"accounts.user", "accounts.apitoken", "accounts.totpdevice"}
NEVER_SHOWN = {"password", "secret", "token_hash"}
NOISE = {"last_login", "last_used_at", "updated_at", "last_step"}
_SNAPSHOT = "_aigaq_audit_before"


def _audited(sender) -> bool:
    meta = sender._meta
    return meta.app_label in AUDITED_APPS or meta.label_lower in AUDITED_MODELS


def restricted_fields(model) -> set[str]:
    from aigaq.core.crypto import EncryptedTextField

    names = {f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)}
    return names | (NEVER_SHOWN & {f.name for f in model._meta.concrete_fields})


def _values(instance) -> dict[str, Any]:
    return {f.name: f.value_from_object(instance) for f in instance._meta.concrete_fields
            if f.name not in NOISE}


def _before(sender, instance, raw=False, **kw):
    if raw or not _audited(sender) or instance.pk is None:
        return
    old = sender._base_manager.filter(pk=instance.pk).first()
    setattr(instance, _SNAPSHOT, _values(old) if old is not None else None)


def _after(sender, instance, created, raw=False, **kw):
    if raw or not _audited(sender):
        return
    restricted = restricted_fields(sender)
    new = _values(instance)
    old = None if created else getattr(instance, _SNAPSHOT, None)
    if old is None:
        changes = created_changes(instance)
        action = "create"
    else:
        changes = {k: [redact(k, old.get(k), restricted), redact(k, v, restricted)]
                   for k, v in new.items() if old.get(k) != v}
        if not changes:
            return
        action = "change"
    if hasattr(instance, _SNAPSHOT):
        delattr(instance, _SNAPSHOT)
    record(action, instance, changes=changes)


def created_changes(instance) -> dict[str, Any]:
    """What a "create" entry records for a new row: its fields, restricted ones redacted. For
    code that creates rows in bulk (no signals) and records them itself (audit.chain.record_many)."""
    restricted = restricted_fields(type(instance))
    return {k: [None, redact(k, v, restricted)] for k, v in _values(instance).items() if v not in (None, "")}


def _deleted(sender, instance, **kw):
    if not _audited(sender):
        return
    restricted = restricted_fields(sender)
    changes = {k: [redact(k, v, restricted), None] for k, v in _values(instance).items() if v not in (None, "")}
    record("delete", instance, changes=changes)


def _login(sender, request, user, **kw):
    record("login", user, user=user)


def _logout(sender, request, user, **kw):
    if user is not None:
        record("logout", user, user=user)


def _login_failed(sender, credentials, request=None, **kw):
    record("login_failed", object_type="accounts.user",
           changes={"username": str(credentials.get("username", ""))[:150]})


def connect() -> None:
    pre_save.connect(_before, dispatch_uid="aigaq-audit-pre")
    post_save.connect(_after, dispatch_uid="aigaq-audit-post")
    post_delete.connect(_deleted, dispatch_uid="aigaq-audit-del")
    user_logged_in.connect(_login, dispatch_uid="aigaq-audit-login")
    user_logged_out.connect(_logout, dispatch_uid="aigaq-audit-logout")
    user_login_failed.connect(_login_failed, dispatch_uid="aigaq-audit-login-failed")


__all__ = ["REDACTED", "connect", "created_changes", "restricted_fields"]
