from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    default = True
    name = "core"
    verbose_name = _("Tanlov core")

    def ready(self):
        from django.db.models.signals import post_migrate

        from .sites import sync_site

        post_migrate.connect(sync_site, sender=self, dispatch_uid="core.sync_site")


class SuperuserAdminConfig(admin_apps.AdminConfig):
    """Django's admin, restricted to superusers (staff use the Wagtail admin)."""

    default = False
    default_site = "core.admin_site.SuperuserAdminSite"
