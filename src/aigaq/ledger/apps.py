from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "aigaq.ledger"
    label = "ledger"
    verbose_name = "custody ledger"

    def ready(self) -> None:
        from aigaq.ledger import checks  # noqa: F401  (registers the verify checks)

    def on_init(self, say) -> None:
        from aigaq.ledger.log import checkpoint

        cp = checkpoint()
        say(f"Custody ledger: {cp.size} entries, signed checkpoint {cp.root[:16]}…")
