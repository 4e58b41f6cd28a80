"""Rounds, criteria, jurors and their conflicts, assignments (reviews) and scores.

A ``Review`` is the assignment of one entry to one juror in one round; it carries the
juror's state (not started, draft, submitted) and a version counter against lost updates.
"""

import secrets
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from challenges.enums import FormStage
from challenges.models import Challenge, EntryField, Region, Track
from core.i18n import localized
from submissions.models import Submission, Team

from .enums import (
    DEFAULT_METHOD,
    SCREENERS_PER_ENTRY,
    AppealStatus,
    CommentState,
    ConflictKind,
    CutRule,
    IneligibleReason,
    JurorStatus,
    Method,
    OutcomeSource,
    ReviewState,
    RoundMode,
    RoundScope,
    RoundStatus,
    Verdict,
    VisitState,
)


def _token():
    return secrets.token_urlsafe(24)


class Round(models.Model):
    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="rounds")
    name = models.CharField(_("name"), max_length=120)
    name_ru = models.CharField(_("name (ru)"), max_length=120, blank=True)
    name_en = models.CharField(_("name (en)"), max_length=120, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=1)
    mode = models.CharField(
        _("mode"),
        max_length=10,
        choices=RoundMode.choices,
        default=RoundMode.SCORED,
        help_text=_(
            "A screening round has no criteria and no ranking: each entry is marked eligible "
            "or ineligible by one or two screeners (reviews per entry) or by staff. In a "
            "pairwise round judges walk the expo tables and say which of two projects was better."
        ),
    )
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    scope = models.CharField(
        _("entries in scope"),
        max_length=10,
        choices=RoundScope.choices,
        default=RoundScope.ELIGIBLE,
    )
    previous = models.ForeignKey(
        "self",
        verbose_name=_("previous round"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_rounds",
    )
    reviews_per_entry = models.PositiveSmallIntegerField(
        _("reviews per entry"), default=3, validators=[MinValueValidator(1)]
    )
    blind = models.BooleanField(
        _("blind"), default=True, help_text=_("Jurors do not see team members, names or regions.")
    )
    method = models.CharField(
        _("aggregation method"), max_length=12, choices=Method.choices, default=DEFAULT_METHOD
    )
    juror_can_reopen = models.BooleanField(
        _("jurors may reopen submitted reviews until the round closes"), default=True
    )
    fast_review_minutes = models.PositiveSmallIntegerField(
        _("flag reviews finished in under (minutes)"), default=3
    )
    disagreement_threshold = models.DecimalField(
        _("flag entries whose reviews spread more than (points of 100)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("30"),
    )
    # The cut the ranking decides at, for its certainty (docs/judging.md, "How sure").
    cut_rule = models.CharField(
        _("the ranking decides at"), max_length=14, choices=CutRule.choices, blank=True
    )
    cut_value = models.DecimalField(
        _("N or threshold of the cut"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
    )
    show_margins = models.BooleanField(
        _("published results say which places were within the margin"), default=False
    )
    calibration_entries = models.ManyToManyField(
        Submission,
        verbose_name=_("calibration entries"),
        blank=True,
        related_name="+",
        help_text=_("Every juror scores these anchors first and sees how they compare."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.DRAFT
    )
    # The follow-up form: questions of the challenge's form marked "follow-up", asked of the
    # entries in scope until the deadline (docs/forms.md, "Follow-up forms").
    followup_questions = models.ManyToManyField(
        EntryField,
        verbose_name=_("follow-up questions"),
        blank=True,
        related_name="followup_rounds",
        limit_choices_to={"stage": FormStage.FOLLOWUP},
        help_text=_("Questions of the challenge's form marked “follow-up”."),
    )
    followup_deadline = models.DateTimeField(
        _("follow-up deadline"),
        null=True,
        blank=True,
        help_text=_("In the challenge's time zone; no answers are accepted from then on."),
    )
    followup_intro = models.CharField(_("follow-up introduction"), max_length=500, blank=True)
    followup_intro_ru = models.CharField(
        _("follow-up introduction (ru)"), max_length=500, blank=True
    )
    followup_intro_en = models.CharField(
        _("follow-up introduction (en)"), max_length=500, blank=True
    )
    #: When the teams were asked (the request notifies each team once).
    followup_requested_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Feedback to teams and appeals (docs/judging.md, "Feedback and appeals").
    appeal_days = models.PositiveSmallIntegerField(
        _("appeal window (days after feedback is released)"),
        default=7,
        help_text=_("0: no appeals in this round."),
    )
    feedback_released_at = models.DateTimeField(null=True, blank=True, editable=False)
    feedback_released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("judging round")
        verbose_name_plural = _("judging rounds")
        ordering = ["challenge", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")), name="round_closes_after_opening"
            )
        ]

    def __str__(self):
        return localized(self, "name")

    def get_absolute_url(self):
        """The juror's queue of the round (messages to jurors link here)."""
        return reverse("judging:queue", args=[self.pk])

    @property
    def display_name(self):
        return localized(self, "name")

    def clean(self):
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("A round must close after it opens.")})
        if self.scope == RoundScope.ADVANCED and not self.previous_id:
            raise ValidationError({"previous": _("Choose the round entries advance from.")})
        if self.is_screening and self.reviews_per_entry not in SCREENERS_PER_ENTRY:
            raise ValidationError(
                {"reviews_per_entry": _("A screening round has one or two screeners per entry.")}
            )

    @property
    def is_screening(self):
        return self.mode == RoundMode.SCREENING

    @property
    def is_pairwise(self):
        return self.mode == RoundMode.PAIRWISE

    def is_open_at(self, when=None):
        when = when or timezone.now()
        return self.status == RoundStatus.OPEN and self.opens_at <= when < self.closes_at

    @property
    def display_followup_intro(self):
        return localized(self, "followup_intro")

    @property
    def appeal_deadline(self):
        """Appeals are accepted up to, not at, this moment (``None``: none are)."""
        if self.feedback_released_at is None or not self.appeal_days:
            return None
        return self.feedback_released_at + timedelta(days=self.appeal_days)

    def appeals_open_at(self, when=None):
        deadline = self.appeal_deadline
        return deadline is not None and (when or timezone.now()) < deadline

    def followup_open_at(self, when=None):
        """Whether follow-up answers are accepted at ``when``: up to, not at, the deadline."""
        when = when or timezone.now()
        return self.followup_deadline is not None and when < self.followup_deadline


class FollowUpAnswers(models.Model):
    """One entry's answers to a round's follow-up form.

    ``answers`` is the draft (keyed by question name, like ``Submission.answers``);
    a submit freezes ``frozen`` — the answers with the labels as asked, the shape of a
    version's answers — and ``files``, which is what jurors read.
    """

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="followup_answers")
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="followup_answers"
    )
    answers = models.JSONField(default=dict, blank=True)
    frozen = models.JSONField(default=list, blank=True)
    # The verified files of the round's file questions as sent (the shape of a version's).
    files = models.JSONField(default=list, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("follow-up answers")
        verbose_name_plural = _("follow-up answers")
        constraints = [
            models.UniqueConstraint(fields=["round", "submission"], name="followup_once_per_entry")
        ]

    def __str__(self):
        return f"{self.round} · {self.submission}"


class Criterion(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("name"), max_length=120)
    name_ru = models.CharField(_("name (ru)"), max_length=120, blank=True)
    name_en = models.CharField(_("name (en)"), max_length=120, blank=True)
    guidance = models.TextField(_("guidance"), max_length=2000, blank=True)
    guidance_ru = models.TextField(_("guidance (ru)"), max_length=2000, blank=True)
    guidance_en = models.TextField(_("guidance (en)"), max_length=2000, blank=True)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2, default=1)
    scale_min = models.DecimalField(_("lowest score"), max_digits=5, decimal_places=2, default=1)
    scale_max = models.DecimalField(_("highest score"), max_digits=5, decimal_places=2, default=10)
    step = models.DecimalField(_("step"), max_digits=4, decimal_places=2, default=1)
    must_pass = models.DecimalField(
        _("must-pass threshold"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Entries whose mean on this criterion is below it are flagged."),
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["round", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive"),
            models.CheckConstraint(
                condition=Q(scale_max__gt=F("scale_min")), name="criterion_scale_ordered"
            ),
            models.CheckConstraint(condition=Q(step__gt=0), name="criterion_step_positive"),
        ]

    def __str__(self):
        return localized(self, "name")

    @property
    def display_name(self):
        return localized(self, "name")

    @property
    def display_guidance(self):
        return localized(self, "guidance")

    def clean(self):
        errors = {}
        if self.weight is not None and self.weight <= 0:
            errors["weight"] = _("A weight must be above zero.")
        if None not in (self.scale_min, self.scale_max) and self.scale_max <= self.scale_min:
            errors["scale_max"] = _("The highest score must be above the lowest.")
        if self.step is not None and self.step <= 0:
            errors["step"] = _("The step must be above zero.")
        elif None not in (self.scale_min, self.scale_max, self.step) and (
            (self.scale_max - self.scale_min) % self.step
        ):
            errors["step"] = _("The scale must be a whole number of steps.")
        if errors:
            raise ValidationError(errors)


class Juror(models.Model):
    """A person on a challenge's jury: a role, not staff. Invited by e-mail, then accepted."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="jurors")
    email = models.EmailField(_("e-mail"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="juror_roles",
    )
    status = models.CharField(
        max_length=10, choices=JurorStatus.choices, default=JurorStatus.INVITED
    )
    token = models.CharField(max_length=64, unique=True, default=_token)
    expertise = models.ManyToManyField(
        Track, verbose_name=_("expertise (tracks)"), blank=True, related_name="+"
    )
    confidentiality_signed_at = models.DateTimeField(null=True, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    invited_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("juror")
        verbose_name_plural = _("jurors")
        ordering = ["challenge", "email"]
        constraints = [
            models.UniqueConstraint(fields=["challenge", "email"], name="juror_email_once"),
            models.UniqueConstraint(
                fields=["challenge", "user"], condition=Q(user__isnull=False), name="juror_once"
            ),
        ]

    def __str__(self):
        if self.user_id:
            return self.user.get_full_name() or self.user.get_username()
        return self.email

    @property
    def can_score(self):
        return self.status == JurorStatus.ACTIVE and self.confidentiality_signed_at is not None


class Conflict(models.Model):
    juror = models.ForeignKey(Juror, on_delete=models.CASCADE, related_name="conflicts")
    kind = models.CharField(_("conflict with"), max_length=14, choices=ConflictKind.choices)
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    person = models.CharField(_("person's full name"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        ordering = ["juror", "created_at"]

    def __str__(self):
        target = self.team or self.organisation or self.region or self.person
        return f"{self.juror}: {target}"

    def clean(self):
        needed = {
            ConflictKind.TEAM: ("team", self.team_id),
            ConflictKind.ORGANISATION: ("organisation", self.organisation.strip()),
            ConflictKind.REGION: ("region", self.region_id),
            ConflictKind.PERSON: ("person", self.person.strip()),
        }.get(self.kind)
        if needed and not needed[1]:
            raise ValidationError({needed[0]: _("Say who the conflict is with.")})


class Review(models.Model):
    """One entry assigned to one juror in one round, and the juror's work on it."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="reviews")
    juror = models.ForeignKey(Juror, on_delete=models.CASCADE, related_name="reviews")
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="reviews")
    state = models.CharField(
        max_length=10, choices=ReviewState.choices, default=ReviewState.ASSIGNED, db_index=True
    )
    is_calibration = models.BooleanField(default=False)
    # Random per juror, fixed at assignment: the queue order (against order bias).
    queue_key = models.PositiveIntegerField(default=0)
    overall_comment = models.TextField(_("overall comment"), max_length=4000, blank=True)
    share_overall = models.BooleanField(_("share the overall comment with the team"), default=False)
    #: Set on a re-review asked for by an appeal: the juror may score it while the appeal
    #: waits for its decision, though the round is locked.
    appeal = models.ForeignKey(
        "Appeal", null=True, blank=True, on_delete=models.SET_NULL, related_name="rereviews"
    )
    version = models.PositiveIntegerField(default=0)
    opened_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["round", "juror", "queue_key", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "juror", "submission"], name="review_once_per_juror"
            )
        ]
        indexes = [models.Index(fields=["round", "state"])]

    def __str__(self):
        return f"{self.juror} → {self.submission}"

    @property
    def is_submitted(self):
        return self.state == ReviewState.SUBMITTED


class Score(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    value = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    comment = models.TextField(max_length=2000, blank=True)
    share_comment = models.BooleanField(_("share with the team"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="score_once_per_criterion")
        ]

    def __str__(self):
        return f"{self.criterion}: {self.value}"


class ScoreChange(models.Model):
    """The audit trail of scores: who changed what, when, from which value to which."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="changes")
    criterion = models.ForeignKey(
        Criterion, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    old_value = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    new_value = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    what = models.CharField(max_length=20, default="score")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.review_id} {self.criterion_id}: {self.old_value} → {self.new_value}"


class Publication(models.Model):
    """The frozen public ranking of a round: the same numbers the staff saw when publishing."""

    round = models.OneToOneField(Round, on_delete=models.CASCADE, related_name="publication")
    rows = models.JSONField(default=list)
    # ``[[first, last], …]``: runs of places the jury's scores did not tell apart (their
    # intervals overlap), when the round says so publicly (``Round.show_margins``).
    margins = models.JSONField(default=list, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.round} ({self.published_at:%Y-%m-%d})"


class Advancement(models.Model):
    """An entry moved into a round whose scope is "advanced from the previous round"."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="advancements")
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="advancements"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "submission"], name="advanced_once")
        ]

    def __str__(self):
        return f"{self.submission} → {self.round}"


def _verdict_and_reason():
    """Eligible has no reason; ineligible always has one (from the translated list)."""
    return Q(verdict=Verdict.ELIGIBLE, reason="") | (Q(verdict=Verdict.INELIGIBLE) & ~Q(reason=""))


class ScreeningDecision(models.Model):
    """One screener's verdict on one entry of a screening round.

    The screener's assignment is their ``Review`` of the entry (the round's usual
    assignment, conflicts respected); deciding marks it submitted. The entry's outcome is
    a :class:`ScreeningOutcome`, settled when the screeners agree or when staff decide.
    """

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="screening_decisions")
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="screening_decisions"
    )
    screener = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    verdict = models.CharField(_("decision"), max_length=10, choices=Verdict.choices)
    reason = models.CharField(
        _("reason"), max_length=20, choices=IneligibleReason.choices, blank=True
    )
    note = models.TextField(_("note"), max_length=1000, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("screening decision")
        verbose_name_plural = _("screening decisions")
        ordering = ["round", "submission", "at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "submission", "screener"], name="screening_decision_once"
            ),
            models.CheckConstraint(
                condition=_verdict_and_reason(), name="screening_decision_reason"
            ),
        ]

    def __str__(self):
        return f"{self.screener_id} → {self.submission_id}: {self.verdict}"


class ScreeningOutcome(models.Model):
    """The settled result of screening one entry: applied to its status when settled."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="screening_outcomes")
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="screening_outcomes"
    )
    verdict = models.CharField(_("decision"), max_length=10, choices=Verdict.choices)
    reason = models.CharField(
        _("reason"), max_length=20, choices=IneligibleReason.choices, blank=True
    )
    note = models.TextField(_("note"), max_length=1000, blank=True)
    source = models.CharField(max_length=10, choices=OutcomeSource.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("screening outcome")
        verbose_name_plural = _("screening outcomes")
        ordering = ["round", "submission"]
        constraints = [
            models.UniqueConstraint(fields=["round", "submission"], name="screening_outcome_once"),
            models.CheckConstraint(
                condition=_verdict_and_reason(), name="screening_outcome_reason"
            ),
        ]
        indexes = [models.Index(fields=["round", "verdict"])]

    def __str__(self):
        return f"{self.submission_id}: {self.verdict}"


class FeedbackComment(models.Model):
    """A juror comment marked "share with the team", as staff moderated it.

    ``original`` is what the juror wrote (kept; an edit is also in the audit trail),
    ``text`` what the team reads once approved. The team never learns the review or juror.
    """

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="feedback_comments")
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="feedback_comments"
    )
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="+")
    criterion = models.ForeignKey(
        Criterion, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    original = models.TextField(max_length=4000)
    text = models.TextField(_("text the team reads"), max_length=4000)
    state = models.CharField(
        max_length=10, choices=CommentState.choices, default=CommentState.PENDING
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("shared comment")
        verbose_name_plural = _("shared comments")
        ordering = ["round", "submission", "criterion__position", "criterion_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "criterion"],
                condition=Q(criterion__isnull=False),
                name="feedback_comment_once",
            ),
            models.UniqueConstraint(
                fields=["review"],
                condition=Q(criterion__isnull=True),
                name="feedback_overall_once",
            ),
        ]

    def __str__(self):
        return f"{self.submission_id}: {self.text[:40]}"

    @property
    def edited(self):
        return self.text != self.original


class Appeal(models.Model):
    """A team contests its entry's outcome in a round, within the round's appeal window."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="appeals")
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="appeals")
    reason = models.TextField(_("reason"), max_length=4000)
    status = models.CharField(
        max_length=10, choices=AppealStatus.choices, default=AppealStatus.FILED, db_index=True
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    filed_at = models.DateTimeField(default=timezone.now)
    # An optional file, checked and stored like the entries' files (core.uploads).
    file_key = models.CharField(max_length=300, blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    file_type = models.CharField(max_length=100, blank=True)
    file_size = models.PositiveBigIntegerField(default=0)
    file_sha256 = models.CharField(max_length=64, blank=True)
    rereview_requested_at = models.DateTimeField(null=True, blank=True)
    response = models.TextField(_("response to the team"), max_length=4000, blank=True)
    new_status = models.CharField(max_length=20, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["round", "filed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "submission"], name="appeal_once_per_entry")
        ]

    def __str__(self):
        return f"{self.submission} ({self.get_status_display()})"

    @property
    def is_open(self):
        return self.status in (AppealStatus.FILED, AppealStatus.REREVIEW)


class ExpoTable(models.Model):
    """The table an entry presents at in a pairwise round (numbered in order, or by staff)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="expo_tables")
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="expo_tables")
    number = models.PositiveSmallIntegerField(_("table number"), validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("expo table")
        verbose_name_plural = _("expo tables")
        ordering = ["round", "number"]
        constraints = [
            models.UniqueConstraint(fields=["round", "submission"], name="expo_table_once"),
            models.UniqueConstraint(fields=["round", "number"], name="expo_table_number_once"),
        ]

    def __str__(self):
        return f"{self.number}: {self.submission}"


class PairwiseVisit(models.Model):
    """A judge of a pairwise round sent to one entry's table, and how it went.

    A judge has at most one visit "on the way" (``sent``) per round: the table they are
    walking to. ``seen`` visits are the ones they judged; the last one is the project
    the next comparison is against.
    """

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="pairwise_visits")
    juror = models.ForeignKey(Juror, on_delete=models.CASCADE, related_name="pairwise_visits")
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=8, choices=VisitState.choices, default=VisitState.SENT)
    sent_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("expo visit")
        verbose_name_plural = _("expo visits")
        ordering = ["round", "juror", "sent_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "juror"],
                condition=Q(state="sent"),
                name="pairwise_one_visit_on_the_way",
            )
        ]

    def __str__(self):
        return f"{self.juror_id} → {self.submission_id} ({self.state})"


class Comparison(models.Model):
    """A judge's answer in a pairwise round: ``winner`` was better than ``loser``."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="comparisons")
    judge = models.ForeignKey(Juror, on_delete=models.CASCADE, related_name="comparisons")
    winner = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="+")
    loser = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="+")
    #: The visit whose answer this is (one answer per visit).
    visit = models.OneToOneField(
        PairwiseVisit, null=True, blank=True, on_delete=models.SET_NULL, related_name="comparison"
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("comparison")
        verbose_name_plural = _("comparisons")
        ordering = ["round", "created", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(winner=F("loser")), name="comparison_of_two_entries"
            )
        ]

    def __str__(self):
        return f"{self.winner_id} > {self.loser_id}"
