from django.urls import path

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
    # staff
    path("staff/", admin_views.board, name="board"),
    path("staff/projects/", admin_views.table, name="table"),
    path("staff/projects.csv", admin_views.export_csv, name="export"),
    path("staff/cohorts/<int:pk>/", admin_views.cohort_detail, name="cohort"),
    path("staff/cohorts/<int:pk>/incubate/", admin_views.incubate, name="incubate"),
    path("staff/projects/<int:pk>/move/", admin_views.move, name="move"),
    path("staff/projects/<int:pk>/milestones/", admin_views.milestone_add, name="milestone_add"),
    path("staff/projects/<int:pk>/support/", admin_views.support_add, name="support_add"),
    path("staff/projects/<int:pk>/mentors/", admin_views.mentor_add, name="mentor_add"),
    path("staff/projects/<int:pk>/links/", admin_views.link_add, name="link_add"),
]
