from django.urls import path

from aigaq.vault import views

app_name = "vault"
urlpatterns = [
    path("", views.item_list, name="item-list"),
    path("upload/", views.upload, name="upload"),
    path("<int:pk>/", views.item_detail, name="item-detail"),
    path("<int:pk>/file", views.item_file, name="item-file"),
    path("<int:pk>/proof.json", views.item_proof, name="item-proof"),
    path("<int:pk>/publication", views.item_publication, name="item-publication"),
]
