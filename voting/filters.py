"""The gallery's filters (django-filter): the entry's track and its lead's region."""

import django_filters
from django.utils.translation import gettext_lazy as _

from challenges.models import Region, Track


class GalleryFilter(django_filters.FilterSet):
    track = django_filters.ModelChoiceFilter(label=_("Track"), queryset=Track.objects.none())
    region = django_filters.ModelChoiceFilter(
        label=_("Region"), field_name="owner__profile__region", queryset=Region.objects.all()
    )

    def __init__(self, *args, challenge, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["track"].queryset = Track.objects.filter(challenge=challenge)
        self.form.fields["track"].queryset = Track.objects.filter(challenge=challenge)
