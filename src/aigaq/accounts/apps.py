from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "aigaq.accounts"
    label = "accounts"
