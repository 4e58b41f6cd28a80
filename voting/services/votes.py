"""Casting, reviewing and publishing the people's choice vote.

One vote per account per challenge is the database's rule (``one_vote_per_account``): a
second vote by the same account changes the first, and two requests racing to create it
end with one row (the loser of the insert updates the winner's row). Every vote is scored
by ``voting.services.fraud`` in the same transaction; held-back votes wait for staff.
"""

from datetime import date

from allauth.account.models import EmailAddress
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.audit import record
from core.errors import Conflict, Refused
from submissions.enums import IN_COMPETITION, FileStatus
from submissions.models import Submission, SubmissionFile, TeamMembership

from ..enums import VoteStatus
from ..models import GalleryConsent, PeoplesChoice, Vote
from . import fraud, phone

ADULT_AGE = 18
ACCEPT, VOID = "accept", "void"


# --- the gallery ---------------------------------------------------------------------------
def gallery_entries(peoples_choice):
    """The entries in the public gallery: submitted (in competition) and consented."""
    return (
        Submission.objects.filter(
            challenge_id=peoples_choice.challenge_id,
            status__in=IN_COMPETITION,
            gallery_consent__isnull=False,
        )
        .select_related("team", "track", "current_version", "owner__profile__region")
        .order_by("title", "pk")
    )


def _years_before(day, years):
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return date(day.year - years, 2, 28)


def with_minors(entries, *, today=None):
    """The ids among ``entries`` that have a member under 18 (two queries)."""
    born_after = _years_before(today or timezone.localdate(), ADULT_AGE)
    ids = [e.pk for e in entries]
    owners = Submission.objects.filter(
        pk__in=ids, owner__profile__birth_date__gt=born_after
    ).values_list("pk", flat=True)
    members = Submission.objects.filter(
        pk__in=ids,
        team__in=TeamMembership.objects.filter(user__profile__birth_date__gt=born_after).values(
            "team"
        ),
    ).values_list("pk", flat=True)
    return set(owners) | set(members)


def _frozen_answer(entry, key):
    data = entry.current_version.data if entry.current_version_id else {}
    for item in data.get("answers", []) or []:
        if item.get("key") == key:
            return str(item.get("value") or "")
    return ""


def gallery_image(entry):
    """The entry's first verified image file, or None."""
    return (
        SubmissionFile.objects.filter(
            submission=entry, kind="image", status=FileStatus.VERIFIED, removed_at__isnull=True
        )
        .order_by("pk")
        .first()
    )


def cards(entries):
    """What the gallery shows of each entry, and nothing else: no member is ever named;
    with a member under 18 the image (often a team photo) is left out too."""
    entries = list(entries)
    minors = with_minors(entries)
    imaged = set(
        SubmissionFile.objects.filter(
            submission__in=entries,
            kind="image",
            status=FileStatus.VERIFIED,
            removed_at__isnull=True,
        ).values_list("submission_id", flat=True)
    )
    found = []
    for entry in entries:
        video = _frozen_answer(entry, "video_url")
        found.append(
            {
                "entry": entry,
                "team_name": entry.team.name if entry.team_id else "",
                "title": entry.title,
                "summary": _frozen_answer(entry, "summary"),
                "video_url": video if video.startswith(("https://", "http://")) else "",
                "track": entry.track,
                "has_image": entry.pk in imaged and entry.pk not in minors,
            }
        )
    return found


def in_gallery(peoples_choice, entry):
    return gallery_entries(peoples_choice).filter(pk=entry.pk).exists()


# --- consent -------------------------------------------------------------------------------
def may_consent(user, entry):
    """The team's lead (or the owner of an individual entry) decides for the team."""
    if not user.is_authenticated:
        return False
    if entry.team_id:
        return entry.team.lead_id == user.pk
    return entry.owner_id == user.pk


@transaction.atomic
def set_consent(*, entry, consent, by):
    """Put the entry in the public gallery (``consent``) or take it out."""
    if not may_consent(by, entry):
        raise Refused(_("Only the team's lead can decide this."), code="not_lead")
    if consent:
        row, created = GalleryConsent.objects.get_or_create(
            submission=entry, defaults={"given_by": by}
        )
        if created:
            record(action="voting.consent_given", obj=entry, by=by)
        return row
    deleted, _rows = GalleryConsent.objects.filter(submission=entry).delete()
    if deleted:
        record(action="voting.consent_withdrawn", obj=entry, by=by)
    return None


# --- voting --------------------------------------------------------------------------------
def is_verified(user):
    return user.is_authenticated and EmailAddress.objects.filter(user=user, verified=True).exists()


def check_may_vote(*, peoples_choice, by, now=None):
    now = now or timezone.now()
    if now < peoples_choice.opens_at:
        raise Refused(_("The vote has not opened yet."), code="not_open")
    if peoples_choice.is_closed(now):
        raise Refused(_("The vote is closed."), code="closed")
    if not is_verified(by):
        raise Refused(
            _("Confirm your e-mail address first: only verified accounts can vote."),
            code="unverified",
        )
    if peoples_choice.require_phone and not phone.is_confirmed(by):
        raise Refused(
            _("This vote asks for a confirmed phone number: confirm yours by SMS first."),
            code="phone_unconfirmed",
        )


def cast_vote(*, peoples_choice, entry, by, address="", user_agent="", now=None):
    """Vote for ``entry`` as ``by``, or move ``by``'s vote to it. Returns the vote."""
    now = now or timezone.now()
    check_may_vote(peoples_choice=peoples_choice, by=by, now=now)
    if entry.challenge_id != peoples_choice.challenge_id or not in_gallery(peoples_choice, entry):
        raise Refused(_("This entry is not in the vote."), code="not_in_gallery")
    fields = {
        "submission": entry,
        "network": fraud.network_of(address),
        "user_agent": (user_agent or "")[:300],
        "cast_at": now,
    }
    with transaction.atomic():
        # One vote of a challenge at a time: the detector then always sees every earlier
        # vote (two concurrent votes could otherwise each miss the other and split a
        # burst), and no vote slips in while staff publish.
        PeoplesChoice.objects.select_for_update().filter(pk=peoples_choice.pk).first()
        vote = _save_vote(peoples_choice, by, fields)
        fraud.rescore(peoples_choice, around=now)
    vote.refresh_from_db()
    return vote


def _save_vote(peoples_choice, voter, fields):
    existing = (
        Vote.objects.select_for_update().filter(peoples_choice=peoples_choice, voter=voter).first()
    )
    if existing is None:
        try:
            with transaction.atomic():
                return Vote.objects.create(peoples_choice=peoples_choice, voter=voter, **fields)
        except IntegrityError:
            # Another request of the same account created it a moment ago: change that one.
            existing = Vote.objects.select_for_update().get(
                peoples_choice=peoples_choice, voter=voter
            )
    if existing.submission_id == fields["submission"].pk:
        return existing
    for name, value in fields.items():
        setattr(existing, name, value)
    existing.changes += 1
    existing.save()
    return existing


def vote_of(peoples_choice, user):
    if not user.is_authenticated:
        return None
    return Vote.objects.filter(peoples_choice=peoples_choice, voter=user).first()


# --- staff: review and publish ---------------------------------------------------------------
@transaction.atomic
def review(*, peoples_choice, vote_ids, decision, reason, by):
    """Accept (count) or void the held-back votes ``vote_ids``; returns how many changed."""
    reason = (reason or "").strip()
    if decision not in (ACCEPT, VOID):
        raise Refused(_("Choose to accept or to void the votes."), code="decision")
    if not reason:
        raise Refused(
            _("Give a reason: it is kept in the audit trail."), code="reason", field="reason"
        )
    votes = list(
        Vote.objects.select_for_update().filter(
            peoples_choice=peoples_choice, pk__in=vote_ids, status=VoteStatus.HELD
        )
    )
    if not votes:
        raise Conflict(_("None of these votes is waiting for review."), code="none_held")
    status = VoteStatus.COUNTED if decision == ACCEPT else VoteStatus.VOIDED
    now = timezone.now()
    Vote.objects.filter(pk__in=[v.pk for v in votes]).update(
        status=status, reviewed_at=now, reviewed_by=by, review_reason=reason
    )
    record(
        action=f"voting.votes_{'accepted' if decision == ACCEPT else 'voided'}",
        obj=peoples_choice,
        by=by,
        reason=reason,
        votes=sorted(v.pk for v in votes),
        count=len(votes),
    )
    return len(votes)


@transaction.atomic
def publish(*, peoples_choice, by, now=None):
    now = now or timezone.now()
    locked = PeoplesChoice.objects.select_for_update().get(pk=peoples_choice.pk)
    if locked.is_published:
        raise Conflict(_("The results are already published."), code="published")
    if not locked.is_closed(now):
        raise Refused(_("The vote is still open: publish after it closes."), code="still_open")
    held = locked.votes.filter(status=VoteStatus.HELD).count()
    if held:
        raise Refused(
            ngettext(
                "%(count)d vote is still held back: review it before publishing.",
                "%(count)d votes are still held back: review them before publishing.",
                held,
            )
            % {"count": held},
            code="held_votes",
        )
    locked.published_at, locked.published_by = now, by
    locked.save(update_fields=["published_at", "published_by"])
    summary = tally(locked)
    record(
        action="voting.published",
        obj=locked,
        by=by,
        counted=summary["counted"],
        voided=summary["voided"],
    )
    return locked


def tally(peoples_choice):
    """The counts: per entry (counted votes only) and in total per status (two queries)."""
    totals = dict(
        peoples_choice.votes.values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    per_entry = (
        Submission.objects.filter(votes__peoples_choice=peoples_choice)
        .annotate(
            counted=Count(
                "votes",
                filter=Q(votes__status=VoteStatus.COUNTED, votes__peoples_choice=peoples_choice),
            )
        )
        .filter(counted__gt=0)
        .select_related("team")
        .order_by("-counted", "title")
    )
    return {
        "entries": list(per_entry),
        "counted": totals.get(VoteStatus.COUNTED, 0),
        "held": totals.get(VoteStatus.HELD, 0),
        "voided": totals.get(VoteStatus.VOIDED, 0),
        "accepted_after_review": peoples_choice.votes.filter(
            status=VoteStatus.COUNTED, reviewed_at__isnull=False
        ).count(),
    }
