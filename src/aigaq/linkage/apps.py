from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LinkageConfig(AppConfig):
    name = "aigaq.linkage"
    label = "linkage"
    verbose_name = _("Linkage")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the stale-keys check)

    def on_init(self, say) -> None:
        """`aigaq init`: an empty registry's keys are by definition the running engine's."""
        from aigaq.registry.models import PersonName

        from .rekey import keys_state, write_stamp

        if not PersonName.objects.exists():
            write_stamp()
        problem = keys_state()
        say(f"Name search keys: {problem}; run `aigaq reindex-names`" if problem else "Name search keys: current")
