"""Casting a vote: the rules (window, verified account, gallery) and one vote per account."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.errors import Refused
from voting.enums import VoteStatus
from voting.models import Vote
from voting.services import votes

from .helpers import make_entry, make_vote, voter

pytestmark = pytest.mark.django_db


def cast(pc, entry, user, **kw):
    kw.setdefault("address", "203.0.113.7")
    kw.setdefault("user_agent", "Mozilla/5.0 test")
    return votes.cast_vote(peoples_choice=pc, entry=entry, by=user, **kw)


def test_a_verified_account_votes_once_and_the_vote_is_counted():
    pc = make_vote()
    entry = make_entry(pc)
    vote = cast(pc, entry, voter())
    assert vote.status == VoteStatus.COUNTED
    assert vote.network == "203.0.113.0/24"
    assert Vote.objects.count() == 1


def test_a_second_vote_by_the_same_account_changes_the_vote_never_adds_one():
    pc = make_vote()
    first, second = make_entry(pc), make_entry(pc)
    user = voter()
    cast(pc, first, user)
    vote = cast(pc, second, user)
    assert Vote.objects.filter(voter=user).count() == 1
    assert vote.submission_id == second.pk
    assert vote.changes == 1
    # Voting for the same entry again changes nothing.
    again = cast(pc, second, user)
    assert again.changes == 1
    assert Vote.objects.count() == 1


def test_the_database_refuses_a_second_row_for_one_account():
    pc = make_vote()
    entry = make_entry(pc)
    user = voter()
    cast(pc, entry, user)
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(peoples_choice=pc, voter=user, submission=entry)


@pytest.mark.parametrize(("opens", "closes", "code"), [(1, 2, "not_open"), (-2, -1, "closed")])
def test_no_vote_before_opening_or_after_closing(opens, closes, code):
    pc = make_vote(opens=opens, closes=closes)
    entry = make_entry(pc)
    with pytest.raises(Refused) as refused:
        cast(pc, entry, voter())
    assert refused.value.code == code
    assert not Vote.objects.exists()


def test_a_vote_cannot_be_changed_after_closing():
    pc = make_vote()
    first, second = make_entry(pc), make_entry(pc)
    user = voter()
    cast(pc, first, user)
    with pytest.raises(Refused) as refused:
        cast(pc, second, user, now=pc.closes_at + timedelta(seconds=1))
    assert refused.value.code == "closed"
    assert Vote.objects.get(voter=user).submission_id == first.pk


def test_an_unverified_account_cannot_vote():
    pc = make_vote()
    entry = make_entry(pc)
    with pytest.raises(Refused) as refused:
        cast(pc, entry, voter(verified=False))
    assert refused.value.code == "unverified"
    assert not Vote.objects.exists()


@pytest.mark.parametrize("kind", ["no_consent", "draft", "withdrawn", "other_challenge"])
def test_no_vote_for_an_entry_outside_the_gallery(kind):
    pc = make_vote()
    if kind == "no_consent":
        entry = make_entry(pc, consent=False)
    elif kind == "draft":
        entry = make_entry(pc, status="draft")
    elif kind == "withdrawn":
        entry = make_entry(pc, status="withdrawn")
    else:
        entry = make_entry(make_vote())
    with pytest.raises(Refused) as refused:
        cast(pc, entry, voter())
    assert refused.value.code == "not_in_gallery"
    assert not Vote.objects.exists()


def test_results_count_only_counted_votes_and_never_touch_jury_scores():
    pc = make_vote()
    a, b = make_entry(pc), make_entry(pc)
    for i in range(3):
        cast(pc, a, voter(), address=f"198.51.{i}.1", user_agent=f"UA {i}")
    cast(pc, b, voter(), address="192.0.2.1")
    held = cast(pc, b, voter(), address="192.0.2.2")
    Vote.objects.filter(pk=held.pk).update(status=VoteStatus.HELD)
    summary = votes.tally(pc)
    assert [(e.pk, e.counted) for e in summary["entries"]] == [(a.pk, 3), (b.pk, 1)]
    assert (summary["counted"], summary["held"], summary["voided"]) == (4, 1, 0)


def test_publishing_needs_the_vote_closed_and_nothing_held():
    pc = make_vote()
    entry = make_entry(pc)
    staff = voter(is_staff=True)
    vote = cast(pc, entry, voter())
    with pytest.raises(Refused) as refused:
        votes.publish(peoples_choice=pc, by=staff)
    assert refused.value.code == "still_open"
    Vote.objects.filter(pk=vote.pk).update(status=VoteStatus.HELD)
    pc.closes_at = timezone.now() - timedelta(minutes=1)
    pc.save()
    with pytest.raises(Refused) as refused:
        votes.publish(peoples_choice=pc, by=staff)
    assert refused.value.code == "held_votes"
    votes.review(
        peoples_choice=pc, vote_ids=[vote.pk], decision="accept", reason="Known school", by=staff
    )
    votes.publish(peoples_choice=pc, by=staff)
    pc.refresh_from_db()
    assert pc.is_published


def test_consent_is_the_leads_and_is_audited():
    from core.models import AuditEntry
    from submissions.models import TeamMembership

    pc = make_vote()
    entry = make_entry(pc, consent=False)
    member = voter()
    TeamMembership.objects.create(team=entry.team, challenge=entry.challenge, user=member)
    with pytest.raises(Refused):
        votes.set_consent(entry=entry, consent=True, by=member)
    assert not votes.in_gallery(pc, entry)
    votes.set_consent(entry=entry, consent=True, by=entry.owner)
    assert votes.in_gallery(pc, entry)
    votes.set_consent(entry=entry, consent=False, by=entry.owner)
    assert not votes.in_gallery(pc, entry)
    entries = AuditEntry.objects.filter(object_id=str(entry.pk))
    actions = set(entries.values_list("action", flat=True))
    assert {"voting.consent_given", "voting.consent_withdrawn"} <= actions
