from django.apps import AppConfig


class VaultConfig(AppConfig):
    name = "aigaq.vault"
    label = "vault"
    verbose_name = "evidence vault"

    def ready(self) -> None:
        from aigaq.vault import checks, jobs  # noqa: F401  (register the verify checks, the sha512 job)

    def on_init(self, say) -> None:
        from aigaq.vault.storage import get_storage

        storage = get_storage()
        storage.ensure()
        say(f"Evidence vault: {storage.root}")
