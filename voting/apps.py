from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VotingConfig(AppConfig):
    name = "voting"
    verbose_name = _("People's choice vote")

    def ready(self):
        from core import personal_data as registry

        from . import personal_data

        registry.register_section("votes", personal_data.export_votes)
        registry.register_section("vote_phone", personal_data.export_phone)
        registry.register_eraser("voting", personal_data.erase, order=30)
