from django.urls import path

from . import views

app_name = "submissions"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("enter/<slug:slug>/", views.enter, name="enter"),
]
