"""Check an Aigaq mirror against its signed manifest. Standard library + `cryptography` only.

A mirror operator, a journalist or a court's expert can run this without installing Aigaq:

    python -m aigaq.publish.verify_mirror ./mirror --key BASE64_PUBLIC_KEY
    python verify_mirror.py https://example.org/aigaq/ --key key.txt

Exit status: 0 the mirror is intact; 1 it is not (every altered, missing or extra file and a bad
signature are named); 2 the check could not run (no manifest, unreachable URL, bad key).

Without --key the mirror's own `pubkey` file is used: that proves the files are as signed, not
who signed them. Compare the printed fingerprint with one obtained from the publisher directly.
Over http(s) extra files cannot be seen (a web server does not list its folders); only the
manifest's files are checked.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

CONTROL_FILES = ("manifest.json", "manifest.sig", "pubkey", "checkpoint.json")
TIMEOUT = 30


class CannotVerify(Exception):
    pass


def fingerprint(raw: bytes) -> str:
    digest = hashlib.sha256(raw).hexdigest()
    return " ".join(digest[i : i + 4] for i in range(0, 32, 4))


def parse_key(value: str) -> bytes:
    text = value.strip()
    path = Path(text)
    if len(text) < 200 and path.is_file():
        text = path.read_text(encoding="ascii").strip()
    try:
        raw = base64.b64decode(text, validate=True)
    except ValueError:
        raise CannotVerify(f"--key: not base64 and not a readable file: {value!r}") from None
    if len(raw) != 32:
        raise CannotVerify(f"--key: an Ed25519 public key is 32 bytes, this is {len(raw)}")
    return raw


class Source:
    """A mirror in a folder or at a URL."""

    def __init__(self, target: str):
        self.is_url = target.startswith(("http://", "https://"))
        self.base = target.rstrip("/") + "/" if self.is_url else target
        self.root = None if self.is_url else Path(target)
        if self.root is not None and not self.root.is_dir():
            raise CannotVerify(f"{target}: no such folder")

    def read(self, rel: str) -> bytes | None:
        if self.root is not None:
            try:
                return (self.root / rel).read_bytes()
            except FileNotFoundError:
                return None
        url = self.base + urllib.parse.quote(rel)
        try:
            with urllib.request.urlopen(url, timeout=TIMEOUT) as resp:  # noqa: S310 (http(s) only, checked above)
                return resp.read()
        except urllib.error.HTTPError as exc:
            if exc.code in (403, 404, 410):
                return None
            raise CannotVerify(f"{url}: HTTP {exc.code}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise CannotVerify(f"{url}: {getattr(exc, 'reason', exc)}") from None

    def listing(self) -> set[str] | None:
        if self.root is None:
            return None
        return {p.relative_to(self.root).as_posix() for p in self.root.rglob("*") if p.is_file()}


def verify(target: str, key: str | None = None) -> dict:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    src = Source(target)
    manifest_bytes = src.read("manifest.json")
    if manifest_bytes is None:
        raise CannotVerify(f"{target}: no manifest.json: not an Aigaq mirror")
    try:
        manifest = json.loads(manifest_bytes)
        files = manifest["files"]
    except (ValueError, KeyError, TypeError):
        raise CannotVerify(f"{target}: manifest.json is not a mirror manifest") from None
    problems: list[str] = []
    warnings: list[str] = []
    if key:
        raw_key = parse_key(key)
    else:
        own = src.read("pubkey")
        if own is None:
            raise CannotVerify(f"{target}: no --key given and the mirror has no pubkey file")
        raw_key = parse_key(own.decode("ascii", "replace"))
        warnings.append("no --key given: the mirror's own pubkey was used, which proves integrity, not origin; "
                        "compare the fingerprint with the publisher's")
    sig = src.read("manifest.sig")
    try:
        signature = base64.b64decode((sig or b"").strip(), validate=True)
        Ed25519PublicKey.from_public_bytes(raw_key).verify(signature, manifest_bytes)
        signed = True
    except (InvalidSignature, ValueError):
        signed = False
        problems.append("bad signature: manifest.sig does not verify manifest.json with the key"
                        if sig is not None else "missing: manifest.sig")
    if manifest.get("public_key") and base64.b64decode(manifest["public_key"]) != raw_key:
        problems.append("manifest.json names a different public key than the one checked against")
    cp = manifest.get("checkpoint")
    cp_file = src.read("checkpoint.json")
    if cp is not None and (cp_file is None or json.loads(cp_file) != cp):
        problems.append("altered: checkpoint.json differs from the checkpoint in the signed manifest")
    listed = set()
    for entry in files:
        rel = entry["path"]
        listed.add(rel)
        data = src.read(rel)
        if data is None:
            problems.append(f"missing: {rel}")
        elif len(data) != entry["size"] or hashlib.sha256(data).hexdigest() != entry["sha256"]:
            problems.append(f"altered: {rel}")
    present = src.listing()
    if present is None:
        warnings.append("a URL cannot be listed: extra files, if any, are not detected")
    else:
        for rel in sorted(present - listed - set(CONTROL_FILES)):
            problems.append(f"extra: {rel}")
    return {
        "target": target, "ok": not problems, "signature_valid": signed, "files": len(files),
        "fingerprint": fingerprint(raw_key), "checkpoint": cp, "problems": problems, "warnings": warnings,
    }


def main(argv: list[str] | None = None, stdout=None, stderr=None) -> int:
    stdout, stderr = stdout or sys.stdout, stderr or sys.stderr
    parser = argparse.ArgumentParser(prog="mirror-verify", description=__doc__.split("\n\n")[0])
    parser.add_argument("target", help="mirror folder or http(s) URL")
    parser.add_argument("--key", help="expected Ed25519 public key: base64, or a file holding it")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    try:
        result = verify(args.target, args.key)
    except CannotVerify as exc:
        stderr.write(f"mirror-verify: cannot check: {exc}\n")
        return 2
    if args.json:
        stdout.write(json.dumps(result, ensure_ascii=False, sort_keys=True) + "\n")
    else:
        for w in result["warnings"]:
            stderr.write(f"warning: {w}\n")
        for p in result["problems"]:
            stdout.write(f"{p}\n")
        state = "intact" if result["ok"] else f"NOT intact ({len(result['problems'])} problems)"
        stdout.write(f"{args.target}: {state}; {result['files']} files; key fingerprint {result['fingerprint']}\n")
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
