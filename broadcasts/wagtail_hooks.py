"""Broadcasts in the Wagtail admin: staff write to a segment of their challenges' people."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from core.access import allowed

from . import admin_views

admin_urls = (
    [
        path("", admin_views.index, name="index"),
        path("challenge/<int:challenge_id>/new/", admin_views.new, name="new"),
        path("<int:pk>/", admin_views.detail, name="detail"),
        path("<int:pk>/edit/", admin_views.edit, name="edit"),
        path("<int:pk>/send/", admin_views.send, name="send"),
        path("<int:pk>/unschedule/", admin_views.unschedule, name="unschedule"),
    ],
    "broadcasts_admin",
)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("broadcasts/", include(admin_urls))]


class StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return allowed(request.user, "broadcasts.open_staff_area")


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return StaffMenuItem(
        _("Broadcasts"), reverse("broadcasts_admin:index"), icon_name="mail", order=460
    )
