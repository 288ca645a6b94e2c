"""Staff pages for spreadsheet import: upload → map columns → preview and report → import → result.

The uploaded file is kept in the data folder (imports/) until it is imported; the same
load.run_import does the preview (a dry run of the first rows), the full check and the import.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aigaq.transfer.load import ImportFailed, run_import
from aigaq.transfer.mapping import FIELDS
from aigaq.transfer.models import ImportBatch
from aigaq.transfer.readers import XLSX_SUFFIXES, column_letter

PREVIEW_ROWS = 20
MAX_UPLOAD = 200 * 1024 * 1024
SUFFIXES = {".csv", ".tsv", ".txt", *XLSX_SUFFIXES}


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Spreadsheet (CSV or XLSX)"))

    def clean_file(self):
        f = self.cleaned_data["file"]
        if Path(f.name).suffix.lower() not in SUFFIXES:
            raise forms.ValidationError(_("Upload a .csv, .tsv, .txt or .xlsx file."))
        if f.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 200 MB: import it with `aigaq import`."))
        return f


def _store(upload) -> tuple[Path, str]:
    folder = settings.DATA_DIR / "imports"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    digest = hashlib.sha256()
    tmp = folder / f".upload-{os.getpid()}-{id(upload)}"
    with open(tmp, "wb") as out:
        for chunk in upload.chunks():
            digest.update(chunk)
            out.write(chunk)
        out.flush()
        os.fsync(out.fileno())
    final = folder / f"{digest.hexdigest()}{Path(upload.name).suffix.lower()}"
    os.replace(tmp, final)
    return final, digest.hexdigest()


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        f = form.cleaned_data["file"]
        path, sha = _store(f)
        batch = ImportBatch.objects.create(filename=Path(f.name).name[:300], sha256=sha, stored_path=str(path),
                                           created_by=request.user)
        return redirect("transfer:batch", pk=batch.pk)
    recent = ImportBatch.objects.order_by("-created_at")[:20]
    return render(request, "transfer/upload.html", {"form": form, "recent": recent})


def _pending(pk: int) -> ImportBatch:
    batch = get_object_or_404(ImportBatch, pk=pk)
    if batch.state != ImportBatch.State.PENDING or not batch.stored_path or not Path(batch.stored_path).is_file():
        raise Http404("this import is finished or its file is gone")
    return batch


def _posted_mapping(request: HttpRequest, width: int) -> list[str] | None:
    if "col-0" not in request.POST:
        return None
    return [request.POST.get(f"col-{i}", "") if request.POST.get(f"col-{i}", "") in FIELDS else ""
            for i in range(width)]


@login_required
def batch(request: HttpRequest, pk: int) -> HttpResponse:
    b = _pending(pk)
    path = Path(b.stored_path)
    mapping = _posted_mapping(request, 10_000) if request.method == "POST" else (b.mapping or None)
    try:
        if mapping is not None:
            preview_report = run_import(path, mapping=mapping, dry_run=True, display_name=b.filename, preview=PREVIEW_ROWS, previewed=[])
        else:
            preview_report = run_import(path, dry_run=True, display_name=b.filename, preview=PREVIEW_ROWS, previewed=[])
    except ImportFailed as exc:
        messages.error(request, str(exc))
        return render(request, "transfer/batch.html", {"batch": b, "failed": True})
    mapping = preview_report.mapping
    action = request.POST.get("action", "") if request.method == "POST" else ""
    b.mapping = mapping
    b.save(update_fields=["mapping"])
    if action in ("import", "import-valid"):
        try:
            report = run_import(path, mapping=mapping, only_valid=action == "import-valid", user=request.user,
                                batch=b, display_name=b.filename)
        except ImportFailed as exc:
            messages.error(request, str(exc))
            return redirect("transfer:batch", pk=b.pk)
        if report.written:
            b.refresh_from_db()
            b.report = {**b.report, "file": b.filename}
            b.save(update_fields=["report"])
            Path(b.stored_path).unlink(missing_ok=True)
            messages.success(request, _("Imported %(n)s persons.") % {"n": report.persons})
            return redirect("transfer:result", pk=b.pk)
        full = report
    else:
        full = run_import(path, mapping=mapping, dry_run=True, display_name=b.filename)
    columns = [{"index": i, "letter": column_letter(i), "header": h, "field": mapping[i] if i < len(mapping) else ""}
               for i, h in enumerate(preview_report.headers)]
    return render(request, "transfer/batch.html", {
        "batch": b, "columns": columns, "fields": list(FIELDS.items()), "report": full,
        "preview": _preview_rows(path, preview_report.headers), "issues": [i.line() for i in full.issues[:200]],
    })


def _preview_rows(path: Path, headers: list[str]) -> list[list[str]]:
    from aigaq.transfer.readers import open_table

    table = open_table(path)
    out = []
    for _n, cells in table.rows():
        if any(str(c).strip() for c in cells):
            out.append([str(c) for c in cells][: len(headers)])
        if len(out) >= PREVIEW_ROWS:
            break
    return out


@login_required
def result(request: HttpRequest, pk: int) -> HttpResponse:
    b = get_object_or_404(ImportBatch, pk=pk, state=ImportBatch.State.IMPORTED)
    return render(request, "transfer/result.html", {"batch": b, "report": b.report})
