"""The fraud detector on synthetic traffic: a scripted burst is held back, an organic
spread of the same size is not; each rule on its own; staff review in bulk, audited."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.errors import Refused
from core.models import AuditEntry
from tests.factories import ProfileFactory
from voting.enums import VoteStatus
from voting.models import Vote
from voting.services import fraud, votes

from .helpers import make_entry, make_vote, voter

pytestmark = pytest.mark.django_db

SIZE = fraud.BURST_SIZE + 1  # six votes in each scenario


def cast(pc, entry, user, *, at, address, agent):
    return votes.cast_vote(
        peoples_choice=pc, entry=entry, by=user, address=address, user_agent=agent, now=at
    )


def statuses(pc):
    return sorted(pc.votes.values_list("status", flat=True))


def test_a_scripted_burst_is_held_back():
    pc = make_vote()
    entry = make_entry(pc)
    start = timezone.now()
    for i in range(SIZE):
        account = voter(age=timedelta(minutes=5))  # signed up moments before voting
        cast(
            pc,
            entry,
            account,
            at=start + timedelta(seconds=20 * i),
            address=f"203.0.113.{10 + i}",
            agent="python-requests/2.31",
        )
    assert statuses(pc) == [VoteStatus.HELD] * SIZE
    vote = pc.votes.first()
    assert set(vote.reasons) == {
        fraud.NEW_ACCOUNT_BURST,
        fraud.NETWORK_PREFIX,
        fraud.USER_AGENT_BURST,
        fraud.ONLY_VOTING,
    }
    assert votes.tally(pc)["counted"] == 0


def test_an_organic_spread_of_the_same_size_is_counted():
    pc = make_vote()
    entry = make_entry(pc)
    start = timezone.now()
    for i in range(SIZE):
        # New accounts that only vote (normal for a public vote), but spread over hours,
        # from different networks and browsers.
        account = voter(age=timedelta(minutes=5 + 60 * i))
        cast(
            pc,
            entry,
            account,
            at=start + timedelta(hours=i),
            address=f"198.51.{i}.20",
            agent=f"Mozilla/5.0 (Linux; Android 1{i})",
        )
    assert statuses(pc) == [VoteStatus.COUNTED] * SIZE
    assert all(v.reasons == [fraud.ONLY_VOTING] for v in pc.votes.all())


def test_a_burst_of_new_accounts_alone_is_held():
    pc = make_vote()
    entry = make_entry(pc)
    start = timezone.now()
    for i in range(fraud.BURST_SIZE):
        account = voter(age=timedelta(minutes=30))
        ProfileFactory(user=account)  # not "only voting"
        cast(
            pc,
            entry,
            account,
            at=start + timedelta(minutes=2 * i),
            address=f"198.51.{i}.20",
            agent=f"Agent {i}",
        )
    assert statuses(pc) == [VoteStatus.HELD] * fraud.BURST_SIZE
    assert all(v.reasons == [fraud.NEW_ACCOUNT_BURST] for v in pc.votes.all())


def test_one_vote_less_than_a_burst_is_counted():
    pc = make_vote()
    entry = make_entry(pc)
    start = timezone.now()
    for i in range(fraud.BURST_SIZE - 1):
        account = voter(age=timedelta(minutes=30))
        ProfileFactory(user=account)
        cast(
            pc,
            entry,
            account,
            at=start + timedelta(minutes=i),
            address=f"198.51.{i}.2",
            agent=str(i),
        )
    assert statuses(pc) == [VoteStatus.COUNTED] * (fraud.BURST_SIZE - 1)


def test_many_votes_from_one_ipv6_48_are_held_even_from_old_accounts():
    pc = make_vote()
    entries = [make_entry(pc) for _ in range(2)]
    start = timezone.now()
    for i in range(fraud.PREFIX_VOTES):
        account = voter(age=timedelta(days=400))
        ProfileFactory(user=account)
        cast(
            pc,
            entries[i % 2],
            account,
            at=start + timedelta(minutes=10 * i),
            address=f"2001:db8:abcd:{i:x}::1",
            agent=f"Agent {i}",
        )
    assert statuses(pc) == [VoteStatus.HELD] * fraud.PREFIX_VOTES
    assert pc.votes.first().network == "2001:db8:abcd::/48"


def test_the_same_browser_signature_alone_is_not_enough():
    pc = make_vote()
    entry = make_entry(pc)
    start = timezone.now()
    for i in range(SIZE):
        account = voter(age=timedelta(days=100))
        ProfileFactory(user=account)
        cast(
            pc,
            entry,
            account,
            at=start + timedelta(minutes=i),
            address=f"198.51.{i}.2",
            agent="Same",
        )
    assert statuses(pc) == [VoteStatus.COUNTED] * SIZE
    assert pc.votes.first().reasons == [fraud.USER_AGENT_BURST]


def test_network_of():
    assert fraud.network_of("203.0.113.77") == "203.0.113.0/24"
    assert fraud.network_of("2001:db8:1:2:3::9") == "2001:db8:1::/48"
    assert fraud.network_of("::ffff:203.0.113.9") == "203.0.113.0/24"
    assert fraud.network_of("unknown") == ""


def _held_burst():
    pc = make_vote()
    entry = make_entry(pc)
    start = timezone.now()
    for i in range(SIZE):
        cast(
            pc,
            entry,
            voter(age=timedelta(minutes=1)),
            at=start + timedelta(seconds=i),
            address="203.0.113.5",
            agent="bot",
        )
    return pc


def test_staff_void_in_bulk_with_a_reason_and_it_is_audited():
    pc = _held_burst()
    staff = voter(is_staff=True)
    ids = list(pc.votes.values_list("pk", flat=True))
    assert (
        votes.review(
            peoples_choice=pc, vote_ids=ids[:4], decision="void", reason="Scripted", by=staff
        )
        == 4
    )
    assert (
        votes.review(
            peoples_choice=pc, vote_ids=ids[4:], decision="accept", reason="Family", by=staff
        )
        == 2
    )
    summary = votes.tally(pc)
    assert (summary["counted"], summary["voided"], summary["held"]) == (2, 4, 0)
    assert summary["accepted_after_review"] == 2
    entry = AuditEntry.objects.get(action="voting.votes_voided")
    assert entry.data["reason"] == "Scripted"
    assert entry.data["count"] == 4
    assert entry.actor == staff
    # A reviewed vote is never scored again: a later vote of the same burst leaves it.
    cast(
        pc,
        pc.votes.first().submission,
        voter(age=timedelta(minutes=1)),
        at=timezone.now() + timedelta(seconds=30),
        address="203.0.113.5",
        agent="bot",
    )
    assert pc.votes.filter(status=VoteStatus.VOIDED).count() == 4
    assert pc.votes.filter(status=VoteStatus.HELD).count() == 1


@pytest.mark.parametrize(
    ("decision", "reason", "code"), [("void", "  ", "reason"), ("maybe", "x", "decision")]
)
def test_a_review_without_a_reason_or_decision_changes_nothing(decision, reason, code):
    pc = _held_burst()
    staff = voter(is_staff=True)
    ids = list(pc.votes.values_list("pk", flat=True))
    with pytest.raises(Refused) as refused:
        votes.review(peoples_choice=pc, vote_ids=ids, decision=decision, reason=reason, by=staff)
    assert refused.value.code == code
    assert set(pc.votes.values_list("status", flat=True)) == {VoteStatus.HELD}
    assert not AuditEntry.objects.filter(action__startswith="voting.votes_").exists()


def test_a_counted_vote_cannot_be_reviewed():
    pc = make_vote()
    entry = make_entry(pc)
    vote = votes.cast_vote(peoples_choice=pc, entry=entry, by=voter(), address="192.0.2.1")
    with pytest.raises(Refused) as refused:
        votes.review(peoples_choice=pc, vote_ids=[vote.pk], decision="void", reason="x", by=voter())
    assert refused.value.code == "none_held"
    assert Vote.objects.get(pk=vote.pk).status == VoteStatus.COUNTED
