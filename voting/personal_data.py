"""Voting's part of a person's data (``core.personal_data``): their votes (which entry,
when, whether it counted). Erasure keeps each vote (the results must not change) but drops
the network and browser it was cast from, and the confirmed phone number."""

from .models import PhoneConfirmation, Vote


def export_votes(user):
    votes = Vote.objects.filter(voter=user).select_related("submission", "peoples_choice")
    return [
        {
            "challenge": v.peoples_choice.challenge.slug,
            "entry": v.submission.title,
            "status": v.status,
            "cast_at": v.cast_at.isoformat(),
            "changes": v.changes,
        }
        for v in votes.select_related("peoples_choice__challenge").order_by("pk")
    ]


def export_phone(user):
    confirmation = PhoneConfirmation.objects.filter(user=user).first()
    if confirmation is None:
        return None
    return {
        "phone": confirmation.phone,
        "confirmed_at": (
            confirmation.confirmed_at.isoformat() if confirmation.confirmed_at else None
        ),
    }


def erase(user, *, by):
    Vote.objects.filter(voter=user).update(network="", user_agent="")
    PhoneConfirmation.objects.filter(user=user).delete()
