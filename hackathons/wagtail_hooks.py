"""Hackathons in the Wagtail admin: event settings and the registrations."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from core.access import allowed

from . import admin_views

admin_urls = (
    [
        path("", admin_views.index, name="index"),
        path("<int:challenge_id>/", admin_views.edit, name="edit"),
        path("<int:challenge_id>/registrations/", admin_views.registrations, name="registrations"),
    ],
    "hackathons_admin",
)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("hackathons/", include(admin_urls))]


class StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return allowed(request.user, "challenges.open_staff_area")


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return StaffMenuItem(
        _("Hackathons"), reverse("hackathons_admin:index"), icon_name="group", order=440
    )
