from django.urls import path

from . import views

app_name = "certificates"
urlpatterns = [
    path("<str:code>/download/", views.download, name="download"),
    path("badges/issuer.json", views.badge_issuer, name="badge_issuer"),
    path("badges/<int:challenge_id>/<slug:kind>.json", views.badge_class, name="badge_class"),
    path("badges/<int:challenge_id>/<slug:kind>.svg", views.badge_image, name="badge_image"),
    path("badges/assertions/<str:code>.json", views.badge_assertion, name="badge_assertion"),
]
