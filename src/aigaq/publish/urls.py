from django.urls import path

from aigaq.publish import media, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("persons/", views.persons, name="persons"),
    path("persons/<slug:name>/", views.bucket, name="bucket"),
    path("person/<uuid:uid>/", views.person, name="person"),
    path("facilities/", views.facilities, name="facilities"),
    path("facility/<uuid:uid>/", views.facility, name="facility"),
    path("statistics/", views.statistics_page, name="statistics"),
    path("map/", views.map_page, name="map"),
    path("open-data/", views.open_data, name="open-data"),
    path("open-data/<str:name>", views.data_file, name="data-file"),
    path("about/", views.about, name="about"),
    path("media/<str:name>", media.media_file, name="media"),
]
