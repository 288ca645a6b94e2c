from django.urls import path

from aigaq.registry import views

app_name = "registry"
urlpatterns = [
    path("", views.person_list, name="person-list"),
    path("persons/<int:pk>/", views.person_detail, name="person-detail"),
]
