from django.urls import path

from aigaq.dossier import views

app_name = "dossier"
urlpatterns = [
    path("person/<int:pk>/", views.person_dossier, name="person"),
    path("person/<int:pk>/internal/", views.person_dossier_internal, name="person-internal"),
    path("person/<int:pk>/petitions/", views.person_petitions, name="petitions"),
    path("templates/", views.template_list, name="template-list"),
    path("templates/new/", views.template_edit, name="template-new"),
    path("templates/<int:pk>/", views.template_edit, name="template-edit"),
]
