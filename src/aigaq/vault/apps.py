from django.apps import AppConfig


class VaultConfig(AppConfig):
    name = "aigaq.vault"
    label = "vault"
