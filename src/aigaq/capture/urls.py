from django.urls import path

from aigaq.capture import views

app_name = "capture"
urlpatterns = [
    path("", views.capture_new, name="new"),
    path("jobs/<int:pk>/", views.capture_job, name="job"),
    path("gone/", views.gone_list, name="gone"),
    path("gone.csv", views.gone_csv, name="gone-csv"),
]
