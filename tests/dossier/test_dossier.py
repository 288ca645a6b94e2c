"""Case dossiers: what a public person's dossier holds, what an anonymised one never holds."""

from __future__ import annotations

import pytest
from dossier_helpers import NAMES, pdf_text

pytestmark = pytest.mark.django_db


def _both(pk: int, **kw) -> dict[str, str]:
    from aigaq.dossier.render import make

    pdf, _, ctype = make([pk], fmt="pdf", **kw)
    assert ctype == "application/pdf" and pdf.startswith(b"%PDF")
    html, _, _ = make([pk], fmt="html", **kw)
    return {"pdf": pdf_text(pdf), "html": html.decode("utf-8")}


def test_public_person_dossier_has_names_in_all_scripts_timeline_status_evidence_and_proofs(case):
    from aigaq.dossier.fonts import fonts
    from aigaq.ledger.models import Checkpoint

    out = _both(case["person"].pk)
    cp = Checkpoint.objects.order_by("-size").first()
    for where, text in out.items():
        for script in ("Latn", "Cyrl", "Arab"):
            assert NAMES[script] in text, (where, script)
        if fonts().cjk is not None or where == "html":
            assert NAMES["Hans"] in text, where
        assert "2017-11-02" in text and "Detained in a camp" in text and "Facility Alpha Public" in text
        assert "Status" in text and "Detained" in text
        assert case["doc"].sha256 in text and case["photo"].sha256 in text
        assert cp.root in text and cp.signature in text and cp.public_key in text
        assert "PublicOKSUMMARY" in text and "PublicOKTRANSLATION" in text  # the public testimony
        assert "verify_inclusion" in text  # how to check the proofs
    # The photo of a public person is embedded in the HTML.
    assert 'class="photo" src="data:image/jpeg;base64,' in out["html"]  # its thumbnail


def test_the_proofs_in_the_dossier_verify_with_the_standalone_checker(case):
    from aigaq.dossier.data import build
    from aigaq.ledger import proofs

    d = build([case["person"].pk])
    rows = d.persons[0].evidence
    assert {r.sha256 for r in rows} == {case["doc"].sha256, case["photo"].sha256}
    for r in rows:
        p = r.proof
        assert proofs.verify_inclusion(bytes.fromhex(p.leaf_hash), p.leaf_index, p.tree_size,
                                       [bytes.fromhex(h) for h in p.path], bytes.fromhex(p.root))
        assert p.entry == ""  # external: the entry (staff names, file names) is withheld
    cp = d.checkpoint
    assert proofs.verify_signature(cp["text"], cp["signature"], cp["public_key"])
    assert proofs.parse_checkpoint(cp["text"])[1] == rows[0].proof.tree_size
    # A tampered leaf does not verify: the check above can fail.
    p = rows[0].proof
    assert not proofs.verify_inclusion(bytes(32), p.leaf_index, p.tree_size,
                                       [bytes.fromhex(h) for h in p.path], bytes.fromhex(p.root))


def test_the_proof_builder_agrees_with_the_ledger_for_every_leaf_and_size():
    from aigaq.dossier.data import _Tree
    from aigaq.ledger import proofs

    for n in (1, 2, 3, 5, 8, 33, 70, 129):
        leaves = [proofs.leaf_hash(str(i).encode()) for i in range(n)]
        tree = _Tree(leaves)
        for i in range(n):
            assert tree.path(i) == proofs.inclusion_proof(i, leaves), (n, i)


@pytest.mark.parametrize("lang", ["en", "ru", "kk", "zh"])
def test_anonymised_person_dossier_holds_no_sentinel_in_any_language(case, no_leak, lang):
    rec = case["rec"]
    out = _both(case["anon"].pk, language=lang)
    no_leak({f"{lang} {k}": v for k, v in out.items()}, rec, check_required=False)
    for text in out.values():
        assert "S. S." in text  # initials
        assert "2018" in text  # the year of the event, nothing finer
        assert "Kashgar" in text or "喀什" in text or "Қашқар" in text or "Кашгар" in text  # the prefecture
        assert case["anon_item"].sha256 not in text and case["doc"].sha256 not in text


def test_anonymised_person_dossier_counts_evidence_but_withholds_fingerprints(case):
    from aigaq.dossier.data import build

    p = build([case["anon"].pk]).persons[0]
    assert p.evidence == [] and p.photo is None and p.names == []
    assert p.evidence_note.startswith("1 evidence item")


def test_public_person_dossier_holds_no_sentinel_either(case, no_leak):
    out = _both(case["person"].pk)
    no_leak(out, case["rec"], check_required=False)
    assert "SENTINELHIDDENFILE" not in out["html"]


def test_internal_person_is_refused_an_external_dossier(case):
    from aigaq.dossier.data import DossierRefused, build
    from aigaq.registry.models import Person

    for uid in (case["rec"].internal_uid, case["rec"].merged_uid):
        with pytest.raises(DossierRefused, match="not published"):
            build([Person.objects.get(uid=uid).pk])


def test_internal_dossier_has_the_record_but_contacts_only_for_who_may_see_them(case, alice, wendy):
    from aigaq.dossier.data import INTERNAL, build
    from aigaq.dossier.render import dossier_html
    from aigaq.registry.models import Person

    internal = Person.objects.get(uid=case["rec"].internal_uid)
    html = dossier_html(build([internal.pk], audience=INTERNAL, user=wendy))
    assert "SENTINELINTERNALNAME" in html and "not for distribution" in html
    viewer = dossier_html(build([case["person"].pk], audience=INTERNAL, user=wendy))
    assert "SENTINELANONWITTITLE" in viewer  # the internal dossier has every testimony
    assert "SENTINELW2CONTACT" not in viewer and "SENTINELPUBNOTES" not in viewer
    admin = dossier_html(build([case["person"].pk], audience=INTERNAL, user=alice))
    assert "SENTINELW2CONTACT" in admin and "SENTINELPUBNOTES" in admin
    assert "&quot;kind&quot;:&quot;ingested&quot;" in admin  # the ledger entry itself, for a full proof


def test_dossier_labels_are_translated(case):
    out = {lang: _both(case["person"].pk, language=lang)["html"] for lang in ("ru", "kk", "zh")}
    assert "Хронология" in out["ru"] and "Досье дела" in out["ru"]
    assert "Хронология" in out["kk"] and "Іс құжаттамасы" in out["kk"]  # the staff UI's word wins
    assert "时间线" in out["zh"] and "案件档案" in out["zh"]


def test_without_a_chinese_font_the_pdf_still_renders_and_says_so(case, monkeypatch):
    import dataclasses

    from aigaq.dossier import fonts as fonts_mod
    from aigaq.dossier import pdf as pdf_mod
    from aigaq.dossier.render import make

    without = dataclasses.replace(fonts_mod.fonts(), cjk=None, cjk_full=None)
    monkeypatch.setattr(pdf_mod, "fonts", lambda: without)
    pdf, _, _ = make([case["person"].pk])
    text = pdf_text(pdf)
    assert "No Chinese font was found" in text and NAMES["Cyrl"] in text


def test_cjk_font_is_found_here_and_in_ci():
    """CI installs fonts-wqy-microhei (.ci/run): the Chinese assertions above must not be skipped."""
    import os

    from aigaq.dossier.fonts import fonts

    if os.environ.get("CI") or os.path.exists("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"):
        assert fonts().cjk is not None


def test_dossier_export_is_audited(case, erin):
    from aigaq.audit.models import AuditEntry
    from aigaq.dossier.render import make

    make([case["person"].pk], fmt="html", user=erin)
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry.action == "export" and entry.object_id == str(case["person"].pk)
    assert entry.changes["what"] == "dossier" and entry.actor == "erin"
