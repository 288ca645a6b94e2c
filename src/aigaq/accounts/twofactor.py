"""Two-factor login: TOTP (pyotp) with one-time recovery codes."""

from __future__ import annotations

import hashlib
import secrets
import time
from typing import Any

import pyotp
import segno
from django.db import transaction
from django.utils import timezone

from aigaq.accounts import policy
from aigaq.accounts.models import RecoveryCode, TOTPDevice

ISSUER = "Aigaq"
RECOVERY_CODES = 10
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read aloud and typed from paper


def confirmed_device(user: Any) -> TOTPDevice | None:
    cached = getattr(user, "_aigaq_totp", False)
    if cached is not False:
        return cached
    device = TOTPDevice.objects.filter(user=user, confirmed_at__isnull=False).first()
    user._aigaq_totp = device
    return device


def must_enrol(user: Any) -> bool:
    """Administrators and editors may do nothing before they have set up two-factor login."""
    return policy.role_of(user) in policy.TWO_FACTOR_REQUIRED and confirmed_device(user) is None


def pending_device(user: Any) -> TOTPDevice:
    """The device being set up (a fresh secret until it is confirmed with a first code)."""
    device = TOTPDevice.objects.filter(user=user).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, secret=pyotp.random_base32())
    return device


def provisioning_uri(device: TOTPDevice) -> str:
    return pyotp.TOTP(device.secret).provisioning_uri(name=device.user.username, issuer_name=ISSUER)


def qr_svg(device: TOTPDevice) -> str:
    """The provisioning URI as an inline SVG (no script, no external request: fits the CSP)."""
    return segno.make(provisioning_uri(device), error="m").svg_inline(scale=5, dark="#111", light="#fff")


def verify_code(device: TOTPDevice, code: str) -> bool:
    """A 6-digit code of this or the neighbouring 30-second step, never one already used."""
    code = "".join(code.split())
    if not (len(code) == 6 and code.isdigit()):
        return False
    totp = pyotp.TOTP(device.secret)
    now = int(time.time())
    for offset in (0, -1, 1):
        step = now // totp.interval + offset
        if step > device.last_step and secrets.compare_digest(totp.at(step * totp.interval), code):
            # Conditional update: two requests racing with the same code cannot both pass.
            n = TOTPDevice.objects.filter(pk=device.pk, last_step__lt=step).update(last_step=step)
            device.last_step = step
            return n == 1
    return False


def confirm(device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm a new device with its first code; returns fresh recovery codes, or None."""
    if not verify_code(device, code):
        return None
    device.confirmed_at = timezone.now()
    device.save(update_fields=["confirmed_at"])
    return new_recovery_codes(device.user)


def _hash(code: str) -> str:
    return hashlib.sha256("".join(code.lower().split()).replace("-", "").encode()).hexdigest()


def new_recovery_codes(user: Any) -> list[str]:
    """Replace the user's recovery codes; the codes are shown once and only their hashes kept."""
    codes = ["-".join("".join(secrets.choice(_ALPHABET) for _ in range(4)) for _ in range(4))
             for _ in range(RECOVERY_CODES)]
    with transaction.atomic():
        RecoveryCode.objects.filter(user=user).delete()
        RecoveryCode.objects.bulk_create([RecoveryCode(user=user, code_hash=_hash(c)) for c in codes])
    return codes


def use_recovery_code(user: Any, code: str) -> bool:
    n = RecoveryCode.objects.filter(user=user, code_hash=_hash(code), used_at__isnull=True).update(
        used_at=timezone.now())
    return n == 1


def remaining_recovery_codes(user: Any) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
