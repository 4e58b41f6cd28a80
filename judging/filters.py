import django_filters
from django.utils.translation import gettext_lazy as _

from challenges.models import Region, Track
from submissions.enums import SubmissionStatus
from submissions.models import Submission


class RankingFilter(django_filters.FilterSet):
    """Narrows the rows shown in a ranking; ranks are always computed over the whole round."""

    track = django_filters.ModelChoiceFilter(label=_("Track"), queryset=Track.objects.none())
    region = django_filters.ModelChoiceFilter(
        label=_("Region"), field_name="owner__profile__region", queryset=Region.objects.all()
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=SubmissionStatus.choices)

    class Meta:
        model = Submission
        fields = ["track", "region", "status"]

    def __init__(self, *args, challenge, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["track"].queryset = Track.objects.filter(challenge=challenge)
