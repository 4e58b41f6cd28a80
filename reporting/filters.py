"""The dashboard's filters (django-filter): date range, challenge, kind, track, region.

Only the form is used — the numbers come from :mod:`reporting.aggregates`, which is told
the cleaned values as a :class:`~reporting.aggregates.Scope`. Choices are limited to the
challenges the staff member manages, so another challenge's id does not validate.
"""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from challenges.enums import ChallengeKind
from challenges.models import Challenge, Region, Track


class DashboardFilter(django_filters.FilterSet):
    since = django_filters.DateFilter(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date"}), method="keep"
    )
    until = django_filters.DateFilter(
        label=_("To"), widget=forms.DateInput(attrs={"type": "date"}), method="keep"
    )
    challenge = django_filters.ModelChoiceFilter(
        empty_label=_("All"), label=_("Challenge"), queryset=Challenge.objects.none(), method="keep"
    )
    kind = django_filters.ChoiceFilter(
        empty_label=_("All"), label=_("Kind"), choices=ChallengeKind.choices, method="keep"
    )
    track = django_filters.ModelChoiceFilter(
        empty_label=_("All"), label=_("Track"), queryset=Track.objects.none(), method="keep"
    )
    region = django_filters.ModelChoiceFilter(
        empty_label=_("All"),
        label=_("Region"),
        queryset=Region.objects.order_by("code"),
        method="keep",
    )

    class Meta:
        model = Challenge
        fields = []

    def __init__(self, data=None, *, managed, **kwargs):
        super().__init__(data, queryset=managed, **kwargs)
        self.filters["challenge"].queryset = managed
        self.filters["track"].queryset = Track.objects.filter(challenge__in=managed).select_related(
            "challenge"
        )
        self.filters["track"].field.label_from_instance = lambda t: f"{t} ({t.challenge})"

    def keep(self, queryset, name, value):
        return queryset

    def clean_range(self):
        data = self.form.cleaned_data
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.form.add_error("until", _("The end of the range is before its start."))
            return False
        return True
