from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "aigaq.core"
    label = "core"
