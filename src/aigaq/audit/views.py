"""The audit log page for administrators: filter by actor, action, object and date."""

from __future__ import annotations

from datetime import datetime, time

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_date

from aigaq.audit.chain import verify_chain
from aigaq.audit.models import AuditEntry

PAGE_SIZE = 100


def _day(value: str, end: bool = False) -> datetime | None:
    day = parse_date(value or "") if value else None
    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day, time.max if end else time.min))


def audit_list(request: HttpRequest) -> HttpResponse:
    g = request.GET
    qs = AuditEntry.objects.all()
    if g.get("actor"):
        qs = qs.filter(actor__icontains=g["actor"])
    if g.get("action"):
        qs = qs.filter(action=g["action"])
    if g.get("object_type"):
        qs = qs.filter(object_type=g["object_type"])
    if g.get("object_id"):
        qs = qs.filter(object_id=g["object_id"])
    if start := _day(g.get("since", "")):
        qs = qs.filter(at__gte=start)
    if stop := _day(g.get("until", ""), end=True):
        qs = qs.filter(at__lte=stop)
    page = Paginator(qs.order_by("-seq"), PAGE_SIZE).get_page(g.get("page"))
    actions = AuditEntry.objects.order_by().values_list("action", flat=True).distinct()
    types = AuditEntry.objects.order_by().values_list("object_type", flat=True).distinct()
    problems = verify_chain() if g.get("verify") else None
    query = g.copy()
    query.pop("page", None)
    return render(request, "audit/list.html", {
        "page": page, "actions": sorted(set(actions)), "types": sorted(t for t in set(types) if t),
        "f": g, "problems": problems, "query": query.urlencode(),
    })
