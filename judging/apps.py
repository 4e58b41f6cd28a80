from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JudgingConfig(AppConfig):
    name = "judging"
    verbose_name = _("Judging")

    def ready(self):
        from challenges.enums import FormStage
        from submissions.services.files import register_window

        from .services.followups import FILES

        # The follow-up forms' file questions go through the entry's one upload path.
        register_window(FormStage.FOLLOWUP, FILES)

        from core import personal_data

        from .services import personal_data as mine

        personal_data.register_section("reviews", mine.export_reviews)
        personal_data.register_section("appeals", mine.export_appeals)
        personal_data.register_section("jury", mine.export_jury_roles)
        personal_data.register_eraser("judging", mine.erase, order=15)
