from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossierConfig(AppConfig):
    name = "aigaq.dossier"
    label = "dossier"
    verbose_name = _("Dossiers and petitions")
    default_auto_field = "django.db.models.BigAutoField"

    def on_init(self, say) -> None:
        from aigaq.dossier.petitions import install_defaults

        created = install_defaults()
        say(f"Petition templates: {created} default(s) added")
