from django.urls import path

from . import views

app_name = "voting"
urlpatterns = [
    path("entry/<int:pk>/consent/", views.consent, name="consent"),
    path("phone/", views.phone_page, name="phone"),
    path("<slug:slug>/", views.gallery, name="gallery"),
    path("<slug:slug>/vote/", views.vote, name="vote"),
    path("<slug:slug>/results/", views.results, name="results"),
    path("<slug:slug>/entry/<int:pk>/image/", views.image, name="image"),
]
