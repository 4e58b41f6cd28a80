from django.db import models
from django.utils.translation import gettext_lazy as _

from core.enums import FileStatus  # noqa: F401 -- the one file status, used here too


class Disability(models.TextChoices):
    """A person's own answer to the optional disability question (blank: not answered).
    Only ever counted (``submissions.selectors.profile_counts``), never listed per person."""

    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNDISCLOSED = "undisclosed", _("Prefer not to say")


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ELIGIBLE = "eligible", _("Eligible")
    INELIGIBLE = "ineligible", _("Ineligible")
    SHORTLISTED = "shortlisted", _("Shortlisted")
    FINALIST = "finalist", _("Finalist")
    WINNER = "winner", _("Winner")
    NOT_SELECTED = "not_selected", _("Not selected")
    INCUBATED = "incubated", _("Incubated")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Entries that count as "submitted" for judging, certificates and statistics.
IN_COMPETITION = [
    SubmissionStatus.SUBMITTED,
    SubmissionStatus.ELIGIBLE,
    SubmissionStatus.SHORTLISTED,
    SubmissionStatus.FINALIST,
    SubmissionStatus.WINNER,
    SubmissionStatus.NOT_SELECTED,
    SubmissionStatus.INCUBATED,
]


class MemberRole(models.TextChoices):
    MEMBER = "member", _("Member")
    MENTOR = "mentor", _("Mentor")


class InvitationState(models.TextChoices):
    """Where a team invitation stands (``services.teams.invitation_state``)."""

    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    REVOKED = "revoked", _("Withdrawn")
    EXPIRED = "expired", _("Expired")
