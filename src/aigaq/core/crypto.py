"""Encryption at rest of restricted fields (witness contact, addresses, internal notes).

AES-256-GCM (the `cryptography` library) with a key kept outside the database:
`AIGAQ_FIELD_KEY` (a keyring string), else the file `AIGAQ_FIELD_KEY_FILE`, else
`<data folder>/keys/field-key` (created mode 0600 on first use). A keyring is one key per line,
`<key id> <base64 of 32 bytes>`; the first line encrypts, every line decrypts, so that
`aigaq keys rotate` can add a new key, re-encrypt every value and then drop the old ones.

A stored value is `aq1:<key id>:<base64(nonce || ciphertext+tag)>`; the model and field name are
authenticated data, so a value copied into another field or table does not decrypt. By design
such fields cannot be searched or sorted by the database; the length of a value is visible
within a few bytes.
"""

from __future__ import annotations

import base64
import os
import secrets
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

PREFIX = "aq1:"


class MissingKey(Exception):
    """A value was encrypted with a key this instance does not hold."""


def field_key_path() -> Path:
    override = os.environ.get("AIGAQ_FIELD_KEY_FILE")
    return Path(override) if override else settings.KEYS_DIR / "field-key"


def _parse(text: str, where: str) -> list[tuple[str, bytes]]:
    ring = []
    for n, line in enumerate(text.replace(",", "\n").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            kid, b64 = line.replace(":", " ", 1).split()
            key = base64.b64decode(b64, validate=True)
        except ValueError:
            raise ImproperlyConfigured(f"{where} line {n}: expected '<key id> <base64 key>'") from None
        if len(key) != 32:
            raise ImproperlyConfigured(f"{where} line {n}: the key must be 32 bytes (AES-256)")
        ring.append((kid, key))
    if not ring:
        raise ImproperlyConfigured(f"{where}: no key in it")
    return ring


def new_key_line() -> str:
    return f"k{secrets.token_hex(4)} {base64.b64encode(AESGCM.generate_key(bit_length=256)).decode()}"


def write_keyring(path: Path, lines: list[str]) -> None:
    """Atomically replace the key file (mode 0600)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write("\n".join(lines) + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def ensure_field_key() -> tuple[Path | None, bool]:
    """Create the key file if no key is configured. Returns (path or None for the env var, created)."""
    if os.environ.get("AIGAQ_FIELD_KEY"):
        return None, False
    path = field_key_path()
    if path.exists():
        return path, False
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.new")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(new_key_line() + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    try:
        os.link(tmp, path)  # another process may have won the race: keep its key
    except FileExistsError:
        return path, False
    finally:
        tmp.unlink()
    return path, True


_cache: dict[str, object] = {}


def keyring() -> list[tuple[str, bytes]]:
    """[(key id, key)], the encrypting key first."""
    env = os.environ.get("AIGAQ_FIELD_KEY")
    if env:
        source, text = "AIGAQ_FIELD_KEY", env
        _cache.pop("stamp", None)
    else:
        # One stat per value instead of a read: a page of 50 persons decrypts 50 values. The
        # stamp changes when `aigaq keys rotate` replaces the file (os.replace: new inode, mtime).
        path = field_key_path()
        try:
            st = path.stat()
        except FileNotFoundError:
            path, _ = ensure_field_key()
            st = path.stat()
        stamp = (str(path), st.st_ino, st.st_mtime_ns, st.st_size)
        if _cache.get("stamp") == stamp:
            return _cache["ring"]  # type: ignore[return-value]
        text = path.read_text(encoding="ascii")
        source = str(path)
        _cache["stamp"] = stamp
    if _cache.get("text") != text:
        _cache["text"], _cache["ring"] = text, _parse(text, source)
    return _cache["ring"]  # type: ignore[return-value]


def forget_keys() -> None:
    _cache.clear()


def encrypt(plaintext: str, context: str) -> str:
    kid, key = keyring()[0]
    nonce = os.urandom(12)
    sealed = AESGCM(key).encrypt(nonce, plaintext.encode("utf-8"), context.encode("utf-8"))
    return f"{PREFIX}{kid}:{base64.b64encode(nonce + sealed).decode('ascii')}"


def decrypt(stored: str, context: str) -> str:
    if not stored.startswith(PREFIX):
        return stored  # written before the field was encrypted; `aigaq keys rotate` encrypts it
    kid, _, b64 = stored[len(PREFIX):].partition(":")
    key = dict(keyring()).get(kid)
    if key is None:
        raise MissingKey(f"field encrypted with key {kid!r}, which is not in the keyring "
                        f"({field_key_path()} or AIGAQ_FIELD_KEY): restore that key")
    raw = base64.b64decode(b64)
    return AESGCM(key).decrypt(raw[:12], raw[12:], context.encode("utf-8")).decode("utf-8")


def key_id_of(stored: str | None) -> str | None:
    if not stored or not stored.startswith(PREFIX):
        return None
    return stored[len(PREFIX):].partition(":")[0]


class EncryptedTextField(models.TextField):
    """A TextField stored encrypted. Filter, order and search on it do not work, by design."""

    def _context(self) -> str:
        return f"{self.model._meta.label_lower}.{self.name}"

    def from_db_value(self, value, expression, connection):
        if value is None:
            return value
        return decrypt(value, self._context())

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None:
            return value
        return encrypt(str(value), self._context())



def encrypted_fields() -> list[tuple[type[models.Model], list[str]]]:
    """Every model with encrypted fields, and their names (for rotation and tests)."""
    from django.apps import apps

    found = []
    for model in apps.get_models():
        names = [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
        if names:
            found.append((model, names))
    return found
