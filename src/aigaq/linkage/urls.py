from django.urls import path

from aigaq.linkage import views

app_name = "linkage"
urlpatterns = [
    path("persons/similar", views.similar, name="similar"),
    path("linkage/", views.queue, name="queue"),
    path("linkage/<int:pk>/", views.pair, name="pair"),
    path("linkage/<int:pk>/merge/", views.merge_pair, name="merge"),
    path("linkage/<int:pk>/reject/", views.reject_pair, name="reject"),
    path("linkage/merges/<int:pk>/undo/", views.undo_merge, name="unmerge"),
]
