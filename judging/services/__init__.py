"""Judging services: one function per verb (see rounds, jurors, assignments, reviews, exports)."""

from django.core.exceptions import PermissionDenied


class JudgingError(Exception):
    """A rule of judging was broken; the message is translated and meant for the user."""


def ensure_manager(user, challenge):
    """Raise ``PermissionDenied`` unless ``user`` manages ``challenge`` (or is superuser)."""
    from challenges.selectors import managed_by

    if user is None or not managed_by(user).filter(pk=challenge.pk).exists():
        raise PermissionDenied
