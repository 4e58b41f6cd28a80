"""Choices shared by several apps."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FileStatus(models.TextChoices):
    """Where an uploaded file is in its life (see ``core.files``)."""

    PENDING = "pending", _("Uploading")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")
