"""Entries in the Wagtail admin, for the staff of each challenge."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views

admin_urls = (
    [
        path("", admin_views.entry_list, name="list"),
        path("<int:pk>/", admin_views.entry_detail, name="detail"),
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
