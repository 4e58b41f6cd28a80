"""Participants, teams and their entries. Files live in S3; rows keep only references."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from challenges.enums import FileKind, Gender
from challenges.models import Challenge, District, Region, Track
from core.models import StoredFile
from core.validators import plausible_birth_date

from .enums import Disability, MemberRole, SubmissionStatus


def _join_code():
    return secrets.token_urlsafe(9)


def _invite_token():
    return secrets.token_urlsafe(24)


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    full_name = models.CharField(_("full name"), max_length=200)
    birth_date = models.DateField(
        _("date of birth"), null=True, blank=True, validators=[plausible_birth_date]
    )
    gender = models.CharField(_("gender"), max_length=12, choices=Gender.choices, blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), null=True, blank=True, on_delete=models.PROTECT
    )
    district = models.ForeignKey(
        District, verbose_name=_("district"), null=True, blank=True, on_delete=models.PROTECT
    )
    # What a person typed when the district was free text and no district of their region
    # answered to it; staff settle these ("Unmatched districts"). Empty once settled.
    district_typed = models.CharField(_("district as typed"), max_length=120, blank=True)
    # Self-declared and optional. Counted in anonymous statistics only: never listed with a
    # name on any staff page or export (see ``submissions.selectors.profile_counts``).
    disability = models.CharField(
        _("Do you have a disability or a long-term health condition?"),
        max_length=12,
        choices=Disability.choices,
        blank=True,
    )
    organisation = models.CharField(
        _("school, university or organisation"), max_length=200, blank=True
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    telegram = models.CharField(_("Telegram username"), max_length=64, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=5, choices=settings.LANGUAGES, default="uz"
    )
    consent_terms = models.BooleanField(_("I accept the terms"), default=False)
    consent_privacy = models.BooleanField(_("I accept the privacy notice"), default=False)
    consent_publicity = models.BooleanField(_("photos and my name may be published"), default=False)
    guardian_name = models.CharField(_("guardian's name"), max_length=200, blank=True)
    guardian_contact = models.CharField(_("guardian's phone or e-mail"), max_length=200, blank=True)
    guardian_consent = models.BooleanField(_("a guardian has given consent"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("participant profile")
        verbose_name_plural = _("participant profiles")

    def __str__(self):
        return self.full_name


class Team(models.Model):
    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("team name"), max_length=120)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("team lead"),
        on_delete=models.PROTECT,
        related_name="led_teams",
    )
    join_code = models.CharField(_("join code"), max_length=24, unique=True, default=_join_code)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["challenge", "name"], name="team_name_per_challenge")
        ]

    def __str__(self):
        return self.name


class TeamMembership(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    # Denormalised so the database enforces "one team per person per challenge".
    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="team_memberships"
    )
    role = models.CharField(
        _("role"), max_length=10, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("team membership")
        verbose_name_plural = _("team memberships")
        constraints = [
            models.UniqueConstraint(fields=["challenge", "user"], name="one_team_per_challenge")
        ]

    def __str__(self):
        return f"{self.user} in {self.team}"


class Invitation(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail"))
    role = models.CharField(
        _("role"), max_length=10, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    token = models.CharField(max_length=64, unique=True, default=_invite_token)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Either ends a pending invitation (services.teams.decline_invitation / revoke_invitation).
    declined_at = models.DateTimeField(_("declined"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return f"{self.email} → {self.team}"


class Submission(models.Model):
    """An entry: one per team per challenge, or one per person for individual entries."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="submissions")
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.PROTECT, related_name="submissions"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="submissions",
        help_text=_("Who created the entry (the only member of an individual entry)."),
    )
    track = models.ForeignKey(
        Track, verbose_name=_("track"), null=True, blank=True, on_delete=models.PROTECT
    )
    title = models.CharField(_("project title"), max_length=200)
    answers = models.JSONField(
        _("answers"),
        default=dict,
        blank=True,
        help_text=_("The answers to the challenge's entry form, keyed by question name."),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=SubmissionStatus.choices,
        default=SubmissionStatus.DRAFT,
        db_index=True,
    )
    status_reason = models.TextField(_("reason"), max_length=2000, blank=True)
    current_version = models.ForeignKey(
        "SubmissionVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The version frozen at the last submit: the one jurors judge."),
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["challenge", "team"],
                condition=Q(team__isnull=False),
                name="one_submission_per_team",
            ),
            models.UniqueConstraint(
                fields=["challenge", "owner"],
                condition=Q(team__isnull=True),
                name="one_individual_submission",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        """The team's page of the entry (messages about the entry link here)."""
        return reverse("submissions:entry", args=[self.pk])

    def answer(self, name, default=""):
        """The draft's answer to the question ``name`` (its ``clean_name``)."""
        return (self.answers or {}).get(name, default)


class SubmissionVersion(models.Model):
    """An immutable snapshot taken at submit: fields and file references."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    data = models.JSONField(default=dict)
    files = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("submitted version")
        verbose_name_plural = _("submitted versions")
        ordering = ["submission", "number"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "number"], name="version_number_once")
        ]

    def __str__(self):
        return f"{self.submission} v{self.number}"


class SubmissionFile(StoredFile):
    """A file attached to a draft. The S3 key is random; the user's name is for display."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(_("file kind"), max_length=20, choices=FileKind.choices)
    removed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("Removed from the draft; kept while a submitted version refers to it."),
    )

    class Meta:
        verbose_name = _("file")
        verbose_name_plural = _("files")
        ordering = ["created_at"]


class StatusChange(models.Model):
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(max_length=20, choices=SubmissionStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=SubmissionStatus.choices)
    reason = models.TextField(max_length=2000, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.submission}: {self.from_status} → {self.to_status}"


class EligibilityException(models.Model):
    """Staff let one person take part in a challenge although the person rules refuse them.

    Only the person rules (age, gender, region) are waived; team size and the profile's
    own requirements still apply. A revoked exception stays as the record of what was done.
    """

    challenge = models.ForeignKey(
        Challenge, on_delete=models.CASCADE, related_name="eligibility_exceptions"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        related_name="eligibility_exceptions",
    )
    reason = models.TextField(_("reason"), max_length=2000)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("eligibility exception")
        verbose_name_plural = _("eligibility exceptions")
        ordering = ["-granted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["challenge", "user"],
                condition=Q(revoked_at__isnull=True),
                name="one_active_eligibility_exception",
            )
        ]

    def __str__(self):
        return f"{self.user} in {self.challenge}"

    @property
    def is_active(self):
        return self.revoked_at is None
