"""`aigaq serve`: the web server (waitress) on 127.0.0.1, plus the background worker when there is one."""

from __future__ import annotations

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Serve the staff UI, the API and the public portal."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument("--no-worker", action="store_true", help="do not run background jobs here")

    def handle(self, *args, host, port, threads, no_worker, **opts):
        from waitress import serve

        from aigaq.wsgi import application

        if not no_worker:
            for config in apps.get_app_configs():
                start = getattr(config, "start_background", None)
                if start:
                    start()
        self._warn_stale_keys()
        self.stdout.write(f"Aigaq is serving on http://{host}:{port}/  (Ctrl-C to stop)")
        self.stdout.flush()
        try:
            serve(application, host=host, port=port, threads=threads, ident="aigaq")
        except OSError as exc:
            raise CommandError(f"cannot listen on {host}:{port}: {exc.strerror}") from None

    def _warn_stale_keys(self) -> None:
        # The same test as `aigaq check --deploy` (aigaq.W020), said at start so it is not missed.
        from aigaq.linkage.checks import check_name_keys

        for warning in check_name_keys():
            self.stderr.write(f"warning: {warning.msg} {warning.hint}")
