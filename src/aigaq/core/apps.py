from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "aigaq.core"
    label = "core"

    def start_background(self) -> None:
        """Called by `aigaq serve`: run the job worker in a daemon thread beside the web server."""
        from aigaq.core.jobs import start_worker_thread

        start_worker_thread()
