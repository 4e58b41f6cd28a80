"""Reused reads about challenges."""

from django.db.models import Prefetch

from .models import Challenge, Phase


def with_timeline(queryset=None):
    """Challenges with phases prefetched, so status/phase derivation costs no queries."""
    queryset = queryset if queryset is not None else Challenge.objects.all()
    return queryset.prefetch_related(
        Prefetch("phases", queryset=Phase.objects.order_by("starts_at"))
    )


def managed_by(user):
    """The challenges a staff member may manage: all for superusers, else their own."""
    if not user.is_authenticated:
        return Challenge.objects.none()
    if user.is_superuser:
        return Challenge.objects.all()
    return Challenge.objects.filter(managers=user)
