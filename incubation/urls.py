from django.urls import path, re_path

from . import admin_views, views

app_name = "incubation"
urlpatterns = [
    path("", views.home, name="home"),
    path("projects/<int:pk>/", views.project_detail, name="project"),
    path("projects/<int:pk>/report/", views.report_create, name="report"),
    path("milestones/<int:pk>/", views.milestone_update, name="milestone"),
    path("reports/<int:pk>/comment/", views.report_comment, name="comment"),
    path("files/<int:pk>/", views.file_download, name="file"),
    path("projects/<int:pk>/uploads/", views.upload_start, name="upload_start"),
    path("uploads/<int:pk>/confirm/", views.upload_confirm, name="upload_confirm"),
    # The staff pages moved into the Wagtail admin; old links and bookmarks follow them.
    re_path(r"^staff/(?P<rest>.*)$", admin_views.staff_moved, name="staff_moved"),
]
