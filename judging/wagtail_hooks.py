"""The staff judging dashboard in the Wagtail admin: URLs and a menu item."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from core.access import allowed

from . import admin_views

admin_urls = (
    [
        path("", admin_views.index, name="index"),
        path("challenge/<int:challenge_id>/rounds/new/", admin_views.round_edit, name="round_new"),
        path(
            "challenge/<int:challenge_id>/rounds/<int:round_id>/edit/",
            admin_views.round_edit,
            name="round_edit",
        ),
        path("challenge/<int:challenge_id>/jurors/", admin_views.jurors, name="jurors"),
        path("round/<int:round_id>/", admin_views.dashboard, name="round"),
        path("round/<int:round_id>/certainty/", admin_views.certainty, name="certainty"),
        path("round/<int:round_id>/pairwise/", admin_views.pairwise_round, name="pairwise"),
        path("round/<int:round_id>/action/", admin_views.round_action, name="round_action"),
        path("round/<int:round_id>/export/<str:what>.csv", admin_views.export, name="export"),
        path(
            "round/<int:round_id>/export/<str:what>.xlsx",
            admin_views.export,
            {"fmt": "xlsx"},
            name="export_xlsx",
        ),
        path("round/<int:round_id>/screening/", admin_views.screening, name="screening"),
        path(
            "round/<int:round_id>/screening/decide/",
            admin_views.screening_decide,
            name="screening_decide",
        ),
        path("round/<int:round_id>/feedback/", admin_views.feedback, name="feedback"),
        path(
            "round/<int:round_id>/feedback/action/",
            admin_views.feedback_action,
            name="feedback_action",
        ),
        path("round/<int:round_id>/appeals/", admin_views.appeals, name="appeals"),
        path("round/<int:round_id>/appeals/<int:appeal_id>/", admin_views.appeal, name="appeal"),
        path(
            "round/<int:round_id>/appeals/<int:appeal_id>/file/",
            admin_views.appeal_file,
            name="appeal_file",
        ),
        path(
            "round/<int:round_id>/appeals/<int:appeal_id>/action/",
            admin_views.appeal_action,
            name="appeal_action",
        ),
        path("round/<int:round_id>/entry/<int:entry_id>/", admin_views.entry, name="entry"),
        path(
            "round/<int:round_id>/entry/<int:entry_id>/action/",
            admin_views.entry_action,
            name="entry_action",
        ),
    ],
    "judging_admin",
)


@hooks.register("register_admin_urls")
def register_judging_urls():
    return [path("judging/", include(admin_urls))]


class JudgingMenuItem(MenuItem):
    def is_shown(self, request):
        return allowed(request.user, "challenges.open_staff_area")


@hooks.register("register_admin_menu_item")
def register_judging_menu_item():
    return JudgingMenuItem(
        _("Judging"), reverse("judging_admin:index"), icon_name="tasks", order=400
    )
