from django.apps import AppConfig


class VaultConfig(AppConfig):
    name = "aigaq.vault"
    label = "vault"
    verbose_name = "evidence vault"

    def ready(self) -> None:
        from aigaq.vault import checks  # noqa: F401  (registers the verify checks)

    def on_init(self, say) -> None:
        from aigaq.vault.storage import get_storage

        storage = get_storage()
        storage.ensure()
        say(f"Evidence vault: {storage.root}")
