"""The staff page for loading incident files: /personal/handelser/ORG/.

A coordinator's way to load the police's events saved as JSON, a Parquet archive or the organisation's own reports
without the command line, through the same writer (`do_import_incidents`): all rows or none, the error naming file,
row and column. Sending the same file twice adds nothing, so the page answers the upload directly instead of
redirecting. Viewers see the imports; analysts and admins load files.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from trygg.accounts.access import staff_access
from trygg.areas.models import Organisation
from trygg.errors import InputError
from trygg.incidents.actions import ImportResult, do_import_incidents
from trygg.incidents.models import IncidentImport, IncidentTally
from trygg.incidents.queries import incident_counts

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
SUFFIXES = (".json", ".parquet", ".csv", ".txt", ".xlsx")
RESULT_LABELS = (
    ("rows", gettext_lazy("Rader i filen")),
    ("stored", gettext_lazy("Nya")),
    ("unchanged", gettext_lazy("Fanns redan")),
    ("replaced", gettext_lazy("Ändrade av polisen (förra versionen sparad)")),
    ("repeated_in_file", gettext_lazy("Upprepade i filen")),
    ("skipped_other_municipalities", gettext_lazy("Andra kommuners händelser (hoppades över)")),
    ("not_counted", gettext_lazy("Sammanfattningar och meddelanden (sparade, räknas inte)")),
    ("unplaced", gettext_lazy("Utanför alla områden (räknas, utan område)")),
)


def _import_upload(org: Organisation, request: HttpRequest, user: User) -> ImportResult | str:
    """The result, or the sentence to show when the file cannot be imported."""
    upload = request.FILES.get("fil")
    if upload is None:
        return _("Välj en fil att ladda upp.")
    name = Path(upload.name or "").name
    if Path(name).suffix.lower() not in SUFFIXES:
        return _("Filen måste vara JSON, Parquet, CSV eller XLSX.")
    if upload.size is None or upload.size > MAX_UPLOAD_BYTES:
        return _("Filen är större än 50 MB. Dela upp den.")
    with tempfile.TemporaryDirectory(prefix="trygg-upload-") as folder:
        # The file keeps its own name, so an error names the file the coordinator chose.
        path = Path(folder) / name
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        try:
            return do_import_incidents(org, path, actor=user)
        except InputError as exc:
            return str(exc)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def incident_upload(request: HttpRequest, org: str) -> HttpResponse:
    organisation = Organisation.objects.filter(slug=org).first()
    if organisation is None:
        raise Http404(org)
    access = staff_access(request.user, organisation)
    if access is None:
        raise PermissionDenied
    outcome: ImportResult | str | None = None
    if request.method == "POST":
        if access != "change" or not isinstance(request.user, User):
            raise PermissionDenied
        outcome = _import_upload(organisation, request, request.user)
    result = outcome if isinstance(outcome, ImportResult) else None
    error = outcome if isinstance(outcome, str) else None
    imports = [{"at": i.imported_at, "file": i.file_name, "kind": i.get_kind_display(),
                "stored": i.result.get("stored", 0), "replaced": i.result.get("replaced", 0)}
               for i in IncidentImport.objects.filter(organisation=organisation)[:20]]
    totals = [{"source": IncidentTally.Source(r["source"]).label, "count": r["count"]}
              for r in incident_counts(organisation, by=("source",))]
    context = {
        "org": organisation, "can_change": access == "change", "error": error, "imports": imports,
        "totals": totals,
        "result_rows": [(label, getattr(result, key)) for key, label in RESULT_LABELS] if result else None,
        "result_file": result.file if result else None,
    }
    return render(request, "incidents/upload.html", context, status=400 if error else 200)
