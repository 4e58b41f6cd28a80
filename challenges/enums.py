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


class EntryFieldType(models.TextChoices):
    """What a question on a challenge's entry form asks for."""

    SHORT_TEXT = "short_text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")
    NUMBER = "number", _("Number")
    SINGLE_CHOICE = "single_choice", _("Single choice")
    MULTIPLE_CHOICE = "multiple_choice", _("Multiple choice")
    YES_NO = "yes_no", _("Yes / no")
    DATE = "date", _("Date")
    URL = "url", _("Link (http/https)")
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Phone")
    REGION = "region", _("Region")
    CONSENT = "consent", _("Consent checkbox")
    FILE = "file", _("File")


#: The types whose answers are keys of a choice list (filters, conditions, exports).
CHOICE_TYPES = (EntryFieldType.SINGLE_CHOICE, EntryFieldType.MULTIPLE_CHOICE)


class AnswerVisibility(models.TextChoices):
    """Who may read an answer. Each level includes the ones above it: staff see everything."""

    JURORS = "jurors", _("Jurors and staff")
    STAFF = "staff", _("Staff only")
    PUBLIC = "public", _("Public (gallery), jurors and staff")


class FormStage(models.TextChoices):
    """Which form a question belongs to: the entry form, the follow-up forms that judging
    rounds ask the entries in their scope (a round picks its questions among these), or a
    hackathon's registration (the application questions; no file questions there)."""

    ENTRY = "entry", _("Entry form")
    FOLLOWUP = "followup", _("Follow-up (asked by a judging round)")
    APPLICATION = "application", _("Hackathon application (asked when registering)")


class ChoiceWidget(models.TextChoices):
    RADIO = "radio", _("Radio buttons")
    DROPDOWN = "dropdown", _("Drop-down list")
