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
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.contrib.forms.models import AbstractFormField
from wagtail.contrib.forms.utils import get_field_clean_name

from core.errors import Conflict
from core.i18n import localized
from core.validators import plausible_programme_date

from .enums import (
    FILE_KIND_TYPES,
    AnswerVisibility,
    ChallengeKind,
    ChoiceWidget,
    EntryFieldType,
    FileKind,
    FormStage,
    GenderRule,
    PhaseKind,
)
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


class District(models.Model):
    """A district (tuman) or district-level city of a region, loaded by a data migration
    from ``challenges/data/uz_districts.json``. ``code`` is stable: the region's ISO code
    and the English name as a slug (``UZ-QR-nukus-city``)."""

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="districts"
    )
    code = models.SlugField(_("code"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_ru = models.CharField(_("name (ru)"), max_length=100, blank=True)
    name_en = models.CharField(_("name (en)"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["region__name", "name"]

    def __str__(self):
        return localized(self, "name")


class Challenge(ClusterableModel):
    title = models.CharField(_("title (uz)"), max_length=200)
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
    name = models.CharField(_("name (uz)"), max_length=150)
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
    title = models.CharField(_("title (uz)"), max_length=150)
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


#: Names an entry form's own inputs use beside the answers: no question may take them.
RESERVED_NAMES = frozenset({"title", "track", "action", "csrfmiddlewaretoken"})


# Uzbek (Latin) writes oʻ, gʻ and the tutuq belgisi with modifier letters or apostrophes.
_APOSTROPHES = dict.fromkeys(map(ord, "ʻʼ'‘’`´"), None)  # noqa: RUF001 -- the apostrophes Uzbek text uses, on purpose


def clean_key(text):
    """The stable ASCII name of a label or choice: "Gʻoya" → "goya", "Taʼlim" → "talim"."""
    return get_field_clean_name((text or "").translate(_APOSTROPHES))


def _lines(text):
    return [line.strip() for line in (text or "").splitlines()]


class EntryField(ClusterableModel, AbstractFormField):
    """One question on a challenge's entry form (Wagtail's form field, our own types).

    Answers live on the entry (``Submission.answers``) keyed by ``clean_name``; a submitted
    version freezes them with the labels as they were asked, so editing a question later
    never changes an earlier version. A question that has answers is archived, not deleted.
    """

    challenge = ParentalKey(Challenge, on_delete=models.CASCADE, related_name="entry_fields")
    field_type = models.CharField(
        verbose_name=_("field type"), max_length=20, choices=EntryFieldType.choices
    )
    field_type.required_on_save = True
    label_ru = models.CharField(_("label (ru)"), max_length=255, blank=True)
    label_en = models.CharField(_("label (en)"), max_length=255, blank=True)
    help_text_ru = models.CharField(_("help text (ru)"), max_length=255, blank=True)
    help_text_en = models.CharField(_("help text (en)"), max_length=255, blank=True)
    choices_ru = models.TextField(
        _("choices (ru)"), blank=True, help_text=_("One per line, in the order of the Uzbek list.")
    )
    choices_en = models.TextField(
        _("choices (en)"), blank=True, help_text=_("One per line, in the order of the Uzbek list.")
    )
    stage = models.CharField(
        _("asked on"),
        max_length=20,
        choices=FormStage.choices,
        default=FormStage.ENTRY,
        help_text=_(
            "Follow-up questions are not on the entry form: a judging round asks them of the "
            "entries in its scope (choose them on the round). Application questions are asked "
            "when a person registers for the hackathon."
        ),
    )
    required = models.BooleanField(
        _("required to submit"),
        default=False,
        help_text=_("Drafts may be saved without it; the entry cannot be submitted without it."),
    )

    # Limits of the types that have them.
    max_length = models.PositiveIntegerField(
        _("maximum characters"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    max_words = models.PositiveIntegerField(
        _("maximum words"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    min_value = models.DecimalField(
        _("minimum"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("maximum"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    integer_only = models.BooleanField(_("whole numbers only"), default=False)
    widget = models.CharField(
        _("shown as"), max_length=10, choices=ChoiceWidget.choices, default=ChoiceWidget.RADIO
    )
    min_choices = models.PositiveSmallIntegerField(_("minimum selections"), null=True, blank=True)
    max_choices = models.PositiveSmallIntegerField(_("maximum selections"), null=True, blank=True)

    # Who sees the answer, and for whom the question is asked.
    visibility = models.CharField(
        _("who sees the answer"),
        max_length=10,
        choices=AnswerVisibility.choices,
        default=AnswerVisibility.JURORS,
    )
    hide_in_blind = models.BooleanField(
        _("hidden in blind rounds"),
        default=False,
        help_text=_("For answers that name the team, its school or its mentor."),
    )
    tracks = ParentalManyToManyField(
        Track,
        verbose_name=_("only for tracks"),
        blank=True,
        related_name="+",
        help_text=_("Empty: every track."),
    )
    condition_field = models.CharField(
        _("only when question"),
        max_length=255,
        blank=True,
        help_text=_("The name of another question on this form; empty: always asked."),
    )
    condition_value = models.CharField(
        _("has the answer"),
        max_length=255,
        blank=True,
        help_text=_("For choices, the choice as written in Uzbek; for yes/no: yes or no."),
    )
    archived = models.BooleanField(
        _("archived"),
        default=False,
        help_text=_("No longer asked; its answers stay in versions and exports."),
    )

    # File questions: an upload slot through the verified upload path.
    file_kind = models.SlugField(_("file kind"), max_length=20, blank=True)
    accepted_types = models.CharField(
        _("accepted types"),
        max_length=255,
        blank=True,
        help_text=_("MIME types separated by commas, e.g. application/pdf, image/png."),
    )
    max_size_mb = models.PositiveIntegerField(
        _("maximum size (MB)"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    max_files = models.PositiveSmallIntegerField(
        _("maximum number of files"), null=True, blank=True, validators=[MinValueValidator(1)]
    )

    class Meta(AbstractFormField.Meta):
        verbose_name = _("entry form question")
        verbose_name_plural = _("entry form questions")
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["challenge", "clean_name"], name="entry_field_name_per_challenge"
            ),
            # Uploads are keyed by their kind: one file question per kind.
            models.UniqueConstraint(
                fields=["challenge", "file_kind"],
                condition=Q(field_type="file"),
                name="file_kind_once_per_form",
            ),
        ]

    def __str__(self):
        return self.label

    # Per-language text: the active language, else the first language that has it.
    def text(self, field, code):
        """``(text, language)`` for ``field`` ("label", "help_text") in language ``code``;
        falls back to uz, ru, en in turn, so a label is never empty."""
        order = [code, settings.LANGUAGE_CODE, *(c for c, _n in settings.LANGUAGES)]
        for candidate in order:
            name = field if candidate == settings.LANGUAGE_CODE else f"{field}_{candidate}"
            value = getattr(self, name, "")
            if value:
                return value, candidate
        return "", code

    def labels(self):
        return {
            code: getattr(self, "label" if code == settings.LANGUAGE_CODE else f"label_{code}")
            for code, _n in settings.LANGUAGES
        }

    def choice_list(self):
        """``[(key, {uz, ru, en})]``: the key is the clean name of the Uzbek line, stable when
        the translations change; missing translations are left empty."""
        uz = [line for line in _lines(self.choices) if line]
        per_language = {
            code: _lines(getattr(self, f"choices_{code}", ""))
            for code, _n in settings.LANGUAGES
            if code != settings.LANGUAGE_CODE
        }
        found = []
        for index, line in enumerate(uz):
            labels = {settings.LANGUAGE_CODE: line}
            for code, lines in per_language.items():
                labels[code] = lines[index] if index < len(lines) else ""
            found.append((clean_key(line), labels))
        return found

    # A file question is an upload slot: the upload path reads these (submissions/services/files).
    @property
    def kind(self):
        return self.file_kind

    def get_kind_display(self):
        code = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
        return self.text("label", code)[0]

    @property
    def content_types(self):
        if self.accepted_types.strip():
            return [t.strip() for t in self.accepted_types.split(",") if t.strip()]
        if self.file_kind in FileKind.values:
            return FILE_KIND_TYPES[FileKind(self.file_kind)]
        return []

    @property
    def max_bytes(self):
        return self.size_limit_mb * 1024 * 1024

    @property
    def size_limit_mb(self):
        return self.max_size_mb or 20

    @property
    def files_limit(self):
        return self.max_files or 1

    def get_field_clean_name(self):
        name = clean_key(self.label)
        # A name that starts with a digit would read as an array index in JSON lookups.
        return f"q_{name}" if name[:1].isdigit() else name

    def has_answers(self):
        """Whether any entry answered this question (or holds a file of its kind)."""
        if self.pk is None or self.challenge_id is None:
            return False
        entries = self.challenge.submissions.all()
        if self.field_type == EntryFieldType.FILE:
            return entries.filter(files__kind=self.file_kind).exists()
        if self.stage == FormStage.FOLLOWUP:
            # A round's follow-up answers (judging's rows, reached by their relation name):
            # a draft answer counts as much as a sent one.
            return entries.filter(followup_answers__answers__has_key=self.clean_name).exists()
        if self.stage == FormStage.APPLICATION:
            # A hackathon registration's frozen answers (hackathons' rows, by relation name).
            # (Read in Python: SQLite has no JSON containment; the frozen list is short.)
            given = Challenge.objects.filter(pk=self.challenge_id).values_list(
                "hackathon__registrations__answers", flat=True
            )
            return any(
                item.get("key") == self.clean_name for answers in given for item in answers or []
            )
        return entries.filter(answers__has_key=self.clean_name).exists()

    def delete(self, *args, **kwargs):
        # The admin inline refuses first with a form error; this guards every other path.
        if self.has_answers():
            raise Conflict(
                _("“%(label)s” has answers: archive it instead of deleting it.")
                % {"label": self.label},
                code="field_has_answers",
            )
        return super().delete(*args, **kwargs)

    def clean(self):
        super().clean()
        self.stage = self.stage or FormStage.ENTRY
        if not self.clean_name:
            self.clean_name = self.get_field_clean_name()
        if self.clean_name in RESERVED_NAMES:
            raise ValidationError(
                {"label": _("This name is used by the entry form itself; choose another label.")}
            )
        errors = {}
        if self.field_type in (EntryFieldType.SINGLE_CHOICE, EntryFieldType.MULTIPLE_CHOICE):
            keys = [key for key, _labels in self.choice_list()]
            if not keys:
                errors["choices"] = _("A choice question needs at least one choice.")
            elif len(set(keys)) != len(keys) or "" in keys:
                errors["choices"] = _("Two choices have the same name; make them distinct.")
        if (
            self.min_value is not None
            and self.max_value is not None
            and self.max_value < self.min_value
        ):
            errors["max_value"] = _("The maximum is below the minimum.")
        if (
            self.min_choices is not None
            and self.max_choices is not None
            and self.max_choices < self.min_choices
        ):
            errors["max_choices"] = _("The maximum is below the minimum.")
        if self.field_type == EntryFieldType.FILE and self.stage == FormStage.APPLICATION:
            errors["field_type"] = _(
                "A hackathon application cannot ask for a file: registering has no upload. "
                "Ask for a link instead."
            )
        elif self.field_type == EntryFieldType.FILE and not self.file_kind:
            errors["file_kind"] = _("A file question needs a file kind.")
        elif self.field_type == EntryFieldType.FILE and not self.content_types:
            errors["accepted_types"] = _(
                "Name the accepted types: this kind of file has no default list."
            )
        if self.condition_field and self.condition_field == self.clean_name:
            errors["condition_field"] = _("A question cannot depend on itself.")
        if errors:
            raise ValidationError(errors)
