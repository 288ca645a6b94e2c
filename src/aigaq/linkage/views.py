"""Review queue (candidate pairs side by side), merge / not the same / un-merge, similar names."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aigaq import names as names_engine
from aigaq.accounts.policy import Action, can
from aigaq.linkage import merge as merging
from aigaq.linkage.models import MatchCandidate, Merge
from aigaq.registry.models import Event, Person, TestimonyPerson
from aigaq.registry.search import search_persons

SIMILAR_LIMIT = 5


def _may_merge(request: HttpRequest) -> None:
    from django.core.exceptions import PermissionDenied

    if not can(request.user, Action.MERGE):
        raise PermissionDenied


@login_required
def similar(request: HttpRequest) -> JsonResponse:
    """Persons already recorded under a name like this one (for the intake form, as you type)."""
    name = request.GET.get("name", "").strip()[:200]
    if len(name) < 3:
        return JsonResponse({"name": name, "results": []})
    hits = search_persons(name, limit=SIMILAR_LIMIT * 4)
    results = [
        {"id": h.person.pk, "display_name": h.person.display_name, "matched_name": h.name, "score": h.score,
         "birth_years": h.person.birth_label, "url": h.person.get_absolute_url()}
        for h in hits if h.score >= names_engine.MATCH_THRESHOLD
    ][:SIMILAR_LIMIT]
    return JsonResponse({"name": name, "threshold": names_engine.MATCH_THRESHOLD, "results": results})


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    _may_merge(request)
    state = request.GET.get("state", MatchCandidate.State.OPEN)
    if state not in MatchCandidate.State.values:
        state = MatchCandidate.State.OPEN
    qs = MatchCandidate.objects.filter(state=state).select_related("left", "right").order_by("-score", "id")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    merges = Merge.objects.select_related("survivor", "merged").filter(undone_at__isnull=True)[:20]
    return render(request, "linkage/queue.html", {
        "page": page, "state": state, "states": MatchCandidate.State.choices, "merges": merges,
    })


def _full(pk: int) -> Person:
    return get_object_or_404(
        Person.objects.select_related("home_place", "merged_into").prefetch_related(
            "names",
            Prefetch("events", queryset=Event.objects.select_related("place", "facility")),
            Prefetch("testimony_links", queryset=TestimonyPerson.objects.select_related("testimony__witness")),
        ),
        pk=pk,
    )


@login_required
def pair(request: HttpRequest, pk: int) -> HttpResponse:
    _may_merge(request)
    cand = get_object_or_404(MatchCandidate, pk=pk)
    left, right = _full(cand.left_id), _full(cand.right_id)
    survivor, _merged = merging.pick_survivor(left, right)
    return render(request, "linkage/pair.html", {
        "cand": cand, "left": left, "right": right, "survivor": survivor,
        "merge_record": Merge.objects.filter(candidate=cand, undone_at__isnull=True).first(),
    })


@require_POST
@login_required
def merge_pair(request: HttpRequest, pk: int) -> HttpResponse:
    _may_merge(request)
    cand = get_object_or_404(MatchCandidate, pk=pk)
    survivor, merged = merging.pick_survivor(cand.left, cand.right)
    try:
        merging.merge(survivor, merged, user=request.user, candidate=cand)
    except merging.MergeError as exc:
        messages.error(request, str(exc))
        return redirect("linkage:pair", pk=pk)
    messages.success(request, _("Merged: %(merged)s is now part of %(survivor)s.") % {
        "merged": merged.display_name, "survivor": survivor.display_name})
    return redirect("linkage:pair", pk=pk)


@require_POST
@login_required
def reject_pair(request: HttpRequest, pk: int) -> HttpResponse:
    _may_merge(request)
    cand = get_object_or_404(MatchCandidate, pk=pk, state=MatchCandidate.State.OPEN)
    cand.state, cand.decided_at, cand.decided_by = MatchCandidate.State.REJECTED, timezone.now(), request.user
    cand.save(update_fields=["state", "decided_at", "decided_by"])
    messages.success(request, _("Marked as two different persons."))
    return redirect("linkage:queue")


@require_POST
@login_required
def undo_merge(request: HttpRequest, pk: int) -> HttpResponse:
    _may_merge(request)
    record = get_object_or_404(Merge, pk=pk)
    try:
        merging.unmerge(record, user=request.user)
    except merging.MergeError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Merge undone: both records are as they were."))
    if record.candidate_id:
        return redirect("linkage:pair", pk=record.candidate_id)
    return redirect("registry:person-detail", pk=record.merged_id)
