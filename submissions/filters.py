"""Staff filters for entries (django-filter). Region, gender and age are the lead's."""

from datetime import date

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from challenges.enums import EntryFieldType, FormStage, Gender
from challenges.models import EntryField, Region, Track
from challenges.selectors import managed_by
from core.pagination import StableOrderingFilter

from .enums import FileStatus, SubmissionStatus
from .models import Submission, SubmissionFile
from .services.answers import language

AGE_GROUPS = [
    ("under_18", _("under 18"), 0, 17),
    ("18_24", _("18–24"), 18, 24),
    ("25_30", _("25–30"), 25, 30),
    ("over_30", _("over 30"), 31, 200),
]


def labels_in(labels):
    code = language()
    return labels.get(code) or labels.get("uz") or next((v for v in labels.values() if v), "")


def _years_ago(today, years):
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return date(today.year - years, 2, 28)


class SubmissionFilter(django_filters.FilterSet):
    challenge = django_filters.ModelChoiceFilter(label=_("Challenge"), queryset=None)
    track = django_filters.ModelChoiceFilter(label=_("Track"), queryset=None)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=SubmissionStatus.choices)
    stage = django_filters.ChoiceFilter(
        label=_("Submitted or draft"),
        choices=[("submitted", _("Submitted")), ("draft", _("Draft only"))],
        method="filter_stage",
    )
    region = django_filters.ModelChoiceFilter(
        label=_("Region"), field_name="owner__profile__region", queryset=Region.objects.all()
    )
    gender = django_filters.ChoiceFilter(
        label=_("Gender"), field_name="owner__profile__gender", choices=Gender.choices
    )
    age_group = django_filters.ChoiceFilter(
        label=_("Age group"),
        choices=[(code, label) for code, label, _lo, _hi in AGE_GROUPS],
        method="filter_age_group",
    )
    has_files = django_filters.BooleanFilter(label=_("Has files"), method="filter_has_files")
    sort = StableOrderingFilter(
        label=_("Sort by"),
        fields=(("submitted_at", "submitted"), ("title", "title"), ("status", "status")),
        field_labels={"submitted_at": _("Submitted"), "title": _("Title"), "status": _("Status")},
    )

    class Meta:
        model = Submission
        fields = ["challenge", "track", "status"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        challenges = managed_by(user)
        self.filters["challenge"].queryset = challenges
        self.filters["track"].queryset = Track.objects.filter(challenge__in=challenges)
        self._add_answer_filters(challenges)

    # Once a challenge is chosen, its choice questions become filters too.
    ANSWER_PREFIX = "answer_"
    FILTERED_TYPES = (
        EntryFieldType.SINGLE_CHOICE,
        EntryFieldType.MULTIPLE_CHOICE,
        EntryFieldType.YES_NO,
    )

    def _add_answer_filters(self, challenges):
        chosen = (self.data or {}).get("challenge")
        if not chosen or not str(chosen).isdigit():
            return
        questions = EntryField.objects.filter(
            challenge__in=challenges,
            challenge_id=int(chosen),
            field_type__in=self.FILTERED_TYPES,
            stage=FormStage.ENTRY,
        ).order_by("sort_order", "id")
        for question in questions:
            if question.field_type == EntryFieldType.YES_NO:
                choices = [("yes", _("Yes")), ("no", _("No"))]
            else:
                choices = [(key, labels_in(labels)) for key, labels in question.choice_list()]
            name = f"{self.ANSWER_PREFIX}{question.clean_name}"
            self.filters[name] = django_filters.ChoiceFilter(
                label=question.text("label", language())[0],
                choices=choices,
                method=self._answer_method(question),
            )

    @staticmethod
    def _answer_method(question):
        key = question.clean_name
        multiple = question.field_type == EntryFieldType.MULTIPLE_CHOICE

        def method(queryset, name, value):
            if multiple:
                # A list in JSON: the key as a quoted string (keys are snake_case ASCII).
                return queryset.filter(**{f"answers__{key}__icontains": f'"{value}"'})
            return queryset.filter(**{f"answers__{key}": value})

        return method

    def filter_stage(self, queryset, name, value):
        if value == "submitted":
            return queryset.filter(current_version__isnull=False)
        if value == "draft":
            return queryset.filter(current_version__isnull=True)
        return queryset

    def filter_age_group(self, queryset, name, value):
        today = timezone.localdate()
        for code, _label, low, high in AGE_GROUPS:
            if code == value:
                youngest = _years_ago(today, low)
                oldest = _years_ago(today, high + 1)
                return queryset.filter(
                    Q(owner__profile__birth_date__lte=youngest)
                    & Q(owner__profile__birth_date__gt=oldest)
                )
        return queryset

    def filter_has_files(self, queryset, name, value):
        verified = SubmissionFile.objects.filter(
            submission=OuterRef("pk"), status=FileStatus.VERIFIED, removed_at__isnull=True
        )
        return queryset.filter(Exists(verified)) if value else queryset.exclude(Exists(verified))
