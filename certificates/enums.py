from django.db import models
from django.utils.translation import gettext_lazy as _


class CertificateKind(models.TextChoices):
    PARTICIPATION = "participation", _("Participation")
    FINALIST = "finalist", _("Finalist")
    WINNER = "winner", _("Winner")
    JUROR = "juror", _("Juror")
    MENTOR = "mentor", _("Mentor")
    INCUBATION = "incubation", _("Incubation graduate")


class CertificateStatus(models.TextChoices):
    PENDING = "pending", _("Being issued")
    ISSUED = "issued", _("Issued")
    FAILED = "failed", _("Failed")
    REVOKED = "revoked", _("Revoked")


class IssueRule(models.TextChoices):
    """Who receives certificates when staff issue in bulk for a challenge."""

    PARTICIPANTS = "participants", _("All participants with a submitted entry")
    FINALISTS = "finalists", _("Finalists")
    WINNERS = "winners", _("Winners")
    JURORS = "jurors", _("Jurors who finished their reviews")
    MENTORS = "mentors", _("Mentors")
    GRADUATES = "graduates", _("Members of incubated projects that graduated")


RULE_KIND = {
    IssueRule.PARTICIPANTS: CertificateKind.PARTICIPATION,
    IssueRule.FINALISTS: CertificateKind.FINALIST,
    IssueRule.WINNERS: CertificateKind.WINNER,
    IssueRule.JURORS: CertificateKind.JUROR,
    IssueRule.MENTORS: CertificateKind.MENTOR,
    IssueRule.GRADUATES: CertificateKind.INCUBATION,
}


class PageSize(models.TextChoices):
    A4 = "A4", "A4"
    A5 = "A5", "A5"
    LETTER = "letter", _("US Letter")


class Orientation(models.TextChoices):
    LANDSCAPE = "landscape", _("Landscape")
    PORTRAIT = "portrait", _("Portrait")


PLACE_NAMES = {1: _("1st place"), 2: _("2nd place"), 3: _("3rd place")}


def place_label(place):
    """``place`` in words for a certificate and its verification page ("1st place")."""
    if not place:
        return ""
    if place in PLACE_NAMES:
        return str(PLACE_NAMES[place])
    return str(_("Place %(place)s")) % {"place": place}
