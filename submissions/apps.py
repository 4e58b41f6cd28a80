from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubmissionsConfig(AppConfig):
    name = "submissions"
    verbose_name = _("Submissions")

    def ready(self):
        from core import personal_data

        from .services import personal_data as mine

        # A person's data (core.personal_data): their profile, teams and entries.
        personal_data.register_section("profile", mine.export_profile)
        personal_data.register_section("teams", mine.export_teams)
        personal_data.register_section("entries", mine.export_entries)
        personal_data.register_eraser("submissions", mine.erase, order=10)
