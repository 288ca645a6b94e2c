from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "aigaq.api"
    label = "api"
