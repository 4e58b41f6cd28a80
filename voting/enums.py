from django.db import models
from django.utils.translation import gettext_lazy as _


class VoteStatus(models.TextChoices):
    """Where a vote stands: only ``COUNTED`` votes are in the public count."""

    COUNTED = "counted", _("Counted")
    HELD = "held", _("Held back for review")
    VOIDED = "voided", _("Voided")
