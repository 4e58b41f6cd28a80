"""Incubation: cohorts of winning projects, their stages, milestones, reports and KPIs.

Files (milestone evidence, report attachments) live in S3 through ``core.uploads``; rows
keep only the key and what verification found.
"""

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel

from challenges.models import TIME_ZONE_CHOICES, Challenge, Region
from core.i18n import localized
from core.models import StoredFile
from core.validators import plausible_programme_date
from submissions.models import Submission, Team

from . import periods
from .enums import (
    KpiAggregation,
    MilestoneState,
    MilestoneStatus,
    ReminderKind,
    StageKind,
    SupportKind,
)


class Cohort(ClusterableModel):
    """A programme that follows a group of projects for a while (e.g. "COVID-19 2020")."""

    name = models.CharField(_("name"), max_length=200)
    name_ru = models.CharField(_("name (ru)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (en)"), max_length=200, blank=True)
    challenges = ParentalManyToManyField(
        Challenge, verbose_name=_("challenges"), related_name="cohorts", blank=True
    )
    starts_on = models.DateField(_("starts"), validators=[plausible_programme_date])
    ends_on = models.DateField(_("ends"), validators=[plausible_programme_date])
    managers = ParentalManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("programme managers"),
        related_name="managed_cohorts",
        blank=True,
    )
    report_every_months = models.PositiveSmallIntegerField(
        _("report every (months)"), default=1, validators=[MinValueValidator(1)]
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        choices=TIME_ZONE_CHOICES,
        default=settings.TANLOV_DEFAULT_TIME_ZONE,
        help_text=_("Due dates and report periods are counted in this time zone."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["-starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="cohort_ends_after_start"
            )
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        return localized(self, "name")

    @property
    def tz(self):
        return zoneinfo.ZoneInfo(self.time_zone)

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("A cohort must end after it starts.")})

    def today(self, now=None):
        return periods.local_today(self.time_zone, now)

    def period_starts(self):
        return periods.period_starts(
            starts_on=self.starts_on, ends_on=self.ends_on, every_months=self.report_every_months
        )

    def last_due_period(self, today):
        return periods.last_due_period(
            starts_on=self.starts_on,
            ends_on=self.ends_on,
            every_months=self.report_every_months,
            today=today,
        )

    def due_periods(self, today):
        """Every period that has ended by ``today``: each needs a report."""
        return [
            start
            for start in self.period_starts()
            if periods.period_end(start, self.report_every_months) < today
        ]

    def current_period(self, today):
        return periods.current_period(
            starts_on=self.starts_on,
            ends_on=self.ends_on,
            every_months=self.report_every_months,
            today=today,
        )


class Stage(models.Model):
    cohort = ParentalKey(Cohort, on_delete=models.CASCADE, related_name="stages")
    name = models.CharField(_("name"), max_length=100)
    name_ru = models.CharField(_("name (ru)"), max_length=100, blank=True)
    name_en = models.CharField(_("name (en)"), max_length=100, blank=True)
    slug = models.SlugField(_("slug"), max_length=40)
    kind = models.CharField(
        _("kind"), max_length=10, choices=StageKind.choices, default=StageKind.ACTIVE
    )
    sort_order = models.PositiveSmallIntegerField(default=0, editable=False)
    sort_order_field = "sort_order"  # lets the admin's inline panel reorder stages

    class Meta:
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "slug"], name="stage_slug_per_cohort")
        ]

    def __str__(self):
        return localized(self, "name")

    @property
    def display_name(self):
        return localized(self, "name")


class KpiDefinition(models.Model):
    """A number each project of a cohort reports every period."""

    cohort = ParentalKey(Cohort, on_delete=models.CASCADE, related_name="kpis")
    slug = models.SlugField(_("slug"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    name_ru = models.CharField(_("name (ru)"), max_length=100, blank=True)
    name_en = models.CharField(_("name (en)"), max_length=100, blank=True)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    aggregation = models.CharField(
        _("adds up as"), max_length=10, choices=KpiAggregation.choices, default=KpiAggregation.SUM
    )
    sort_order = models.PositiveSmallIntegerField(default=0, editable=False)
    sort_order_field = "sort_order"

    class Meta:
        verbose_name = _("KPI")
        verbose_name_plural = _("KPIs")
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "slug"], name="kpi_slug_per_cohort")
        ]

    def __str__(self):
        return localized(self, "name")

    @property
    def display_name(self):
        return localized(self, "name")


class Project(models.Model):
    """An incubated project, carried over from a winning or finalist submission."""

    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="projects")
    submission = models.OneToOneField(
        Submission, on_delete=models.PROTECT, related_name="incubated_project"
    )
    # Copied from the submission so that the record stands on its own and filters cheaply.
    challenge = models.ForeignKey(Challenge, on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.PROTECT, related_name="incubated_projects"
    )
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(
        Region, verbose_name=_("region"), null=True, blank=True, on_delete=models.SET_NULL
    )
    title = models.CharField(_("project title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=2000, blank=True)
    stage = models.ForeignKey(
        Stage, verbose_name=_("stage"), on_delete=models.PROTECT, related_name="projects"
    )
    mentors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mentors"),
        blank=True,
        related_name="mentored_projects",
    )
    # The public success story (a cms page); an id, because domain apps don't import cms.
    story_page_id = models.PositiveIntegerField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("incubated project")
        verbose_name_plural = _("incubated projects")
        ordering = ["title", "id"]

    def __str__(self):
        return self.title


class StageChange(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.ForeignKey(
        Stage, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("note"), max_length=500, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.project}: {self.from_stage} → {self.to_stage}"


class ProjectLink(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="links")
    label = models.CharField(_("label"), max_length=100)
    url = models.URLField(_("address"))

    class Meta:
        verbose_name = _("link")
        verbose_name_plural = _("links")
        ordering = ["id"]

    def __str__(self):
        return self.label


class Support(models.Model):
    """Support a project received: a grant tranche, a training, in-kind help."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="support")
    kind = models.CharField(_("kind"), max_length=10, choices=SupportKind.choices)
    title = models.CharField(_("what"), max_length=200)
    amount = models.DecimalField(
        _("amount"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    currency = models.CharField(_("currency"), max_length=3, default="UZS")
    given_on = models.DateField(_("date"), validators=[plausible_programme_date])
    note = models.TextField(_("note"), max_length=2000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("support")
        ordering = ["given_on", "id"]

    def __str__(self):
        return self.title


class Milestone(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=3000, blank=True)
    due_on = models.DateField(_("due date"), validators=[plausible_programme_date])
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="incubation_milestones",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=MilestoneStatus.choices, default=MilestoneStatus.PLANNED
    )
    evidence = models.TextField(_("evidence"), max_length=4000, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_on", "id"]

    def __str__(self):
        return self.title

    def is_late(self, today):
        """Late once the due day is over (in the cohort's time zone) and not done."""
        return self.status != MilestoneStatus.DONE and self.due_on < today

    def state_on(self, today):
        if self.is_late(today):
            return MilestoneState.LATE
        return MilestoneState(self.status)


class ProgressReport(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="reports")
    period_start = models.DateField(_("period"))
    narrative = models.TextField(_("what happened"), max_length=5000)
    blockers = models.TextField(_("blockers"), max_length=3000, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["period_start", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "period_start"], name="one_report_per_period"
            )
        ]

    def __str__(self):
        return f"{self.project} {self.period_start:%Y-%m}"


class KpiValue(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="values")
    kpi = models.ForeignKey(KpiDefinition, on_delete=models.PROTECT, related_name="values")
    value = models.DecimalField(max_digits=16, decimal_places=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "kpi"], name="kpi_value_once_per_report")
        ]

    def __str__(self):
        return f"{self.kpi}: {self.value}"


class MentorComment(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("comment"), max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.author}: {self.body[:40]}"


class ProjectFile(StoredFile):
    """Milestone evidence or a report attachment, stored in S3 under a random key."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="files")
    milestone = models.ForeignKey(
        Milestone, null=True, blank=True, on_delete=models.CASCADE, related_name="files"
    )
    report = models.ForeignKey(
        ProgressReport, null=True, blank=True, on_delete=models.CASCADE, related_name="files"
    )

    class Meta:
        verbose_name = _("file")
        verbose_name_plural = _("files")
        ordering = ["created_at", "id"]


class Reminder(models.Model):
    """One reminder sent: the unique constraint makes the reminder task idempotent per day."""

    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    milestone = models.ForeignKey(
        Milestone, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    period_start = models.DateField(null=True, blank=True)
    day = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "milestone", "day"],
                condition=Q(milestone__isnull=False),
                name="one_milestone_reminder_a_day",
            ),
            models.UniqueConstraint(
                fields=["kind", "project", "period_start", "day"],
                condition=Q(milestone__isnull=True),
                name="one_report_reminder_a_day",
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.day}"
