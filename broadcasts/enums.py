from django.db import models
from django.utils.translation import gettext_lazy as _


class Segment(models.TextChoices):
    ENTRANTS = "entrants", _("All entrants of the challenge")
    TRACK = "track", _("Entrants of one track")
    DRAFTS = "drafts", _("Teams with a draft not yet submitted")
    FINALISTS = "finalists", _("Finalists and winners")
    JURORS = "jurors", _("Jurors with unfinished reviews")
    MENTORS = "mentors", _("Mentors of an incubation cohort")


class BroadcastStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Scheduled")
    SENT = "sent", _("Sent")
