"""Staff pages: dossier downloads, petitions from a case, and the administrators' template editor.
Access is decided by aigaq.accounts.policy (URL rules); these views add nothing to it."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from aigaq.dossier.data import EXTERNAL, INTERNAL, LANGUAGES, DossierRefused
from aigaq.dossier.forms import PetitionTemplateForm
from aigaq.dossier.models import PetitionTemplate
from aigaq.dossier.petitions import TemplateRefused, generate
from aigaq.dossier.render import FORMATS, make
from aigaq.registry.models import Person


def _download(content: bytes, filename: str, ctype: str, *, inline: bool) -> HttpResponse:
    response = HttpResponse(content, content_type=ctype)
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _dossier(request: HttpRequest, pk: int, audience: str) -> HttpResponse:
    get_object_or_404(Person, pk=pk)
    lang = request.GET.get("lang", "en")
    fmt = request.GET.get("format", "pdf")
    if lang not in LANGUAGES or fmt not in FORMATS:
        return HttpResponse(_("Unknown language or format."), status=400, content_type="text/plain; charset=utf-8")
    try:
        content, name, ctype = make([pk], language=lang, fmt=fmt, audience=audience, user=request.user)
    except DossierRefused as exc:
        return HttpResponse(str(exc), status=409, content_type="text/plain; charset=utf-8")
    return _download(content, name, ctype, inline=fmt == "html")


@require_GET
def person_dossier(request: HttpRequest, pk: int) -> HttpResponse:
    return _dossier(request, pk, EXTERNAL)


@require_GET
def person_dossier_internal(request: HttpRequest, pk: int) -> HttpResponse:
    return _dossier(request, pk, INTERNAL)


@require_GET
def person_petitions(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Person, pk=pk)
    template_id = request.GET.get("template")
    if template_id:
        template = get_object_or_404(PetitionTemplate, pk=template_id)
        fmt = request.GET.get("format", "pdf")
        if fmt not in ("pdf", "docx", "txt"):
            return HttpResponse(_("Unknown format."), status=400, content_type="text/plain; charset=utf-8")
        try:
            content, name, ctype = generate(template, person, fmt, user=request.user)
        except TemplateRefused as exc:
            return HttpResponse(str(exc), status=409, content_type="text/plain; charset=utf-8")
        return _download(content, name, ctype, inline=False)
    return render(request, "dossier/person_petitions.html", {
        "person": person, "templates": PetitionTemplate.objects.all(), "languages": LANGUAGES})


def template_list(request: HttpRequest) -> HttpResponse:
    return render(request, "dossier/template_list.html", {"templates": PetitionTemplate.objects.all()})


def template_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    template = get_object_or_404(PetitionTemplate, pk=pk) if pk is not None else None
    form = PetitionTemplateForm(request.POST or None, instance=template)
    if request.method == "POST" and form.is_valid():
        obj = form.save(commit=False)
        obj.updated_by, obj.updated_at = request.user, timezone.now()
        obj.save()
        messages.success(request, _("Template saved."))
        return redirect("dossier:template-list")
    return render(request, "dossier/template_form.html", {"form": form, "template": template})
