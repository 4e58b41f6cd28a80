from django.urls import path

from . import views

app_name = "opendata"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.challenge, name="challenge"),
    path("<slug:slug>/data.json", views.data_json, name="json"),
    path("<slug:slug>/datapackage.json", views.datapackage, name="datapackage"),
    path("<slug:slug>/<slug:table>.csv", views.table_csv, name="csv"),
]
