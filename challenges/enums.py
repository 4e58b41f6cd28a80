from django.db import models
from django.utils.translation import gettext_lazy as _


class ChallengeKind(models.TextChoices):
    HACKATHON = "hackathon", _("Hackathon")
    INNOVATION = "innovation", _("Innovation challenge")
    GIRLS_TECH = "girls_tech", _("Girls' tech challenge")
    OPEN_DATA = "open_data", _("Open data challenge")


class PhaseKind(models.TextChoices):
    """Phases in the order a challenge passes through them."""

    REGISTRATION = "registration", _("Registration")
    SUBMISSION = "submission", _("Submission")
    JUDGING = "judging", _("Judging")
    RESULTS = "results", _("Results")
    INCUBATION = "incubation", _("Incubation")


class ChallengeStatus(models.TextChoices):
    """What the public sees, derived from the phases and the clock."""

    UPCOMING = "upcoming", _("Upcoming")
    OPEN = "open", _("Open")
    JUDGING = "judging", _("Judging")
    CLOSED = "closed", _("Closed")


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNDISCLOSED = "undisclosed", _("Prefer not to say")


class GenderRule(models.TextChoices):
    ANY = "any", _("Anyone")
    WOMEN_AND_GIRLS = "female", _("Women and girls only")


class FileKind(models.TextChoices):
    PITCH_DECK = "pitch_deck", _("Pitch deck (PDF)")
    IMAGE = "image", _("Image")
    SOURCE = "source", _("Source code (ZIP)")
    VIDEO = "video", _("Video")
    DOCUMENT = "document", _("Document (PDF)")


# MIME types each file kind accepts; the upload path also checks the bytes (magic numbers).
FILE_KIND_TYPES = {
    FileKind.PITCH_DECK: ["application/pdf"],
    FileKind.DOCUMENT: ["application/pdf"],
    FileKind.IMAGE: ["image/png", "image/jpeg", "image/webp"],
    FileKind.SOURCE: ["application/zip"],
    FileKind.VIDEO: ["video/mp4", "video/webm"],
}
