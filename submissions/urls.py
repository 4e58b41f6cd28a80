from django.urls import path

from . import views

app_name = "submissions"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("profile/", views.profile, name="profile"),
    path("enter/<slug:slug>/", views.enter, name="enter"),
    path("team/<int:pk>/", views.team, name="team"),
    path("join/<str:code>/", views.join, name="join"),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
    path("entry/<int:pk>/", views.entry, name="entry"),
    path("entry/<int:pk>/versions/<int:number>/", views.version, name="version"),
    path(
        "entry/<int:pk>/versions/<int:number>/receipt.pdf",
        views.version_receipt,
        name="version_receipt",
    ),
    path("entry/<int:pk>/files/slot/", views.file_slot, name="file_slot"),
    path("entry/<int:pk>/files/upload/", views.file_upload, name="file_upload"),
    path("entry/<int:pk>/files/<int:file_pk>/part/", views.file_part, name="file_part"),
    path("entry/<int:pk>/files/<int:file_pk>/confirm/", views.file_confirm, name="file_confirm"),
    path("entry/<int:pk>/files/<int:file_pk>/remove/", views.file_remove, name="file_remove"),
    path("entry/<int:pk>/files/<int:file_pk>/", views.file_download, name="file_download"),
]
