from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "aigaq.ledger"
    label = "ledger"
