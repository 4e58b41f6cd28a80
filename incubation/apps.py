from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncubationConfig(AppConfig):
    name = "incubation"
    verbose_name = _("Incubation")

    def ready(self):
        from core import personal_data as registry

        from . import personal_data

        registry.register_section("incubation", personal_data.export_projects)
