"""The testimony page: who testified, about whom, what was said, and its translations."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from aigaq.registry.access import can_see_contact
from aigaq.registry.models import Event, Testimony


@login_required
def testimony_detail(request: HttpRequest, pk: int) -> HttpResponse:
    testimony = get_object_or_404(
        Testimony.objects.select_related("witness", "place_recorded", "source", "created_by").prefetch_related(
            "links__person", "translations"
        ),
        pk=pk,
    )
    events = Event.objects.filter(testimonies=testimony).select_related("person", "facility", "place")
    witness = testimony.witness
    context = {
        "testimony": testimony, "witness": witness, "events": events,
        "show_contact": witness is not None and can_see_contact(request.user, witness),
    }
    if context["show_contact"]:
        from aigaq import audit

        audit.record_view(witness, ["contact", "address"])  # every view of a restricted field is logged
    return render(request, "registry/testimony_detail.html", context)
