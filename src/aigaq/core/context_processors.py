"""The staff navigation, built from the one access policy so nobody sees a link they can't open."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from aigaq.accounts.policy import allows, role_of, url_rule

STAFF_NAV = [
    ("registry:person-list", _("Persons")),
    ("registry:facility-list", _("Facilities")),
    ("registry:intake", _("Record a testimony")),
    ("vault:item-list", _("Evidence")),
    ("capture:new", _("Capture")),
    ("capture:gone", _("Gone from the web")),
    ("linkage:queue", _("Review duplicates")),
    ("transfer:upload", _("Import")),
    ("dossier:template-list", _("Petition templates")),
    ("audit:list", _("Audit log")),
]


def staff_nav(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"staff_nav": []}
    role = role_of(user)
    current = getattr(getattr(request, "resolver_match", None), "view_name", "")
    links = [
        {"url": reverse(name), "label": label, "current": name == current, "name": name}
        for name, label in STAFF_NAV
        if allows(role, url_rule(name))
    ]
    return {"staff_nav": links}
