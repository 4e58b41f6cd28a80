"""The operational core of a challenge: phases, tracks, eligibility, prizes, file rules.

Operational facts (deadlines, team sizes, weights) live here once; the words presented to
the public live on the translatable ``cms.ChallengePage`` that shows a Challenge.
"""

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel

from core.i18n import localized
from core.validators import plausible_programme_date

from .enums import FILE_KIND_TYPES, ChallengeKind, FileKind, GenderRule, PhaseKind
from .services.phases import current_phase, status_for

TIME_ZONE_CHOICES = [
    (name, name)
    for name in sorted(zoneinfo.available_timezones())
    if name.startswith(("Asia/", "Europe/", "UTC"))
]


class Region(models.Model):
    """A first-level division of Uzbekistan (ISO 3166-2), loaded by a data migration."""

    code = models.CharField(_("ISO code"), max_length=6, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_ru = models.CharField(_("name (ru)"), max_length=100, blank=True)
    name_en = models.CharField(_("name (en)"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["name"]

    def __str__(self):
        return localized(self, "name")


class Challenge(ClusterableModel):
    title = models.CharField(_("title"), max_length=200)
    title_ru = models.CharField(_("title (ru)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (en)"), max_length=200, blank=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ChallengeKind.choices)
    organiser = models.CharField(_("organiser"), max_length=200, blank=True)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        choices=TIME_ZONE_CHOICES,
        default=settings.TANLOV_DEFAULT_TIME_ZONE,
        help_text=_("Deadlines are enforced in this time zone."),
    )
    grace_minutes = models.PositiveSmallIntegerField(
        _("grace minutes"),
        default=0,
        validators=[MaxValueValidator(120)],
        help_text=_("Submissions are still accepted this many minutes after the deadline."),
    )

    # Eligibility (tracks may narrow age and gender).
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    age_reference_date = models.DateField(
        _("age counted on"),
        null=True,
        blank=True,
        help_text=_("Ages are counted on this date; empty: on the submission deadline."),
        validators=[plausible_programme_date],
    )
    gender_rule = models.CharField(
        _("who may take part"), max_length=10, choices=GenderRule.choices, default=GenderRule.ANY
    )
    allowed_regions = ParentalManyToManyField(
        Region,
        verbose_name=_("allowed regions"),
        blank=True,
        related_name="+",
        help_text=_("Empty: every region."),
    )
    team_min_size = models.PositiveSmallIntegerField(
        _("minimum team size"), default=1, validators=[MinValueValidator(1)]
    )
    team_max_size = models.PositiveSmallIntegerField(
        _("maximum team size"), default=5, validators=[MinValueValidator(1)]
    )
    individual_entries = models.BooleanField(_("individual entries allowed"), default=True)
    mentor_required = models.BooleanField(_("mentor required"), default=False)

    # Submission form.
    require_summary = models.BooleanField(_("summary required"), default=True)
    require_repository = models.BooleanField(_("repository link required"), default=False)
    require_video = models.BooleanField(_("demo video link required"), default=False)

    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("challenge managers"),
        blank=True,
        related_name="managed_challenges",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(team_max_size__gte=F("team_min_size")),
                name="challenge_team_sizes_ordered",
            ),
            models.CheckConstraint(
                condition=Q(min_age__isnull=True)
                | Q(max_age__isnull=True)
                | Q(max_age__gte=F("min_age")),
                name="challenge_ages_ordered",
            ),
        ]

    def __str__(self):
        return self.display_title

    @property
    def display_title(self):
        return localized(self, "title")

    @property
    def tz(self):
        return zoneinfo.ZoneInfo(self.time_zone)

    def clean(self):
        if self.team_min_size and self.team_max_size and self.team_max_size < self.team_min_size:
            raise ValidationError(
                {"team_max_size": _("The maximum team size is below the minimum.")}
            )
        if self.min_age and self.max_age and self.max_age < self.min_age:
            raise ValidationError({"max_age": _("The maximum age is below the minimum age.")})

    # Cheap derived facts; the rules themselves live in services.
    def phase_at(self, when=None):

        return current_phase(list(self.phases.all()), when or timezone.now())

    def status_at(self, when=None):

        return status_for(list(self.phases.all()), when or timezone.now())


class Phase(models.Model):
    challenge = ParentalKey(Challenge, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField(_("phase"), max_length=20, choices=PhaseKind.choices)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["challenge", "kind"], name="phase_once_per_challenge"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="phase_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.starts_at:%Y-%m-%d} – {self.ends_at:%Y-%m-%d}"

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("A phase must end after it starts.")})


class Track(models.Model):
    challenge = ParentalKey(Challenge, on_delete=models.CASCADE, related_name="tracks")
    name = models.CharField(_("name"), max_length=150)
    name_ru = models.CharField(_("name (ru)"), max_length=150, blank=True)
    name_en = models.CharField(_("name (en)"), max_length=150, blank=True)
    slug = models.SlugField(_("slug"), max_length=60)
    # A track may narrow the challenge's eligibility (Junior/Senior divisions, girls-only).
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    gender_rule = models.CharField(
        _("who may take part"), max_length=10, choices=GenderRule.choices, blank=True
    )
    sort_order = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("track")
        verbose_name_plural = _("tracks")
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["challenge", "slug"], name="track_slug_per_challenge")
        ]

    def __str__(self):
        return localized(self, "name")


class Prize(models.Model):
    challenge = ParentalKey(Challenge, on_delete=models.CASCADE, related_name="prizes")
    track = models.ForeignKey(
        Track, verbose_name=_("track"), null=True, blank=True, on_delete=models.SET_NULL
    )
    place = models.PositiveSmallIntegerField(_("place"), validators=[MinValueValidator(1)])
    title = models.CharField(_("title"), max_length=150)
    title_ru = models.CharField(_("title (ru)"), max_length=150, blank=True)
    title_en = models.CharField(_("title (en)"), max_length=150, blank=True)
    amount = models.DecimalField(
        _("amount"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, default="UZS")
    description = models.TextField(_("description"), max_length=2000, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("prize")
        verbose_name_plural = _("prizes")
        ordering = ["sort_order", "place"]

    def __str__(self):
        return f"{self.place}. {localized(self, 'title')}"

    @property
    def display_title(self):
        return localized(self, "title")


class FileRequirement(models.Model):
    """A kind of file an entry may or must carry, with its limits."""

    challenge = ParentalKey(Challenge, on_delete=models.CASCADE, related_name="file_requirements")
    kind = models.CharField(_("file kind"), max_length=20, choices=FileKind.choices)
    required = models.BooleanField(_("required"), default=False)
    max_size_mb = models.PositiveIntegerField(
        _("maximum size (MB)"), default=20, validators=[MinValueValidator(1)]
    )
    max_files = models.PositiveSmallIntegerField(
        _("maximum number of files"), default=1, validators=[MinValueValidator(1)]
    )
    sort_order = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("file requirement")
        verbose_name_plural = _("file requirements")
        ordering = ["sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["challenge", "kind"], name="file_kind_once")]

    def __str__(self):
        return self.get_kind_display()

    @property
    def content_types(self):
        return FILE_KIND_TYPES[FileKind(self.kind)]

    @property
    def max_bytes(self):
        return self.max_size_mb * 1024 * 1024
