from django.apps import AppConfig


class CaptureConfig(AppConfig):
    name = "aigaq.capture"
    label = "capture"
    verbose_name = "web capture"

    def ready(self) -> None:
        from aigaq.capture import handlers  # noqa: F401  (registers the background job handlers)
