from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    default = True
    name = "core"
    verbose_name = _("Tanlov core")


class SuperuserAdminConfig(admin_apps.AdminConfig):
    """Django's admin, restricted to superusers (staff use the Wagtail admin)."""

    default = False
    default_site = "core.admin_site.SuperuserAdminSite"
