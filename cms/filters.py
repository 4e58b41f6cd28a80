"""The public challenge listing's filters (django-filter). A value that does not fit
(unknown status, region or track) becomes a form error and that filter is ignored."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from challenges.enums import ChallengeKind, ChallengeStatus
from challenges.models import Phase, Region, Track
from challenges.services.phases import status_for
from core.i18n import localized


class ChallengePageFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_words",
        widget=forms.TextInput(attrs={"type": "search", "maxlength": 100}),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=ChallengeStatus.choices,
        method="filter_status",
        empty_label=_("Any status"),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"),
        field_name="challenge__kind",
        choices=ChallengeKind.choices,
        empty_label=_("Any kind"),
    )
    track = django_filters.ChoiceFilter(
        label=_("Track"), method="filter_track", empty_label=_("Any track")
    )
    region = django_filters.ModelChoiceFilter(
        label=_("Open to my region"),
        queryset=Region.objects.all(),
        to_field_name="code",
        method="filter_region",
        empty_label=_("Any region"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Tracks are named per challenge; the same slug (junior, senior …) groups them.
        names = {}
        for slug, *labels in Track.objects.order_by("slug").values_list(
            "slug", "name", "name_ru", "name_en"
        ):
            names.setdefault(slug, _TrackLabel(*labels))
        self.filters["track"].extra["choices"] = [
            (slug, localized(label, "name")) for slug, label in names.items()
        ]

    def filter_words(self, queryset, name, value):
        words = value.strip()[:100]
        if not words:
            return queryset
        matches = (
            Q(title__icontains=words)
            | Q(intro__icontains=words)
            | Q(search_description__icontains=words)
            | Q(challenge__title__icontains=words)
            | Q(challenge__title_ru__icontains=words)
            | Q(challenge__title_en__icontains=words)
            | Q(challenge__organiser__icontains=words)
        )
        # Wagtail's search backend (PostgreSQL full-text in production) also looks in
        # the body; its hits are added to the plain substring matches.
        found = [hit.pk for hit in queryset.model.objects.live().search(words, operator="and")]
        return queryset.filter(matches | Q(pk__in=found))

    def filter_status(self, queryset, name, value):
        now = timezone.now()
        by_challenge = {}
        challenge_ids = queryset.values("challenge_id")
        for phase in Phase.objects.filter(challenge_id__in=challenge_ids).only(
            "challenge_id", "kind", "starts_at", "ends_at"
        ):
            by_challenge.setdefault(phase.challenge_id, []).append(phase)
        wanted = {cid for cid, phases in by_challenge.items() if status_for(phases, now) == value}
        if value == ChallengeStatus.UPCOMING:  # no phases yet: nothing has started
            no_phases = ~Exists(Phase.objects.filter(challenge_id=OuterRef("challenge_id")))
            return queryset.filter(Q(challenge_id__in=wanted) | no_phases)
        return queryset.filter(challenge_id__in=wanted)

    def filter_track(self, queryset, name, value):
        return queryset.filter(challenge__tracks__slug=value).distinct()

    def filter_region(self, queryset, name, value):
        return queryset.filter(
            Q(challenge__allowed_regions__isnull=True) | Q(challenge__allowed_regions=value)
        ).distinct()


class _TrackLabel:
    def __init__(self, name, name_ru, name_en):
        self.name, self.name_ru, self.name_en = name, name_ru, name_en
