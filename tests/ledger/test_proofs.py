"""The Merkle tree and its proofs (RFC 9162 / 6962), checked against the RFC's own definition."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from aigaq.ledger import proofs

PROOFS_FILE = Path(proofs.__file__)


def reference_mth(entries: list[bytes]) -> bytes:
    """RFC 6962 §2.1, written as literally as possible."""
    n = len(entries)
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return hashlib.sha256(b"\x00" + entries[0]).digest()
    k = 1
    while k * 2 < n:
        k *= 2
    return hashlib.sha256(b"\x01" + reference_mth(entries[:k]) + reference_mth(entries[k:])).digest()


# Inputs and roots from the RFC 6962 reference implementation's test vectors.
CT_INPUTS = [bytes.fromhex(h) for h in ["", "00", "10", "2021", "3031", "40414243", "5051525354555657",
                                        "606162636465666768696a6b6c6d6e6f"]]
CT_ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]


def test_roots_match_the_rfc_test_vectors():
    for n in range(1, 9):
        leaves = [proofs.leaf_hash(e) for e in CT_INPUTS[:n]]
        assert proofs.tree_root(leaves).hex() == CT_ROOTS[n - 1]
    assert proofs.tree_root([]) == hashlib.sha256(b"").digest()


def test_streamed_root_equals_the_rfc_definition_for_every_size():
    entries = [os.urandom(8) for _ in range(70)]
    builder = proofs.TreeBuilder()
    for n, e in enumerate(entries, 1):
        builder.add(proofs.leaf_hash(e))
        assert builder.root() == reference_mth(entries[:n])


def test_every_inclusion_proof_verifies_and_a_wrong_one_does_not():
    for n in range(1, 34):
        leaves = [proofs.leaf_hash(bytes([i])) for i in range(n)]
        root = proofs.tree_root(leaves)
        for i in range(n):
            path = proofs.inclusion_proof(i, leaves)
            assert proofs.verify_inclusion(leaves[i], i, n, path, root)
            assert not proofs.verify_inclusion(proofs.leaf_hash(b"forged"), i, n, path, root)
            assert not proofs.verify_inclusion(leaves[i], (i + 1) % n, n, path, root) or n == 1 and i == 0
            if path:
                bad = list(path)
                bad[-1] = bytes(32)
                assert not proofs.verify_inclusion(leaves[i], i, n, bad, root)
        assert not proofs.verify_inclusion(leaves[0], n, n, [], root)


def test_every_consistency_proof_verifies_and_a_rewritten_history_does_not():
    for n in range(1, 34):
        leaves = [proofs.leaf_hash(bytes([i])) for i in range(n)]
        root_n = proofs.tree_root(leaves)
        for m in range(1, n + 1):
            root_m = proofs.tree_root(leaves[:m])
            path = proofs.consistency_proof(m, leaves)
            assert proofs.verify_consistency(m, n, root_m, root_n, path), (m, n)
            if m < n:
                rewritten = proofs.tree_root([proofs.leaf_hash(b"x"), *leaves[1:m]])
                assert not proofs.verify_consistency(m, n, rewritten, root_n, path)
                assert not proofs.verify_consistency(m, n, root_m, bytes(32), path)


def test_checkpoint_signature_is_checked():
    import base64

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    key = Ed25519PrivateKey.generate()
    pub = base64.b64encode(key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)).decode()
    text = proofs.checkpoint_text("aigaq-ledger/test", 3, bytes(32), "2026-01-01T00:00:00+00:00")
    sig = base64.b64encode(key.sign(text.encode())).decode()
    assert proofs.verify_signature(text, sig, pub)
    assert not proofs.verify_signature(text.replace("\n3\n", "\n4\n"), sig, pub)
    assert proofs.parse_checkpoint(text)[1] == 3
    with pytest.raises(ValueError):
        proofs.parse_checkpoint("garbage")


def test_proofs_module_runs_alone_without_django(tmp_path):
    """A court expert copies one file and runs it: no Django, no Aigaq package."""
    copy = tmp_path / "proofs.py"
    copy.write_bytes(PROOFS_FILE.read_bytes())
    code = (
        "import sys; sys.path.insert(0, '.'); import proofs\n"
        "leaves=[proofs.leaf_hash(bytes([i])) for i in range(5)]\n"
        "r=proofs.tree_root(leaves)\n"
        "assert proofs.verify_inclusion(leaves[3],3,5,proofs.inclusion_proof(3,leaves),r)\n"
        "assert 'django' not in sys.modules and 'aigaq' not in sys.modules, sorted(sys.modules)\n"
        "print('alone')\n"
    )
    out = subprocess.run([sys.executable, "-I", "-c", code], cwd=tmp_path, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "alone"


def test_importing_the_package_module_pulls_in_no_django():
    code = "import sys, aigaq.ledger.proofs; print('django' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"})
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"
