"""Reused reads about participants, teams and entries."""

from django.db.models import Count, Prefetch, Q

from core.access import obtain

from .enums import FileStatus, SubmissionStatus
from .models import Invitation, Submission, SubmissionFile, TeamMembership


def entries_of(user):
    """Entries ``user`` may open as a participant: their team's or their own."""
    return Submission.objects.filter(
        Q(team__memberships__user=user) | Q(team__isnull=True, owner=user)
    )


def entry_for(user, pk):
    """One entry of ``user``'s, with what its page needs; 404 for anyone else's."""
    return obtain(
        user,
        Submission.objects.select_related(
            "challenge", "team", "track", "current_version", "owner"
        ).prefetch_related(
            Prefetch(
                "files",
                queryset=SubmissionFile.objects.filter(removed_at__isnull=True).exclude(
                    status=FileStatus.REJECTED
                ),
                to_attr="active_files",
            ),
            "challenge__tracks",
            "challenge__phases",
            "status_changes",
        ),
        see="submissions.work_on_entry",
        pk=pk,
    )


def memberships_of(user):
    return (
        TeamMembership.objects.filter(user=user)
        .select_related("team__lead", "challenge")
        .annotate(size=Count("team__memberships"))
        .order_by("-joined_at")
    )


def dashboard_for(user):
    """Everything the participant dashboard shows, in a fixed number of queries."""
    memberships = list(memberships_of(user))
    entries = list(
        entries_of(user)
        .select_related("challenge", "team", "track")
        .prefetch_related("challenge__phases")
        .order_by("-updated_at")
    )
    invitations = list(
        Invitation.objects.filter(
            email__iexact=user.email, accepted_at__isnull=True
        ).select_related("team__challenge", "invited_by")
    )
    return {"memberships": memberships, "entries": entries, "invitations": invitations}


def history_of(submission, versions):
    """The entry's life, newest first: each submitted version (a resubmission is a new
    version, not a status change) and each decision about it, as ``(at, version, change)``
    with one of the two set. ``versions`` are the entry's, already fetched."""
    events = [(v.created_at, v, None) for v in versions]
    events += [
        (c.at, None, c)
        for c in submission.status_changes.all()
        # "submitted" is what each version already says.
        if c.to_status != SubmissionStatus.SUBMITTED
    ]
    return sorted(events, key=lambda event: event[0], reverse=True)
