"""Longer texts of the dossier, shared by the HTML and PDF forms (translated in locale/)."""

from __future__ import annotations

from django.utils.translation import gettext as _


def title(internal: bool) -> str:
    return _("Case dossier — internal, not for distribution") if internal else _("Case dossier")


def verification(internal: bool) -> list[str]:
    """How a reader checks the evidence list, with nothing but Python (docs/vault.md)."""
    lines = [
        _("Each evidence item is identified by the SHA-256 fingerprint of its file. The custody "
          "ledger of this instance is an append-only Merkle tree (RFC 9162); the proof under each item "
          "shows that the item's first custody entry (its intake) is leaf number N of the tree whose "
          "root and size are given, and that tree was signed with the instance's Ed25519 key (the "
          "signed checkpoint below)."),
        _("To verify: take src/aigaq/ledger/proofs.py from the Aigaq source (it needs only Python and, "
          "for the signature, the cryptography package) and call verify_inclusion(leaf_hash, "
          "leaf_index, tree_size, audit_path, root) with the values below (hex to bytes); then check "
          "the checkpoint signature with verify_signature(text, signature, public_key), and compare the "
          "public key with the one the group publishes."),
    ]
    if internal:
        lines.append(_("The ledger entry printed with each item hashes to its leaf hash; its body names "
                       "the file's SHA-256. A full proof bundle for proofs.py: aigaq ledger prove SHA256."))
    else:
        lines.append(_("The ledger entries themselves are withheld from this dossier (they can name the "
                       "staff member who recorded the file); the group can provide them to an "
                       "investigating body, and with them the complete proof bundle."))
    return lines


def cjk_missing() -> str:
    return _("No Chinese font was found on the computer that made this PDF, so names in Chinese "
             "characters could not be drawn. Install fonts-wqy-microhei or fonts-noto-cjk and make it again.")
