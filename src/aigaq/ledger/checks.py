"""`aigaq verify` checks for the ledger: the hash chain, the Merkle tree against every signed
checkpoint, and the head row."""

from __future__ import annotations

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


@register("ledger")
def check_ledger(ctx: VerifyContext) -> Iterator[Problem]:
    checkpoints = list(Checkpoint.objects.order_by("size", "id"))
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
        if not proofs.verify_signature(cp.text, cp.signature, cp.public_key):
            yield Problem(f"checkpoint of size {cp.size}", "", "its signature is not valid")
    head = Head.objects.filter(pk=1).first()
    if head is not None and (head.size != tree.size or head.last_hash != prev):
        yield Problem("ledger head", "", f"the head says {head.size} entries ending in {head.last_hash[:16]}, the log has {tree.size} ending in {prev[:16]} (last entries removed or added outside the ledger)")
    if checkpoints:
        ctx.notes.append(f"ledger: {tree.size} entries, {len(checkpoints)} signed checkpoints, latest at size {checkpoints[-1].size}")
