"""Who may open which staff page. A small stop-gap: the security issue will centralise roles."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

# Roles that record and edit; a viewer only reads.
WRITE_ROLES = ("admin", "editor", "volunteer")
# Roles that may read witnesses' contact details (volunteers see only those they recorded).
CONTACT_ROLES = ("admin", "editor")


def has_role(user, *roles: str) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or getattr(user, "role", None) in roles))


def role_required(*roles: str) -> Callable:
    """login_required, then 403 unless the user has one of `roles` (superusers always pass)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(wrapped)

    return decorator


def can_see_contact(user, witness) -> bool:
    """The one rule lives in aigaq.accounts.policy (volunteers: witnesses of testimonies they recorded)."""
    from aigaq.accounts.policy import can_view_contact

    return can_view_contact(user, witness)
