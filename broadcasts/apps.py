from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BroadcastsConfig(AppConfig):
    name = "broadcasts"
    verbose_name = _("Broadcasts")

    def ready(self):
        from . import rules, tasks  # noqa: F401 -- register the rules and the tasks
