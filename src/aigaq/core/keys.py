"""The instance's Ed25519 key: signs ledger checkpoints and published mirrors.

Kept as a PEM file under the data folder (mode 0600), or given by AIGAQ_INSTANCE_KEY_FILE.
"""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings


def instance_key_path() -> Path:
    override = os.environ.get("AIGAQ_INSTANCE_KEY_FILE")
    return Path(override) if override else settings.KEYS_DIR / "instance-ed25519.pem"


def ensure_instance_key() -> tuple[Path, bool]:
    """Create the key if it is missing. Returns (path, created)."""
    path = instance_key_path()
    if path.exists():
        return path, False
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
        fh.flush()
        os.fsync(fh.fileno())
    try:
        os.link(tmp, path)
    except FileExistsError:
        return path, False
    finally:
        tmp.unlink()
    return path, True


def load_instance_key() -> Ed25519PrivateKey:
    path, _ = ensure_instance_key()
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} does not hold an Ed25519 private key")
    return key


def public_key_bytes(key: Ed25519PublicKey | None = None) -> bytes:
    key = key or load_instance_key().public_key()
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_key_b64() -> str:
    return base64.b64encode(public_key_bytes()).decode("ascii")


def fingerprint(raw_public: bytes | None = None) -> str:
    """SHA-256 of the raw public key, grouped for reading aloud over the phone."""
    digest = hashlib.sha256(raw_public or public_key_bytes()).hexdigest()
    return " ".join(digest[i : i + 4] for i in range(0, 32, 4))
