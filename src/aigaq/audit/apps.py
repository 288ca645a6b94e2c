from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "aigaq.audit"
    label = "audit"
    verbose_name = "Audit log"

    def ready(self) -> None:
        from aigaq.audit import signals

        signals.connect()
        try:
            from aigaq.core import verify
        except ImportError:  # the verify registry is another part's; the check still runs alone
            return

        @verify.register("audit chain")
        def _audit_chain(context):
            from aigaq.audit.chain import verify_chain

            for problem in verify_chain():
                yield verify.Problem(subject="audit log", sha256="", what=problem)

    def on_init(self, say) -> None:
        from aigaq.audit.chain import ensure_audit_key

        path, created = ensure_audit_key()
        say(f"Audit key: {path} ({'created' if created else 'exists'})")
