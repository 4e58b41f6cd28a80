"""The personal-data page in the Wagtail admin (superusers: ``core.manage_personal_data``)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views
from .access import allowed

admin_urls = (
    [
        path("", admin_views.index, name="index"),
        path("<int:pk>/export/", admin_views.export, name="export"),
        path("<int:pk>/erase/", admin_views.erase, name="erase"),
    ],
    "privacy_admin",
)


@hooks.register("register_admin_urls")
def register_privacy_urls():
    return [path("personal-data/", include(admin_urls))]


class PrivacyMenuItem(MenuItem):
    def is_shown(self, request):
        return allowed(request.user, admin_views.PERM)


@hooks.register("register_admin_menu_item")
def register_privacy_menu_item():
    return PrivacyMenuItem(
        _("Personal data"), reverse("privacy_admin:index"), icon_name="lock", order=900
    )
