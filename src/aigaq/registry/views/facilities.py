"""Facilities: camps, detention centres, prisons, and who was held there."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from aigaq.registry.access import WRITE_ROLES, role_required
from aigaq.registry.forms import FacilityForm
from aigaq.registry.models import Facility, FacilityName, Person
from aigaq.registry.views.common import gazetteer_places


@login_required
def facility_list(request: HttpRequest) -> HttpResponse:
    facilities = (
        Facility.objects.select_related("place").prefetch_related("names")
        .annotate(persons=Count("events__person", distinct=True)).order_by("name")
    )
    return render(request, "registry/facility_list.html", {"facilities": facilities})


@login_required
def facility_detail(request: HttpRequest, pk: int) -> HttpResponse:
    facility = get_object_or_404(Facility.objects.select_related("place").prefetch_related("names"), pk=pk)
    persons = (
        Person.objects.filter(events__facility=facility, merged_into__isnull=True).distinct()
        .order_by("display_name", "id")[:500]
    )
    return render(request, "registry/facility_detail.html", {"facility": facility, "persons": persons})


@role_required(*WRITE_ROLES)
def facility_create(request: HttpRequest) -> HttpResponse:
    form = FacilityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            facility = form.save()
            FacilityName.objects.bulk_create(
                FacilityName(facility=facility, text=t) for t in form.cleaned_data["other_names"]
            )
        messages.success(request, _("Facility saved."))
        return redirect("registry:facility-detail", pk=facility.pk)
    return render(request, "registry/facility_form.html", {"form": form, "places": gazetteer_places()})
