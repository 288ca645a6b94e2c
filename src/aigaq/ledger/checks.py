"""`aigaq verify` checks for the ledger: the hash chain, the Merkle tree against every signed
checkpoint, and the head row."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator

from aigaq.core.verify import Problem, VerifyContext, register
from aigaq.ledger import proofs
from aigaq.ledger.log import GENESIS
from aigaq.ledger.models import Checkpoint, Entry, Head


def _entry_problems(entry: Entry, expected_seq: int, prev: str) -> Iterator[Problem]:
    label = f"ledger entry #{entry.seq}"
    try:
        body = json.loads(entry.body)
    except ValueError:
        yield Problem(label, entry.subject, "its stored body is not valid JSON")
        return
    if entry.seq != expected_seq:
        yield Problem(label, entry.subject, f"out of sequence: expected #{expected_seq} here (entries missing or reordered)")
    if proofs.leaf_hash(entry.body.encode("utf-8")).hex() != entry.leaf_hash:
        yield Problem(label, body.get("subject", entry.subject), "its content does not match its hash (entry edited)")
    if body.get("seq") != entry.seq or body.get("kind") != entry.kind or body.get("subject") != entry.subject:
        yield Problem(label, entry.subject, "its columns do not match its signed body (entry edited or moved)")
    if body.get("prev") != entry.prev_hash or entry.prev_hash != prev:
        yield Problem(label, entry.subject, "hash chain broken: it does not link to the entry before it")


RETIRED_KEYS_FILE = "retired-instance-keys.txt"


def trusted_keys() -> tuple[set[str], str | None]:
    """The public keys (base64, raw Ed25519) whose checkpoint signatures count: the instance
    key's, and those listed one per line in KEYS_DIR/retired-instance-keys.txt (keys this
    instance used before; '#' starts a comment). Never the key stored beside a checkpoint: whoever
    can rewrite the database can store a key of their own there. Returns (keys, why the instance
    key could not be read, or None). Reading never creates a key."""
    from django.conf import settings

    from aigaq.core.keys import instance_key_path, public_key_bytes

    keys: set[str] = set()
    problem = None
    path = instance_key_path()
    if not path.exists():
        problem = f"the instance key {path} is missing: checkpoint signatures cannot be checked against it"
    else:
        try:
            from cryptography.hazmat.primitives import serialization

            private = serialization.load_pem_private_key(path.read_bytes(), password=None)
            keys.add(base64.b64encode(public_key_bytes(private.public_key())).decode("ascii"))
        except (OSError, ValueError, TypeError) as exc:
            problem = f"the instance key {path} cannot be read ({exc})"
    try:
        text = (settings.KEYS_DIR / RETIRED_KEYS_FILE).read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            keys.add(line)
    return keys, problem


def _shown_key(b64: str) -> str:
    from aigaq.core.keys import fingerprint

    try:
        return "fingerprint " + fingerprint(base64.b64decode(b64, validate=True))
    except ValueError:
        return "not a valid key"


@register("ledger")
def check_ledger(ctx: VerifyContext) -> Iterator[Problem]:
    checkpoints = list(Checkpoint.objects.order_by("size", "id"))
    trusted, key_problem = trusted_keys() if checkpoints else (set(), None)
    if key_problem:
        yield Problem("instance key", "", key_problem)
    total = Entry.objects.count()
    tree = proofs.TreeBuilder()
    prev, expected = GENESIS, 0
    cp_index = 0

    def check_checkpoints_at(size: int) -> Iterator[Problem]:
        nonlocal cp_index
        while cp_index < len(checkpoints) and checkpoints[cp_index].size == size:
            cp = checkpoints[cp_index]
            cp_index += 1
            if tree.root().hex() != cp.root:
                yield Problem(f"checkpoint of size {cp.size}", "", "the ledger no longer has the tree root that was signed (entries edited, removed or reordered)")

    yield from check_checkpoints_at(0)
    for entry in Entry.objects.order_by("seq", "id").iterator(chunk_size=5000):
        yield from _entry_problems(entry, expected, prev)
        # The stored leaf hash is what the checkpoints signed; tree checks use it as stored.
        tree.add(bytes.fromhex(entry.leaf_hash) if len(entry.leaf_hash) == 64 else b"")
        prev, expected = entry.leaf_hash, expected + 1
        yield from check_checkpoints_at(tree.size)
        if expected % 10000 == 0:
            ctx.progress("ledger", expected, total)
    ctx.progress("ledger", expected, total)
    for cp in checkpoints[cp_index:]:
        yield Problem(f"checkpoint of size {cp.size}", "", f"the ledger has only {tree.size} entries: signed entries were removed")
    for cp in checkpoints:
        try:
            origin, size, root, _ = proofs.parse_checkpoint(cp.text)
        except ValueError:
            yield Problem(f"checkpoint of size {cp.size}", "", "its signed text is malformed")
            continue
        if size != cp.size or root.hex() != cp.root:
            yield Problem(f"checkpoint of size {cp.size}", "", "its columns do not match its signed text")
        if key_problem is None and cp.public_key not in trusted:
            yield Problem(f"checkpoint of size {cp.size}", "", "it is signed by a key that is not this instance's "
                          f"({_shown_key(cp.public_key)}): forged, or signed by a key not listed in "
                          f"{RETIRED_KEYS_FILE}")
        elif not proofs.verify_signature(cp.text, cp.signature, cp.public_key):
            yield Problem(f"checkpoint of size {cp.size}", "", "its signature is not valid")
    head = Head.objects.filter(pk=1).first()
    if head is not None and (head.size != tree.size or head.last_hash != prev):
        yield Problem("ledger head", "", f"the head says {head.size} entries ending in {head.last_hash[:16]}, the log has {tree.size} ending in {prev[:16]} (last entries removed or added outside the ledger)")
    if checkpoints:
        ctx.notes.append(f"ledger: {tree.size} entries, {len(checkpoints)} signed checkpoints, latest at size {checkpoints[-1].size}")
