"""The people's choice vote in the Wagtail admin: set-up, review of held votes, publishing."""

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
        path("<int:challenge_id>/review/", admin_views.review, name="review"),
        path("<int:challenge_id>/publish/", admin_views.publish, name="publish"),
    ],
    "voting_admin",
)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("voting/", include(admin_urls))]


class StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return allowed(request.user, "voting.open_staff_area")


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return StaffMenuItem(
        _("People's choice"), reverse("voting_admin:index"), icon_name="pick", order=450
    )
