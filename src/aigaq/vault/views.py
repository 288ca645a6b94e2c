"""Staff pages for evidence: the list, an item with its hashes and custody history, upload."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from aigaq.accounts import policy
from aigaq.ledger import log as ledger
from aigaq.ledger.models import Entry, EventKind
from aigaq.vault.ingest import IngestError, commit
from aigaq.vault.models import EvidenceItem
from aigaq.vault.storage import get_storage
from aigaq.vault.upload import ReceivedFile, VaultUploadHandler


@login_required
def item_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    items = EvidenceItem.objects.filter(derivative_of__isnull=True)
    if q:
        items = items.filter(Q(sha256__startswith=q.lower()) | Q(filename__icontains=q) | Q(source__icontains=q))
    page = Paginator(items.order_by("-id"), 50).get_page(request.GET.get("page"))
    return render(request, "vault/item_list.html", {"page": page, "q": q})


@login_required
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(EvidenceItem.objects.select_related("derivative_of", "created_by"), pk=pk)
    return render(request, "vault/item_detail.html", {
        "item": item,
        "history": ledger.history(item.sha256),
        "derivatives": item.derivatives.all(),
        "links": item.links.select_related("testimony", "person"),
        "metadata_json": json.dumps(item.metadata, indent=1, ensure_ascii=False),
        "provenance_json": json.dumps(item.provenance, indent=1, ensure_ascii=False),
        "thumbnail": item.derivatives.filter(derivative_kind="thumbnail").first(),
        "may_publish": policy.can(request.user, policy.Action.PUBLISH),
    })


@login_required
def item_file(request: HttpRequest, pk: int) -> FileResponse:
    """The stored bytes, always as a download (never rendered by the browser), except our own
    JPEG derivatives, which are shown inline as thumbnails."""
    item = get_object_or_404(EvidenceItem, pk=pk)
    try:
        fh = get_storage().open(item.sha256)
    except FileNotFoundError:
        raise Http404(_("The stored file is missing; run aigaq verify.")) from None
    inline = item.derivative_kind in ("thumbnail", "poster") and request.GET.get("inline") == "1"
    response = FileResponse(fh, as_attachment=not inline, filename=item.filename or item.sha256,
                            content_type=item.media_type if inline else "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


@login_required
def item_proof(request: HttpRequest, pk: int) -> JsonResponse:
    item = get_object_or_404(EvidenceItem, pk=pk)
    entry = Entry.objects.filter(subject=item.sha256).order_by("seq").first()
    if entry is None:
        raise Http404(_("This item has no custody entry; run aigaq verify."))
    response = JsonResponse(ledger.prove(entry), json_dumps_params={"indent": 1, "ensure_ascii": False})
    response["Content-Disposition"] = f'attachment; filename="proof-{item.sha256[:16]}.json"'
    return response


@require_POST
@transaction.atomic
def item_publication(request: HttpRequest, pk: int) -> HttpResponse:
    """Clear an original for publication, or withdraw it (administrators: the policy's PUBLISH).

    The decision is a custody event (ledger); the saved change is audited like every save. Publication still needs
    every record the item is linked to to be public; see aigaq.publish.policy.public_media.
    """
    item = get_object_or_404(EvidenceItem.objects.select_for_update(), pk=pk, derivative_of__isnull=True)
    cleared = request.POST.get("cleared") == "1"
    if cleared != item.cleared_for_publication:
        item.cleared_for_publication = cleared
        item.cleared_at = timezone.now() if cleared else None
        item.cleared_by = request.user if cleared else None
        item.save(update_fields=["cleared_for_publication", "cleared_at", "cleared_by"])
        ledger.append(EventKind.CLEARED if cleared else EventKind.WITHDRAWN, item.sha256,
                      {"by": request.user.get_username()})
        messages.success(request, _("Cleared for publication.") if cleared else _("Withdrawn from publication."))
    return redirect(item)


@csrf_exempt  # the upload handlers must be set before the body is read; CSRF is checked below
def upload(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return login_required(lambda r: None)(request)
    handler = VaultUploadHandler(request)
    if request.method == "POST":
        request.upload_handlers = [handler]
    try:
        return _upload(request, handler)
    finally:
        # Whatever the answer (a refused CSRF token answers 403 after the body was read into the
        # vault's temp files), no uploaded temp outlives the request; committed ones were moved.
        for f in handler.received:
            f.receiver.temp.discard()
        handler.upload_interrupted()


@csrf_protect
def _upload(request: HttpRequest, handler: VaultUploadHandler) -> HttpResponse:
    if request.method != "POST":
        return render(request, "vault/upload.html", {})
    received: list[ReceivedFile] = list(request.FILES.getlist("files"))
    source = request.POST.get("source", "").strip()[:2000]
    results, errors = [], []
    for f in received:
        try:
            result = commit(get_storage(), f.receiver, raw_name=f.name.encode("utf-8", "replace"),
                            source=source, user=request.user)
            results.append({"name": f.name, "sha256": result.item.sha256, "size": result.item.size,
                            "item": result.item.pk, "url": result.item.get_absolute_url(), "created": result.created})
        except IngestError as exc:
            errors.append(f"{f.name}: {exc}")
    if not received:
        errors.append(_("No file was received."))
    if request.headers.get("Accept") == "application/json":
        return JsonResponse({"items": results, "errors": errors}, status=400 if errors and not results else 200)
    for e in errors:
        messages.error(request, e)
    for r in results:
        messages.success(request, _("%(name)s stored, SHA-256 %(sha)s") % {"name": r["name"], "sha": r["sha256"]})
    if len(results) == 1 and not errors:
        return redirect(results[0]["url"])
    return redirect("vault:upload")
