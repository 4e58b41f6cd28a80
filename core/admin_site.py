"""Django's own admin is for superusers only; staff work in the Wagtail admin."""

from django.contrib import admin


class SuperuserAdminSite(admin.AdminSite):
    site_header = "Tanlov — Django admin"

    def has_permission(self, request):
        return request.user.is_active and request.user.is_superuser
