"""Who may do what: THE permission table of Aigaq, and the rule of every URL and API operation.

Everything that decides access reads this module: the middleware (every HTML view), the API
authentication layer (every API operation), views and templates (object-level checks such as
witness contact details), and commands that act on behalf of a user. Change access here only.

Three layers:
- ``PERMISSIONS``: action -> roles allowed to perform it.
- ``URL_RULES`` / ``API_RULES``: every URL name (``namespace:name``) and every API operation
  (its function name) -> an action, or ``PUBLIC`` (anyone, including the anonymous public),
  or ``LOGIN`` (any signed-in staff member). A URL or operation without a rule is DENIED, and
  tests/accounts/test_access_matrix.py fails naming it.
- object-level helpers (``can_view_contact``, ``can_change``, ``can_delete``): what a role may
  do to one particular object, e.g. a volunteer sees contact details only of witnesses of
  testimonies they recorded.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from aigaq.accounts.models import Role


class Action(StrEnum):
    VIEW_RECORD = "view_record"  # read persons, testimonies, events (never restricted fields)
    VIEW_RESTRICTED = "view_restricted"  # witness contact, addresses, internal notes (all of them)
    CREATE = "create"  # intake: new persons, witnesses, testimonies
    CHANGE_OWN = "change_own"  # edit pages: the view must also call can_change(user, obj)
    CHANGE = "change"  # edit any record
    MERGE = "merge"  # merge / un-merge duplicates, review linkage
    INGEST = "ingest"  # add evidence files to the vault
    PUBLISH = "publish"  # publish to the portal, mirrors
    EXPORT = "export"  # bulk exports, bags
    DELETE = "delete"  # delete non-evidence records (evidence originals: never)
    MANAGE_USERS = "manage_users"
    VIEW_AUDIT = "view_audit"
    ADMINISTER = "administer"  # keys, backups, settings


PUBLIC = "public"  # anyone, including the anonymous public
LOGIN = "login"  # any signed-in staff member, whatever the role (e.g. their own 2FA page)

ALL_STAFF = frozenset(Role)
_A, _E, _V, _W = Role.ADMIN, Role.EDITOR, Role.VOLUNTEER, Role.VIEWER

PERMISSIONS: dict[Action, frozenset[Role]] = {
    Action.VIEW_RECORD: frozenset({_A, _E, _V, _W}),
    Action.VIEW_RESTRICTED: frozenset({_A, _E}),
    Action.CREATE: frozenset({_A, _E, _V}),
    Action.CHANGE_OWN: frozenset({_A, _E, _V}),
    Action.CHANGE: frozenset({_A, _E}),
    Action.MERGE: frozenset({_A, _E}),
    Action.INGEST: frozenset({_A, _E, _V}),
    Action.PUBLISH: frozenset({_A}),
    Action.EXPORT: frozenset({_A, _E}),
    Action.DELETE: frozenset({_A}),
    Action.MANAGE_USERS: frozenset({_A}),
    Action.VIEW_AUDIT: frozenset({_A}),
    Action.ADMINISTER: frozenset({_A}),
}

# Roles that must use two-factor login before doing anything else.
TWO_FACTOR_REQUIRED: frozenset[Role] = frozenset({_A, _E})

Rule = Action | str  # an Action, PUBLIC or LOGIN

# Every named URL of the site. Keys are `namespace:name` (or `name` with no namespace).
URL_RULES: dict[str, Rule] = {
    # Django's own
    "set_language": PUBLIC,
    "javascript-catalog": PUBLIC,
    # core
    "core:home": PUBLIC,  # a redirect; the target decides
    # the public portal (aigaq.publish): every value it shows comes from publish.policy
    **{f"portal:{name}": PUBLIC for name in (
        "home", "search", "persons", "bucket", "person", "facilities", "facility", "statistics", "map",
        "open-data", "data-file", "about", "media",
    )},
    # accounts: the login flow itself must be reachable without a session
    "accounts:login": PUBLIC,
    "accounts:login-2fa": PUBLIC,
    "accounts:logout": PUBLIC,
    "accounts:2fa-setup": LOGIN,
    "accounts:2fa-recovery-codes": LOGIN,
    "audit:list": Action.VIEW_AUDIT,
    # registry (staff UI)
    "registry:person-list": Action.VIEW_RECORD,
    "registry:person-detail": Action.VIEW_RECORD,
    "registry:testimony-detail": Action.VIEW_RECORD,  # contact: can_view_contact()
    "registry:facility-list": Action.VIEW_RECORD,
    "registry:facility-detail": Action.VIEW_RECORD,
    "registry:intake": Action.CREATE,
    "registry:facility-create": Action.CREATE,
    "registry:name-add": Action.CREATE,
    "registry:event-add": Action.CREATE,
    "registry:person-edit": Action.CHANGE_OWN,
    "registry:event-edit": Action.CHANGE_OWN,
    # vault (evidence): originals are read by staff, added by those who may ingest
    "vault:item-list": Action.VIEW_RECORD,
    "vault:item-detail": Action.VIEW_RECORD,
    "vault:item-file": Action.VIEW_RECORD,
    "vault:item-proof": Action.VIEW_RECORD,
    "vault:upload": Action.INGEST,
    "vault:item-publication": Action.PUBLISH,  # clear an original for publication, or withdraw it
    # capture: preserving online sources is adding evidence; the takedown list is read by staff
    "capture:new": Action.INGEST,
    "capture:job": Action.INGEST,  # the view shows a job only to its creator or an editor
    "capture:gone": Action.VIEW_RECORD,
    "capture:gone-csv": Action.EXPORT,
    # linkage: review queue, merge and un-merge; similar names for the intake form
    "linkage:similar": Action.VIEW_RECORD,
    "linkage:queue": Action.MERGE,
    "linkage:pair": Action.MERGE,
    "linkage:merge": Action.MERGE,
    "linkage:reject": Action.MERGE,
    "linkage:unmerge": Action.MERGE,
    # dossier: an external dossier holds only what the publication policy publishes; an internal
    # one and a petition (filled from the staff record) leave the group: export rights
    "dossier:person": Action.VIEW_RECORD,
    "dossier:person-internal": Action.EXPORT,
    "dossier:petitions": Action.EXPORT,
    "dossier:template-list": Action.ADMINISTER,
    "dossier:template-new": Action.ADMINISTER,
    "dossier:template-edit": Action.ADMINISTER,
    # transfer: bulk import of spreadsheets creates many records at once: editors and administrators
    "transfer:upload": Action.CHANGE,
    "transfer:batch": Action.CHANGE,
    "transfer:result": Action.CHANGE,
    # api: its description is public (it holds no data); operations are in API_RULES
    "api:api-root": PUBLIC,  # django-ninja's own: points at the docs
    "api:openapi-json": PUBLIC,
    "api:openapi-view": PUBLIC,
}

# Every API operation, by the name of its function (the tail of its OpenAPI operationId).
API_RULES: dict[str, Rule] = {
    "list_persons": Action.VIEW_RECORD,
    "get_person": Action.VIEW_RECORD,
    "create_person": Action.CREATE,
}

# Actions that change data: an API token needs the `write` scope for them.
WRITE_ACTIONS: frozenset[Action] = frozenset(set(Action) - {Action.VIEW_RECORD, Action.VIEW_RESTRICTED,
                                                            Action.VIEW_AUDIT, Action.EXPORT})


def role_of(user: Any) -> Role | None:
    """The user's role, or None for the anonymous public and inactive accounts."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.is_superuser:
        return Role.ADMIN
    try:
        return Role(user.role)
    except ValueError:
        return None


def allows(role: Role | None, rule: Rule | None) -> bool:
    """Does this rule let a user with this role (None: anonymous) through?"""
    if rule is None:
        return False  # no rule: denied
    if rule == PUBLIC:
        return True
    if role is None:
        return False
    if rule == LOGIN:
        return True
    return role in PERMISSIONS[Action(rule)]


def can(user: Any, action: Action) -> bool:
    return allows(role_of(user), action)


def url_rule(url_name: str | None) -> Rule | None:
    return URL_RULES.get(url_name or "")


def api_rule(operation_name: str) -> Rule | None:
    return API_RULES.get(operation_name)


# --- object-level checks -------------------------------------------------------------------


def _recorded_by(user: Any, witness: Any) -> bool:
    """Did this user record (create) a testimony of this witness, or the witness itself?"""
    if getattr(witness, "created_by_id", None) == user.pk:
        return True
    return witness.testimonies.filter(created_by=user).exists()


def can_view_contact(user: Any, obj: Any) -> bool:
    """May this user see the restricted fields (contact, address, internal notes) of `obj`?

    `obj` is a Witness, a Testimony (its witness) or a Person (internal notes). Volunteers see a
    witness's details only when they recorded one of that witness's testimonies; viewers and the
    public never do.
    """
    role = role_of(user)
    if role is None:
        return False
    if role in PERMISSIONS[Action.VIEW_RESTRICTED]:
        return True
    if role != Role.VOLUNTEER:
        return False
    from aigaq.registry.models import Testimony, Witness

    if isinstance(obj, Testimony):
        return obj.created_by_id == user.pk
    if isinstance(obj, Witness):
        return _recorded_by(user, obj)
    return False


def can_change(user: Any, obj: Any) -> bool:
    """Editors and administrators change anything; volunteers only what they created."""
    role = role_of(user)
    if role is None:
        return False
    if role in PERMISSIONS[Action.CHANGE]:
        return True
    return role in PERMISSIONS[Action.CHANGE_OWN] and getattr(obj, "created_by_id", None) == user.pk


def is_evidence_original(obj: Any) -> bool:
    """Evidence items in the vault are never deleted through the UI or the API."""
    return obj._meta.app_label == "vault"


def can_delete(user: Any, obj: Any) -> bool:
    if is_evidence_original(obj):
        return False
    return can(user, Action.DELETE)


# --- commands ----------------------------------------------------------------------------


class NotAllowed(Exception):
    pass


def require(user: Any, action: Action) -> None:
    """For commands and services that act on behalf of a named user: raise NotAllowed if they may not.

    Commands themselves run with the authority of whoever can read the data folder (an
    administrator, see docs/threat-model.md); they call this when they take `--as USER`.
    """
    if not can(user, action):
        raise NotAllowed(f"{getattr(user, 'username', 'anonymous')} may not {action.value.replace('_', ' ')}")
