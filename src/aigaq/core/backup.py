"""Encrypted backups of an instance: the database, the vault and the keys, as one age archive.

Archive = age( tar( manifest.json, database/aigaq.sqlite3, files/<everything else in the data
folder> ) ). The manifest lists the SHA-256 and size of every member; restore checks them all
before it puts anything in place. The keys (field key, instance key, audit key, secret key) are
in the archive: without them a restore could not decrypt witness contact details or prove the
ledger. Keys given by environment variables are NOT in it, and `aigaq backup` says so.

Encryption is age (pyrage, bindings to the Rust implementation): to recipients (`age1…` keys;
streamed), or with a passphrase (scrypt; the archive is held in memory while it is encrypted).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
from collections.abc import Callable
from pathlib import Path

import pyrage
from django.conf import settings
from django.db import connection

FORMAT = "aigaq-backup/1"
SKIP_DIRS = {"static", "tmp", ".tmp"}
ENV_KEYS = ("AIGAQ_FIELD_KEY", "AIGAQ_FIELD_KEY_FILE", "AIGAQ_AUDIT_KEY", "AIGAQ_SECRET_KEY",
            "AIGAQ_INSTANCE_KEY_FILE")


class BackupError(Exception):
    pass


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _db_name() -> Path:
    return Path(settings.DATABASES["default"]["NAME"])


def snapshot_database(target: Path) -> None:
    """A consistent copy of the SQLite database, taken with SQLite's online backup API."""
    if connection.vendor != "sqlite":
        raise BackupError("backups of a PostgreSQL instance are not supported by `aigaq backup`: "
                          "use pg_dump for the database and back up the data folder yourself")
    src = sqlite3.connect(f"file:{_db_name()}?mode=ro", uri=True, timeout=30)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def _data_files(data: Path) -> list[Path]:
    db = _db_name()
    skip = {db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm"), db.with_name(db.name + "-journal")}
    found = []
    for root, dirs, files in os.walk(data):
        rel_root = Path(root).relative_to(data)
        dirs[:] = sorted(d for d in dirs if not (rel_root == Path(".") and d in SKIP_DIRS))
        for name in sorted(files):
            p = Path(root) / name
            if p not in skip and p.is_file() and not p.is_symlink():
                found.append(p)
    return found


def env_keys_outside() -> list[str]:
    return [name for name in ENV_KEYS if os.environ.get(name)]


def write_backup(out: Path, *, passphrase: str | None = None, recipients: list[str] | None = None,
                 say: Callable[[str], None] = print) -> dict:
    """Write the encrypted archive to `out` (atomically). Returns the manifest."""
    if bool(passphrase) == bool(recipients):
        raise BackupError("give either a passphrase or age recipients")
    try:
        parsed = [pyrage.x25519.Recipient.from_str(r) for r in recipients or []]
    except pyrage.RecipientError as exc:
        raise BackupError(f"not an age recipient: {exc}") from None
    data = settings.DATA_DIR
    out = out.resolve()
    with tempfile.TemporaryDirectory(prefix=".aigaq-backup-", dir=out.parent) as tmp:
        tmpdir = Path(tmp)
        db_copy = tmpdir / "aigaq.sqlite3"
        snapshot_database(db_copy)  # first: every vault file its rows name already exists
        members: list[tuple[str, Path]] = [("database/aigaq.sqlite3", db_copy)]
        members += [(f"files/{p.relative_to(data).as_posix()}", p) for p in _data_files(data)]
        manifest = {"format": FORMAT, "members": {}}
        for name, path in members:
            manifest["members"][name] = {"sha256": _sha256(path), "size": path.stat().st_size}
        tar_path = tmpdir / "backup.tar"
        with tarfile.open(tar_path, "w") as tar:
            blob = json.dumps(manifest, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(blob)
            tar.addfile(info, io.BytesIO(blob))
            for name, path in members:
                tar.add(path, arcname=name, recursive=False)
        enc = tmpdir / "backup.age"
        if passphrase:
            enc.write_bytes(pyrage.passphrase.encrypt(tar_path.read_bytes(), passphrase))
        else:
            with tar_path.open("rb") as src, enc.open("wb") as dst:
                pyrage.encrypt_io(src, dst, parsed)
        with enc.open("rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(enc, out)
    return manifest


def _decrypt(archive: Path, dest: Path, passphrase: str | None, identities: list[str]) -> None:
    try:
        if passphrase:
            dest.write_bytes(pyrage.passphrase.decrypt(archive.read_bytes(), passphrase))
        else:
            ids = [pyrage.x25519.Identity.from_str(line.strip()) for line in identities
                   if line.strip() and not line.startswith("#")]
            if not ids:
                raise BackupError("the identity file holds no age identity (AGE-SECRET-KEY-1…)")
            with archive.open("rb") as src, dest.open("wb") as dst:
                pyrage.decrypt_io(src, dst, ids)
    except (pyrage.DecryptError, pyrage.IdentityError) as exc:
        raise BackupError(f"{archive}: cannot decrypt it (wrong passphrase or identity, or the file "
                          f"is damaged): {exc}") from None


def _safe_member(name: str) -> bool:
    p = Path(name)
    return not p.is_absolute() and ".." not in p.parts


def _is_empty(target: Path) -> bool:
    """No file in it, but for the secret key that loading the settings creates in a new folder."""
    if not target.exists():
        return True
    files = [p.relative_to(target).as_posix() for p in target.rglob("*") if not p.is_dir()]
    return files in ([], ["keys/django-secret"])


def restore_backup(archive: Path, target: Path, *, passphrase: str | None = None,
                   identities: list[str] | None = None) -> dict:
    """Check the archive completely, then put it in place as the data folder `target`.

    `target` must not exist or be empty. Nothing is written there unless every member of the
    archive is present and matches the manifest.
    """
    target = target.resolve()
    if not _is_empty(target):
        raise BackupError(f"{target} is not empty: restore only into an empty (or new) data folder")
    if not archive.is_file():
        raise BackupError(f"{archive}: no such file")
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".aigaq-restore-", dir=target.parent) as tmp:
        tmpdir = Path(tmp)
        tar_path = tmpdir / "backup.tar"
        _decrypt(archive, tar_path, passphrase, identities or [])
        staged = tmpdir / "data"
        staged.mkdir(mode=0o700)
        try:
            with tarfile.open(tar_path, "r:") as tar:
                manifest_member = tar.getmember("manifest.json")
                manifest = json.load(tar.extractfile(manifest_member))
                if manifest.get("format") != FORMAT:
                    raise BackupError(f"{archive}: not an Aigaq backup ({manifest.get('format')!r})")
                names = {m.name for m in tar.getmembers() if m.name != "manifest.json"}
                expected = set(manifest["members"])
                if names != expected:
                    raise BackupError(f"{archive}: members differ from its manifest "
                                      f"(missing {sorted(expected - names)[:3]}, extra {sorted(names - expected)[:3]})")
                for member in tar.getmembers():
                    if member.name == "manifest.json":
                        continue
                    if not member.isfile() or not _safe_member(member.name):
                        raise BackupError(f"{archive}: unexpected member {member.name!r}")
                    rel = Path(member.name)
                    dest = staged / ("aigaq.sqlite3" if rel.parts[0] == "database" else Path(*rel.parts[1:]))
                    dest.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                    with tar.extractfile(member) as src, dest.open("wb") as dst:
                        shutil.copyfileobj(src, dst)
                    want = manifest["members"][member.name]
                    if _sha256(dest) != want["sha256"]:
                        raise BackupError(f"{archive}: {member.name} does not match its checksum")
                    if rel.parts[:2] == ("files", "keys"):
                        dest.chmod(0o600)
        except (tarfile.TarError, KeyError, ValueError, OSError) as exc:
            raise BackupError(f"{archive}: the archive is damaged ({exc})") from None
        if target.exists():
            shutil.rmtree(target)  # empty but for a fresh secret key, checked above
        os.replace(staged, target)
    return manifest
