from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "aigaq.accounts"
    label = "accounts"

    def ready(self) -> None:
        from aigaq.accounts import checks, urlrules  # noqa: F401  (they register system checks)

    def on_init(self, say) -> None:
        """`aigaq init`: the key that encrypts restricted fields, kept outside the database."""
        from aigaq.core.crypto import ensure_field_key

        path, created = ensure_field_key()
        if path is None:
            say("Field key: from AIGAQ_FIELD_KEY")
        else:
            say(f"Field key: {path} ({'created' if created else 'exists'}); keep a copy with your backups")
