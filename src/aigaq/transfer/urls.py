from django.urls import path

from aigaq.transfer import views

app_name = "transfer"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("<int:pk>/", views.batch, name="batch"),
    path("<int:pk>/result/", views.result, name="result"),
]
