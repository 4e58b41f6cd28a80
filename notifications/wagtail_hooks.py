"""Notifications in the Wagtail admin: the dead-letter view with retry."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from core.access import allowed

from . import admin_views

admin_urls = (
    [
        path("dead-letters/", admin_views.dead_letters, name="dead_letters"),
        path("dead-letters/<int:pk>/retry/", admin_views.retry, name="retry"),
    ],
    "notifications_admin",
)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("notifications/", include(admin_urls))]


class DeadLetterMenuItem(MenuItem):
    def is_shown(self, request):
        return allowed(request.user, "notifications.resend_delivery")


@hooks.register("register_admin_menu_item")
def register_dead_letter_menu_item():
    return DeadLetterMenuItem(
        _("Undelivered messages"),
        reverse("notifications_admin:dead_letters"),
        icon_name="warning",
        order=900,
    )
