"""Reused reads about challenges."""

from .models import Challenge


def managed_by(user):
    """The challenges a staff member may manage: all for superusers, else their own."""
    if not user.is_authenticated:
        return Challenge.objects.none()
    if user.is_superuser:
        return Challenge.objects.all()
    return Challenge.objects.filter(managers=user)
