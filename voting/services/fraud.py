"""The automatic fraud detector of the people's choice vote.

Every vote is scored against four rules; each rule that matches adds its weight. A vote
whose score reaches :data:`HOLD_SCORE` is **held back**: it is not in the public count
until staff accept it (it is counted) or void it (it never is). A vote staff reviewed is
never scored again. The rules, their thresholds and weights are the constants below; the
published result page lists them (:func:`rules_used`) and docs/judging.md ("People's
choice vote") explains them.

* ``new_account_burst`` — at least :data:`BURST_SIZE` votes for **one entry** within
  :data:`BURST_WINDOW`, cast by accounts created less than :data:`NEW_ACCOUNT_AGE` before
  they voted (a scripted sign-up run).
* ``network_prefix`` — at least :data:`PREFIX_VOTES` votes within :data:`PREFIX_WINDOW`
  from one network: the same /24 for IPv4, the same /48 for IPv6 (one household, one
  office, one server). Addresses come from ``core.client_ip``; only the prefix is kept.
* ``user_agent_burst`` — at least :data:`BURST_SIZE` votes within :data:`BURST_WINDOW`
  sent with the very same browser signature (a script replaying one header).
* ``only_voting`` — the account was created less than :data:`NEW_ACCOUNT_AGE` before it
  voted and has done nothing else: no profile, no team, no entry. Alone this is normal (a
  visitor who signs up to vote), so its weight is below the hold score: it only tips a vote
  over when another rule matches too.

An organic spread — the same number of votes from different networks and browsers, over
hours — matches at most ``only_voting`` and stays counted.
"""

import ipaddress
from collections import defaultdict
from datetime import timedelta

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..enums import VoteStatus

BURST_WINDOW = timedelta(minutes=10)
BURST_SIZE = 5
NEW_ACCOUNT_AGE = timedelta(hours=24)
PREFIX_WINDOW = timedelta(hours=1)
PREFIX_VOTES = 5
IPV4_PREFIX = 24
IPV6_PREFIX = 48

NEW_ACCOUNT_BURST = "new_account_burst"
NETWORK_PREFIX = "network_prefix"
USER_AGENT_BURST = "user_agent_burst"
ONLY_VOTING = "only_voting"

WEIGHTS = {NEW_ACCOUNT_BURST: 2, NETWORK_PREFIX: 2, USER_AGENT_BURST: 1, ONLY_VOTING: 1}
#: The score from which a vote is held back for review.
HOLD_SCORE = 2
#: Votes further back than this cannot be part of a window a new vote completes.
LOOKBACK = max(BURST_WINDOW, PREFIX_WINDOW)


def network_of(address):
    """The /24 (IPv4) or /48 (IPv6) network of ``address``, or "" when it is not one."""
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return ""
    bits = IPV4_PREFIX if ip.version == 4 else IPV6_PREFIX
    if ip.version == 6 and ip.ipv4_mapped:
        return str(ipaddress.ip_network(f"{ip.ipv4_mapped}/{IPV4_PREFIX}", strict=False))
    return str(ipaddress.ip_network(f"{ip}/{bits}", strict=False))


def _in_bursts(items, *, size, window):
    """The ids among ``items`` (``(time, id)``) that lie in some span of at most ``window``
    holding at least ``size`` of them."""
    items = sorted(items)
    marked = set()
    end = 0
    for start in range(len(items)):
        end = max(end, start)
        while end + 1 < len(items) and items[end + 1][0] - items[start][0] <= window:
            end += 1
        if end - start + 1 >= size:
            marked.update(vote_id for _t, vote_id in items[start : end + 1])
    return marked


def _only_voting(votes):
    from submissions.models import Profile, Submission, TeamMembership

    from ..models import Vote

    fresh = [v for v in votes if v.cast_at - v.voter.date_joined < NEW_ACCOUNT_AGE]
    if not fresh:
        return set()
    user = OuterRef("voter_id")
    idle = (
        Vote.objects.filter(pk__in=[v.pk for v in fresh])
        .annotate(
            has_profile=Exists(Profile.objects.filter(user=user)),
            in_team=Exists(TeamMembership.objects.filter(user=user)),
            has_entry=Exists(Submission.objects.filter(owner=user)),
        )
        .filter(has_profile=False, in_team=False, has_entry=False)
    )
    return set(idle.values_list("pk", flat=True))


def assess(votes):
    """``{vote id: [rule, …]}`` for ``votes`` (one vote's rows, voters selected)."""
    votes = list(votes)
    found = defaultdict(list)
    by_entry, by_network, by_agent = defaultdict(list), defaultdict(list), defaultdict(list)
    for v in votes:
        if v.cast_at - v.voter.date_joined < NEW_ACCOUNT_AGE:
            by_entry[v.submission_id].append((v.cast_at, v.pk))
        if v.network:
            by_network[v.network].append((v.cast_at, v.pk))
        if v.user_agent:
            by_agent[v.user_agent].append((v.cast_at, v.pk))
    for rule, groups, size, window in (
        (NEW_ACCOUNT_BURST, by_entry, BURST_SIZE, BURST_WINDOW),
        (NETWORK_PREFIX, by_network, PREFIX_VOTES, PREFIX_WINDOW),
        (USER_AGENT_BURST, by_agent, BURST_SIZE, BURST_WINDOW),
    ):
        for items in groups.values():
            for vote_id in _in_bursts(items, size=size, window=window):
                found[vote_id].append(rule)
    for vote_id in _only_voting(votes):
        found[vote_id].append(ONLY_VOTING)
    return found


def score_of(reasons):
    return sum(WEIGHTS[r] for r in reasons)


def rescore(peoples_choice, *, around=None):
    """Score the unreviewed votes that a vote cast at ``around`` (default: now) can be in a
    window with, and hold back or release them. Returns the ids now held."""
    from ..models import Vote

    around = around or timezone.now()
    votes = list(
        Vote.objects.filter(
            peoples_choice=peoples_choice,
            cast_at__gte=around - LOOKBACK,
            cast_at__lte=around + LOOKBACK,
        )
        .select_related("voter")
        .order_by("cast_at", "pk")
    )
    found = assess(votes)
    held = set()
    for vote in votes:
        reasons = sorted(found.get(vote.pk, []))
        if vote.reviewed_at is not None or vote.status == VoteStatus.VOIDED:
            continue
        score = score_of(reasons)
        status = VoteStatus.HELD if score >= HOLD_SCORE else VoteStatus.COUNTED
        if status == VoteStatus.HELD:
            held.add(vote.pk)
        if (vote.status, vote.reasons, vote.score) != (status, reasons, score):
            Vote.objects.filter(pk=vote.pk).update(status=status, reasons=reasons, score=score)
    return held


def rules_used():
    """The rules as the public result page lists them (label, threshold, weight)."""
    minutes = int(BURST_WINDOW.total_seconds() // 60)
    hours = int(NEW_ACCOUNT_AGE.total_seconds() // 3600)
    prefix_minutes = int(PREFIX_WINDOW.total_seconds() // 60)
    return [
        {
            "code": NEW_ACCOUNT_BURST,
            "weight": WEIGHTS[NEW_ACCOUNT_BURST],
            "text": _(
                "%(size)d or more votes for one entry within %(minutes)d minutes from "
                "accounts less than %(hours)d hours old"
            )
            % {"size": BURST_SIZE, "minutes": minutes, "hours": hours},
        },
        {
            "code": NETWORK_PREFIX,
            "weight": WEIGHTS[NETWORK_PREFIX],
            "text": _(
                "%(size)d or more votes within %(minutes)d minutes from one network "
                "(/%(v4)d for IPv4, /%(v6)d for IPv6)"
            )
            % {
                "size": PREFIX_VOTES,
                "minutes": prefix_minutes,
                "v4": IPV4_PREFIX,
                "v6": IPV6_PREFIX,
            },
        },
        {
            "code": USER_AGENT_BURST,
            "weight": WEIGHTS[USER_AGENT_BURST],
            "text": _(
                "%(size)d or more votes within %(minutes)d minutes with an identical browser "
                "signature"
            )
            % {"size": BURST_SIZE, "minutes": minutes},
        },
        {
            "code": ONLY_VOTING,
            "weight": WEIGHTS[ONLY_VOTING],
            "text": _("an account less than %(hours)d hours old whose only action is voting")
            % {"hours": hours},
        },
    ]


def rule_labels():
    return {rule["code"]: rule["text"] for rule in rules_used()}
