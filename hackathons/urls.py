from django.urls import path

from . import views

app_name = "hackathons"

urlpatterns = [
    path("<slug:slug>/", views.event, name="event"),
    path("<slug:slug>/register/", views.register, name="register"),
    path("<slug:slug>/confirm/", views.confirm, name="confirm"),
    path("<slug:slug>/cancel/", views.cancel, name="cancel"),
    path("<slug:slug>/teammates/", views.teammates_page, name="teammates"),
    path("<slug:slug>/teammates/listing/", views.listing, name="listing"),
    path("<slug:slug>/teammates/roles/", views.add_role, name="add_role"),
    path(
        "<slug:slug>/teammates/roles/<int:role_id>/remove/", views.remove_role, name="remove_role"
    ),
    path("<slug:slug>/teammates/invite/<int:registration_id>/", views.invite, name="invite"),
    path("<slug:slug>/teammates/ask/<int:team_id>/", views.ask, name="ask"),
    path("<slug:slug>/teammates/requests/<int:request_id>/", views.answer, name="answer"),
    path("<slug:slug>/check-in/", views.check_in_desk, name="check_in"),
    path("<slug:slug>/check-in/counts/", views.check_in_counts, name="check_in_counts"),
]
