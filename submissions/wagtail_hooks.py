"""Entries in the Wagtail admin, for the staff of each challenge."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from core.access import allowed

from . import admin_views

admin_urls = (
    [
        path("", admin_views.entry_list, name="list"),
        path("<int:pk>/", admin_views.entry_detail, name="detail"),
        path("exceptions/", admin_views.exception_index, name="exception_index"),
        path(
            "exceptions/challenge/<int:challenge_id>/",
            admin_views.exceptions,
            name="exceptions",
        ),
        path("exceptions/<int:pk>/revoke/", admin_views.exception_revoke, name="exception_revoke"),
        path("districts/", admin_views.district_list, name="districts"),
        path("districts/<int:pk>/", admin_views.district_settle, name="district_settle"),
    ],
    "submissions_admin",
)


@hooks.register("register_admin_urls")
def register_entry_urls():
    return [path("entries/", include(admin_urls))]


@hooks.register("register_admin_menu_item")
def register_entry_menu_item():
    return MenuItem(
        _("Entries"), reverse("submissions_admin:list"), icon_name="doc-full", order=160
    )


class StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return allowed(request.user, "challenges.open_staff_area")


@hooks.register("register_admin_menu_item")
def register_exception_menu_item():
    return StaffMenuItem(
        _("Eligibility exceptions"),
        reverse("submissions_admin:exception_index"),
        icon_name="user",
        order=170,
    )


@hooks.register("register_admin_menu_item")
def register_district_menu_item():
    return StaffMenuItem(
        _("Unmatched districts"),
        reverse("submissions_admin:districts"),
        icon_name="site",
        order=175,
    )
