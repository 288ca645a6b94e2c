from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublishConfig(AppConfig):
    name = "aigaq.publish"
    label = "publish"
    verbose_name = _("Publication")

    def ready(self) -> None:
        from aigaq.publish import changes

        changes.connect()
