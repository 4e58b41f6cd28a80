"""Django's own admin is for superusers only; staff work in the Wagtail admin."""

from django.contrib import admin

from .access import allowed


class SuperuserAdminSite(admin.AdminSite):
    site_header = "Tanlov — Django admin"

    def has_permission(self, request):
        return allowed(request.user, "core.open_django_admin")
