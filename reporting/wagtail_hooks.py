"""The programme dashboard and the partners' reports in the Wagtail admin: URLs and a
menu item."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from core.access import allowed

from . import admin_views

admin_urls = (
    [
        path("", admin_views.dashboard, name="dashboard"),
        path(
            "challenge/<int:challenge_id>/",
            admin_views.challenge_dashboard,
            name="challenge",
        ),
        path("export/<slug:figure>.csv", admin_views.export, name="export"),
        path(
            "export/<slug:figure>.xlsx",
            admin_views.export,
            {"fmt": "xlsx"},
            name="export_xlsx",
        ),
        path(
            "challenge/<int:challenge_id>/reports/",
            admin_views.reports,
            name="reports",
        ),
        path("reports/<int:pk>/", admin_views.report, name="report"),
        path(
            "reports/<int:pk>/progress.json",
            admin_views.report_progress,
            name="report_progress",
        ),
        path(
            "reports/<int:pk>/report.pdf",
            admin_views.report_download,
            {"fmt": "pdf"},
            name="report_pdf",
        ),
        path(
            "reports/<int:pk>/report.xlsx",
            admin_views.report_download,
            {"fmt": "xlsx"},
            name="report_xlsx",
        ),
    ],
    "reporting_admin",
)


@hooks.register("register_admin_urls")
def register_reporting_urls():
    return [path("reporting/", include(admin_urls))]


class DashboardMenuItem(MenuItem):
    def is_shown(self, request):
        return allowed(request.user, "challenges.open_staff_area")


@hooks.register("register_admin_menu_item")
def register_dashboard_menu_item():
    return DashboardMenuItem(
        _("Programme dashboard"),
        reverse("reporting_admin:dashboard"),
        icon_name="list-ul",
        order=350,
    )
