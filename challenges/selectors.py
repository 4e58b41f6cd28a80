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


def file_questions(challenge, *, stage=FormStage.ENTRY):
    """The file questions a challenge asks (its upload slots) on the form of ``stage``
    (``None``: every form — the entry form and the rounds' follow-ups), in form order."""
    found = EntryField.objects.filter(
        challenge=challenge, field_type=EntryFieldType.FILE, archived=False
    )
    if stage is not None:
        found = found.filter(stage=stage)
    return found.order_by("sort_order", "id")
