from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/", views.open_notification, name="open"),
    path("read/", views.mark_all_read, name="mark_all_read"),
    path("settings/", views.preferences, name="preferences"),
    path("telegram/link/", views.telegram_link, name="telegram_link"),
    path("telegram/unlink/", views.telegram_unlink, name="telegram_unlink"),
    path("telegram/webhook/", views.telegram_webhook, name="telegram_webhook"),
]
