from django.urls import path

from aigaq.api.api import api

urlpatterns = [path("", api.urls)]
