from django.urls import path

from aigaq.registry.views import facilities, intake, persons, testimonies

app_name = "registry"
urlpatterns = [
    path("", persons.person_list, name="person-list"),
    path("persons/<int:pk>/", persons.person_detail, name="person-detail"),
    path("persons/<int:pk>/edit/", persons.person_edit, name="person-edit"),
    path("persons/<int:pk>/names/add/", persons.name_add, name="name-add"),
    path("persons/<int:pk>/events/add/", persons.event_add, name="event-add"),
    path("events/<int:pk>/edit/", persons.event_edit, name="event-edit"),
    path("intake/", intake.intake, name="intake"),
    path("testimonies/<int:pk>/", testimonies.testimony_detail, name="testimony-detail"),
    path("facilities/", facilities.facility_list, name="facility-list"),
    path("facilities/new/", facilities.facility_create, name="facility-create"),
    path("facilities/<int:pk>/", facilities.facility_detail, name="facility-detail"),
]
