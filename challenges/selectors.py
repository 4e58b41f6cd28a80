"""Reused reads about challenges."""

from .enums import EntryFieldType, FormStage
from .models import Challenge, EntryField


def managed_by(user):
    """The challenges a staff member may manage: all for superusers, else their own."""
    if not user.is_authenticated:
        return Challenge.objects.none()
    if user.is_superuser:
        return Challenge.objects.all()
    return Challenge.objects.filter(managers=user)


def file_questions(challenge):
    """The file questions a challenge asks (its upload slots), in form order."""
    return EntryField.objects.filter(
        challenge=challenge,
        field_type=EntryFieldType.FILE,
        archived=False,
        stage=FormStage.ENTRY,
    ).order_by("sort_order", "id")
