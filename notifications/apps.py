from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from core import personal_data as registry

        from . import personal_data

        registry.register_section("notifications", personal_data.export_notifications)
        # Last: the other erasers may still notify (a team's new lead, say).
        registry.register_eraser("notifications", personal_data.erase, order=90)
