"""A case dossier as plain data, built once and drawn as HTML and PDF.

Two audiences:

- external (the default): for the UN, embassies, journalists. Every value about the person comes
  from `aigaq.publish.policy.public_person()`, the one redaction policy, so an anonymised person
  appears with initials, prefecture and years, and an internal person is refused. Evidence is
  listed without file names, sources or the ledger entry's body (they can name a witness or a
  staff member); for anonymised persons only the number of items is given, because a SHA-256
  lets anyone who holds the same file (a video posted online) tie it to the person.
- internal: the group's own case work. The full record; witness contact details, addresses
  and internal notes only when the user may see them (accounts.policy.can_view_contact), and
  each such view is written to the audit log.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from aigaq.registry import choices
from aigaq.registry.choices import Publication

LANGUAGES = ("en", "ru", "kk", "zh")
DJANGO_LANGUAGE = {"en": "en", "ru": "ru", "kk": "kk", "zh": "zh-hans"}
EXTERNAL, INTERNAL = "external", "internal"


class DossierRefused(Exception):
    """The dossier cannot be made for this person and audience (a reason a person can act on)."""


@dataclass
class Proof:
    leaf_index: int
    leaf_hash: str
    tree_size: int
    root: str
    path: list[str]
    entry: str = ""  # the ledger entry's exact body: internal dossiers only


@dataclass
class EvidenceRow:
    sha256: str
    media_type: str
    size: int
    recorded: str
    filename: str = ""  # internal only
    source: str = ""  # internal only
    proof: Proof | None = None


@dataclass
class PersonDossier:
    uid: str
    pk: int
    display_name: str
    level: str
    level_label: str
    status: str
    status_since: str
    names: list[tuple[str, str, str]]  # (text, script label, kind label)
    facts: list[tuple[str, str]]
    events: list[dict]
    testimonies: list[dict]
    testimony_note: str
    evidence: list[EvidenceRow]
    evidence_note: str = ""
    photo: tuple[bytes, str] | None = None  # (bytes, media type)
    notes: str = ""  # internal notes, internal dossiers of users who may see them


@dataclass
class Dossier:
    audience: str
    language: str
    generated_at: str
    persons: list[PersonDossier]
    checkpoint: dict | None = None
    generated_by: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def internal(self) -> bool:
        return self.audience == INTERNAL


def _label(enum, code) -> str:
    try:
        return str(enum(code).label)
    except ValueError:
        return str(code or "")


def _months(n: int | None) -> str:
    return ngettext("%(n)d month", "%(n)d months", n) % {"n": n} if n else ""


def build(person_ids: list[int], *, language: str = "en", audience: str = EXTERNAL, user=None) -> Dossier:
    """The dossier of these persons (in this order). Raises DossierRefused for a person who may not
    be in it (not found; not published, for an external dossier)."""
    if language not in LANGUAGES:
        raise DossierRefused(f"language {language!r}: choose one of {', '.join(LANGUAGES)}")
    if audience not in (EXTERNAL, INTERNAL):
        raise DossierRefused(f"audience {audience!r}: external or internal")
    from aigaq.registry.models import Person

    found = set(Person.objects.filter(pk__in=person_ids).values_list("pk", flat=True))
    missing = [str(pk) for pk in person_ids if pk not in found]
    if missing:
        raise DossierRefused(f"no such person: {', '.join(missing)}")
    with translation.override(DJANGO_LANGUAGE[language]):
        if audience == EXTERNAL:
            persons = [_external(pk, language) for pk in person_ids]
        else:
            persons = [_internal(pk, language, user) for pk in person_ids]
        checkpoint = _attach_proofs(persons, internal=audience == INTERNAL)
    return Dossier(
        audience=audience, language=language, persons=persons, checkpoint=checkpoint,
        generated_at=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        generated_by=getattr(user, "username", "") if audience == INTERNAL else "",
    )


# --- external: through the publication policy only ------------------------------------------


def _external(pk: int, language: str) -> PersonDossier:
    from aigaq.publish.policy import public_person
    from aigaq.registry.models import Person

    person = Person.objects.get(pk=pk)
    pp = public_person(person)
    if pp is None:
        raise DossierRefused(f"person {pk}: not published (internal, or merged into another record); "
                             "an external dossier is refused; make an internal one for the group's own work")
    place = pp.home_place.label(language) if pp.home_place else ""
    facts = [
        (_("Publication level"), _label(Publication, pp.level)),
        (_("Gender"), _label(choices.Gender, pp.gender)),
        (_("Born"), pp.birth),
        (_("Ethnicity"), _label(choices.Ethnicity, pp.ethnicity)),
        (_("Citizenship"), pp.citizenship),
        (_("Occupation"), pp.occupation),
        (_("Home place"), place),
        (_("Evidence grade"), _label(choices.Grade, pp.grade)),
    ]
    events = [{
        "date": e.date or _("date unknown"), "what": _label(choices.EventType, e.type),
        "place": e.place.label(language) if e.place else "", "facility": e.facility_name or "",
        "sentence": _months(e.sentence_months), "charge": e.charge, "description": e.description,
    } for e in pp.events]
    testimonies = [{
        "recorded_on": t.recorded_on, "language": _label(choices.Language, t.language), "title": t.title,
        "summary": t.summary, "level": "",
        "witness": t.witness_name or _("a witness who asked not to be named"),
        "relationship": _label(choices.Relationship, t.relationship),
        "translations": [(_label(choices.Language, tr.language), tr.text) for tr in t.translations],
        "restricted": [],
    } for t in pp.testimonies]
    shown = len(testimonies)
    note = ngettext("%(n)d testimony on record", "%(n)d testimonies on record", pp.testimony_count) % {
        "n": pp.testimony_count}
    if shown < pp.testimony_count:
        note += "; " + _("%(n)d shown here (the others are not published in full)") % {"n": shown}
    evidence, photo = [], None
    items = _evidence_items(pk, testimony_uids=[t.uid for t in pp.testimonies])
    evidence_note = ""
    if pp.anonymised:
        every = _evidence_items(pk, testimony_uids=None, published_only=True)
        evidence_note = ngettext(
            "%(n)d evidence item is held for this case. Its fingerprints are withheld to protect the "
            "person's identity; the group can show them to an investigating body in confidence.",
            "%(n)d evidence items are held for this case. Their fingerprints are withheld to protect the "
            "person's identity; the group can show them to an investigating body in confidence.",
            len(every)) % {"n": len(every)}
    else:
        evidence = [_row(item, internal=False) for item in items]
        photo = _photo(pk)
    return PersonDossier(
        uid=pp.uid, pk=pk, display_name=pp.display_name, level=pp.level,
        level_label=_label(Publication, pp.level), status=_label(choices.Status, pp.status),
        status_since=pp.status_since,
        names=[(n.text, _label(choices.Script, n.script), _label(choices.NameKind, n.kind)) for n in pp.names],
        facts=[(k, v) for k, v in facts if v], events=events, testimonies=testimonies, testimony_note=note,
        evidence=evidence, evidence_note=evidence_note, photo=photo,
    )


# --- internal: the record, restricted fields only for users who may see them -----------------


def _internal(pk: int, language: str, user) -> PersonDossier:
    from aigaq import audit
    from aigaq.accounts.policy import can_view_contact
    from aigaq.registry.models import Person

    person = Person.objects.select_related("home_place").get(pk=pk)
    status_since = person.status_since.isoformat() if person.status_since else ""
    facts = [
        (_("Publication level"), person.get_publication_display()),
        (_("Gender"), person.get_gender_display() if person.gender else ""),
        (_("Born"), person.birth_label),
        (_("Ethnicity"), person.get_ethnicity_display() if person.ethnicity else ""),
        (_("Citizenship"), person.citizenship),
        (_("Occupation"), person.occupation),
        (_("Home place"), " › ".join(p.local_name(DJANGO_LANGUAGE[language]) for p in person.home_place.path()[1:])
         if person.home_place else ""),
        (_("Evidence grade"), person.get_grade_display()),
        (_("Record number"), str(person.pk)),
    ]
    if person.merged_into_id:
        facts.append((_("Merged into record"), str(person.merged_into_id)))
    events = [{
        "date": e.date_label or _("date unknown"), "what": e.get_type_display(),
        "place": e.place.local_name(DJANGO_LANGUAGE[language]) if e.place else "",
        "facility": e.facility.name if e.facility else "", "sentence": _months(e.sentence_months),
        "charge": e.charge, "description": e.description,
    } for e in person.events.select_related("place", "facility").order_by("date_start", "id")]
    testimonies = []
    links = (person.testimony_links.select_related("testimony__witness")
             .prefetch_related("testimony__translations").order_by("testimony__recorded_on", "testimony_id"))
    for link in links:
        t, w = link.testimony, link.testimony.witness
        restricted = []
        if w is not None and can_view_contact(user, w):
            restricted = [(_("Contact details"), w.contact), (_("Address"), w.address),
                          (_("Witness notes"), w.internal_notes)]
            restricted = [(k, v) for k, v in restricted if v]
            if restricted:
                audit.record_view(w, ["contact", "address", "internal_notes"])
        level = t.get_publication_display() + ("" if t.state == t.State.COMPLETE else f", {t.get_state_display()}")
        testimonies.append({
            "recorded_on": t.recorded_on.isoformat() if t.recorded_on else "",
            "language": t.get_language_display(), "title": str(t), "summary": t.summary, "level": level,
            "witness": w.full_name if w else _("unknown witness"), "relationship": link.get_relationship_display(),
            "translations": [(tr.get_language_display(), tr.text) for tr in t.translations.all()],
            "restricted": restricted,
        })
    note = ngettext("%(n)d testimony on record", "%(n)d testimonies on record", len(testimonies)) % {
        "n": len(testimonies)}
    notes = ""
    if person.internal_notes and can_view_contact(user, person):
        notes = person.internal_notes
        audit.record_view(person, ["internal_notes"])
    items = _evidence_items(pk, testimony_uids=None)
    return PersonDossier(
        uid=str(person.uid), pk=pk, display_name=person.display_name, level=person.publication,
        level_label=person.get_publication_display(), status=person.get_status_display(), status_since=status_since,
        names=[(n.text, n.get_script_display(), n.get_kind_display()) for n in person.names.all()],
        facts=[(k, v) for k, v in facts if v], events=events, testimonies=testimonies, testimony_note=note,
        evidence=[_row(item, internal=True) for item in items], photo=_photo(pk), notes=notes,
    )


# --- evidence, photo, proofs --------------------------------------------------------------


def _evidence_items(pk: int, *, testimony_uids: list[str] | None, published_only: bool = False) -> list:
    """Originals linked to the person, and to their testimonies: the given ones (external), or all
    of them (None), or all non-internal ones (published_only, for the anonymised count)."""
    from django.db.models import Q

    from aigaq.vault.models import EvidenceItem

    cond = Q(links__person_id=pk)
    if testimony_uids is None:
        tq = Q(links__testimony__links__person_id=pk)
        if published_only:
            tq &= Q(links__testimony__publication__in=[Publication.PUBLIC, Publication.ANONYMISED])
        cond |= tq
    elif testimony_uids:
        cond |= Q(links__testimony__uid__in=testimony_uids)
    return list(EvidenceItem.objects.filter(cond, derivative_of__isnull=True).distinct().order_by("created_at", "id"))


def _row(item, *, internal: bool) -> EvidenceRow:
    return EvidenceRow(
        sha256=item.sha256, media_type=item.media_type, size=item.size,
        recorded=item.created_at.strftime("%Y-%m-%d"),
        filename=item.filename if internal else "", source=item.source if internal else "",
    )


def _photo(pk: int) -> tuple[bytes, str] | None:
    """The first image linked to the person itself (its thumbnail when there is one)."""
    from aigaq.vault.models import EvidenceItem
    from aigaq.vault.storage import get_storage

    item = (EvidenceItem.objects.filter(links__person_id=pk, derivative_of__isnull=True,
                                        media_type__in=("image/jpeg", "image/png"))
            .order_by("created_at", "id").first())
    if item is None:
        return None
    thumb = item.derivatives.filter(derivative_kind="thumbnail").first()
    chosen = thumb or item
    if chosen.media_type not in ("image/jpeg", "image/png") or chosen.size > 8 * 1024 * 1024:
        return None
    try:
        with get_storage().open(chosen.sha256) as fh:
            return fh.read(), chosen.media_type
    except OSError:
        return None


def _split(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


class _Tree:
    """RFC 6962 subtree roots with a memo, so that k proofs over one tree of n leaves cost about
    n + k·log n hashes instead of k·n (ledger.log.prove rebuilds the tree for each proof)."""

    MEMO_MIN = 32  # small subtrees are cheaper to recompute than to keep

    def __init__(self, leaves: list[bytes]) -> None:
        self.leaves = leaves
        self.memo: dict[tuple[int, int], bytes] = {}

    def root(self, lo: int, hi: int) -> bytes:
        from aigaq.ledger.proofs import node_hash

        if hi - lo == 1:
            return self.leaves[lo]
        key = (lo, hi)
        if key in self.memo:
            return self.memo[key]
        k = _split(hi - lo)
        value = node_hash(self.root(lo, lo + k), self.root(lo + k, hi))
        if hi - lo >= self.MEMO_MIN:
            self.memo[key] = value
        return value

    def path(self, index: int, lo: int = 0, hi: int | None = None) -> list[bytes]:
        hi = len(self.leaves) if hi is None else hi
        if hi - lo == 1:
            return []
        k = _split(hi - lo)
        if index < lo + k:
            return self.path(index, lo, lo + k) + [self.root(lo + k, hi)]
        return self.path(index, lo + k, hi) + [self.root(lo, lo + k)]


def _attach_proofs(persons: list[PersonDossier], *, internal: bool) -> dict | None:
    """Inclusion proof of each item's first custody entry (its ingest), against one signed checkpoint."""
    from aigaq.ledger import log, proofs
    from aigaq.ledger.models import Entry

    rows = [row for p in persons for row in p.evidence]
    if not rows:
        return None
    first: dict[str, dict] = {}
    for e in Entry.objects.filter(subject__in={r.sha256 for r in rows}).order_by("seq").values(
            "subject", "seq", "leaf_hash", "body"):
        first.setdefault(e["subject"], e)
    if not first:
        return None
    cp = log.latest_checkpoint()
    if cp is None or cp.size <= max(e["seq"] for e in first.values()):
        cp = log.checkpoint()
    tree = _Tree(log.leaf_hashes(cp.size))
    root = bytes.fromhex(cp.root)
    for row in rows:
        e = first.get(row.sha256)
        if e is None:
            continue
        path = tree.path(e["seq"])
        leaf = bytes.fromhex(e["leaf_hash"])
        if not proofs.verify_inclusion(leaf, e["seq"], cp.size, path, root):
            raise DossierRefused(f"the custody proof of {row.sha256} does not verify; run `aigaq verify`")
        row.proof = Proof(leaf_index=e["seq"], leaf_hash=e["leaf_hash"], tree_size=cp.size, root=cp.root,
                          path=[p.hex() for p in path], entry=e["body"] if internal else "")
    return {**cp.as_dict(), "root_b64": base64.b64encode(root).decode("ascii")}
