"""The people's choice vote of a challenge: its window, the teams' consent to the public
gallery, and one vote per account (a database constraint, not a check in Python)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from challenges.models import Challenge
from submissions.models import Submission

from .enums import VoteStatus


class PeoplesChoice(models.Model):
    """A challenge's optional public vote: a separate award, never part of the jury score."""

    challenge = models.OneToOneField(
        Challenge,
        verbose_name=_("challenge"),
        on_delete=models.CASCADE,
        related_name="peoples_choice",
    )
    opens_at = models.DateTimeField(_("voting opens"))
    closes_at = models.DateTimeField(_("voting closes"))
    require_phone = models.BooleanField(
        _("voters also confirm a phone number by an SMS code"),
        default=False,
        help_text=_("On top of the confirmed e-mail address every voter has."),
    )
    published_at = models.DateTimeField(_("results published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("people's choice vote")
        verbose_name_plural = _("people's choice votes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="vote_closes_after_it_opens",
            )
        ]

    def __str__(self):
        return str(self.challenge)

    def is_open(self, now=None):
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at

    def is_closed(self, now=None):
        return (now or timezone.now()) >= self.closes_at

    @property
    def is_published(self):
        return self.published_at is not None


class GalleryConsent(models.Model):
    """The team (its lead, or the owner of an individual entry) agrees that the entry's
    team name, title, summary, image and video link are shown in the public gallery."""

    submission = models.OneToOneField(
        Submission, on_delete=models.CASCADE, related_name="gallery_consent"
    )
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    given_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("gallery consent")
        verbose_name_plural = _("gallery consents")

    def __str__(self):
        return str(self.submission)


class Vote(models.Model):
    """One account's vote in one challenge's vote; changing it updates this row."""

    peoples_choice = models.ForeignKey(
        PeoplesChoice, on_delete=models.CASCADE, related_name="votes"
    )
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="votes"
    )
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="votes")
    status = models.CharField(
        _("status"), max_length=10, choices=VoteStatus.choices, default=VoteStatus.COUNTED
    )
    #: The fraud rules (``voting.services.fraud``) that matched, and their summed weight.
    reasons = models.JSONField(default=list, blank=True)
    score = models.PositiveSmallIntegerField(default=0)
    #: The voter's network (/24 for IPv4, /48 for IPv6), never the full address.
    network = models.CharField(max_length=50, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    cast_at = models.DateTimeField(_("cast at"), default=timezone.now)
    changes = models.PositiveSmallIntegerField(default=0)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    review_reason = models.TextField(max_length=1000, blank=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(fields=["peoples_choice", "voter"], name="one_vote_per_account")
        ]
        indexes = [models.Index(fields=["peoples_choice", "cast_at"])]

    def __str__(self):
        return f"{self.voter_id} → {self.submission_id}"


class PhoneConfirmation(models.Model):
    """A person's phone number confirmed by a one-time code sent by SMS (through the
    notifications outbox). Only a keyed hash of the code is kept here."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="phone_confirmation"
    )
    phone = models.CharField(_("phone"), max_length=32)
    code_hash = models.CharField(max_length=64, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_today = models.PositiveSmallIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    class Meta:
        verbose_name = _("phone confirmation")
        verbose_name_plural = _("phone confirmations")

    def __str__(self):
        return f"{self.user_id}: {self.phone}"
