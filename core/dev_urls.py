"""URLs of development-only pages; config/urls.py mounts them when TANLOV_DEV_MAIL is on."""

from django.urls import path

from . import views

urlpatterns = [
    path("mail/", views.dev_mail_list, name="dev_mail"),
    path("mail/<str:key>/", views.dev_mail_message, name="dev_mail_message"),
]
