from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("accounts/", include("aigaq.accounts.urls")),
    path("api/v1/", include("aigaq.api.urls")),
    path("staff/audit/", include("aigaq.audit.urls")),
    path("staff/evidence/", include("aigaq.vault.urls")),
    path("staff/capture/", include("aigaq.capture.urls")),
    path("staff/dossier/", include("aigaq.dossier.urls")),  # case dossiers, petitions
    path("staff/import/", include("aigaq.transfer.urls")),  # spreadsheet import
    path("staff/", include("aigaq.linkage.urls")),  # review queue, merges, similar names
    path("staff/", include("aigaq.registry.urls")),
    # The public portal owns "/"; core:home (kept for old links) resolves to the same address.
    path("", include("aigaq.publish.urls")),
    path("", include("aigaq.core.urls")),
]
