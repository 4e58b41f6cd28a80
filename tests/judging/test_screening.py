"""The screening round: screeners and staff mark entries eligible or ineligible (issue 14.5)."""

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.errors import NotAllowed
from core.models import AuditEntry
from judging import selectors
from judging.enums import ConflictKind, ReviewState, RoundScope, RoundStatus
from judging.models import Conflict, Review, Round, ScreeningDecision, ScreeningOutcome
from judging.services import JudgingError
from judging.services.assignments import auto_assign
from judging.services.reviews import Answer, save_review
from judging.services.rounds import advance_entries, lock_round, open_round, publish_round
from judging.services.screening import Settled, decide, staff_decide
from notifications.messages import render
from notifications.models import Notification
from submissions.models import StatusChange, TeamMembership
from tests.factories import (
    ScreeningRoundFactory,
    SubmissionFactory,
    SuperuserFactory,
    TeamFactory,
    UserFactory,
    participant,
)

from .helpers import assign, make_entries, make_juror, make_round

pytestmark = pytest.mark.django_db


def screening(k=1, *, status=RoundStatus.OPEN, challenge=None, entries=3):
    round_ = ScreeningRoundFactory(reviews_per_entry=k, status=status, **_on(challenge))
    return round_, make_entries(round_.challenge, entries, status="submitted")


def _on(challenge):
    return {"challenge": challenge} if challenge is not None else {}


def status_of(entry):
    entry.refresh_from_db()
    return entry.status


def _admin(client):
    user = SuperuserFactory()
    client.force_login(user)
    return user


# --- screeners' decisions ----------------------------------------------------------------
def test_one_screener_settles_the_entry_through_the_status_service():
    round_, (entry, *_rest) = screening(k=1)
    juror = make_juror(round_.challenge)
    (review,) = assign(round_, juror, [entry])

    _decision, outcome = decide(
        review=review, by=juror.user, verdict="ineligible", reason="duplicate", note="same as #4"
    )

    assert outcome.verdict == "ineligible"
    assert outcome.reason == "duplicate"
    assert outcome.source == "screeners"
    assert status_of(entry) == "ineligible"
    assert entry.status_reason == "The entry duplicates another entry"
    change = StatusChange.objects.get(submission=entry)
    assert (change.from_status, change.to_status, change.by) == (
        "submitted",
        "ineligible",
        juror.user,
    )
    assert AuditEntry.objects.filter(
        action="submissions.status.changed", object_id=str(entry.pk)
    ).exists()
    assert AuditEntry.objects.filter(action="judging.screening.settled").count() == 1
    assert AuditEntry.objects.filter(action="judging.screening.decided").count() == 1
    review.refresh_from_db()
    assert review.state == ReviewState.SUBMITTED
    notified = Notification.objects.filter(event="submission.status_changed")
    assert [n.recipient_id for n in notified] == [entry.owner_id]
    # The note is for staff: the team's message carries the reason, not the note.
    assert "same as #4" not in str(notified[0].context)


def test_the_team_is_told_in_each_members_language():
    round_ = ScreeningRoundFactory()
    lead = participant(language="ru")
    member = participant(language="uz")
    team = TeamFactory(challenge=round_.challenge, lead=lead)
    TeamMembership.objects.create(team=team, challenge=round_.challenge, user=member)
    entry = SubmissionFactory(challenge=round_.challenge, team=team, status="submitted")
    staff_decide(
        round_=round_,
        submissions=[entry],
        by=SuperuserFactory(),
        verdict="ineligible",
        reason="late",
    )

    messages = {
        n.recipient_id: render(n)
        for n in Notification.objects.filter(event="submission.status_changed")
    }
    assert set(messages) == {lead.pk, member.pk}
    assert "не соответствует условиям" in messages[lead.pk].subject
    assert "shartlarga mos kelmaydi" in messages[member.pk].subject


def test_two_screeners_who_agree_settle_the_entry():
    round_, (entry, *_rest) = screening(k=2)
    a, b = make_juror(round_.challenge), make_juror(round_.challenge)
    (ra,) = assign(round_, a, [entry])
    (rb,) = assign(round_, b, [entry])

    _d, first = decide(review=ra, by=a.user, verdict="eligible")
    assert first is None  # waiting for the second screener
    assert status_of(entry) == "submitted"
    _d, outcome = decide(review=rb, by=b.user, verdict="eligible")

    assert outcome.verdict == "eligible"
    assert status_of(entry) == "eligible"
    assert selectors.screening_counts(round_)["eligible"] == 1


def test_two_screeners_who_disagree_are_listed_for_staff_who_decide():
    round_, (entry, _other, _third) = screening(k=2)
    a, b = make_juror(round_.challenge), make_juror(round_.challenge)
    (ra,) = assign(round_, a, [entry])
    (rb,) = assign(round_, b, [entry])
    decide(review=ra, by=a.user, verdict="eligible")
    _d, outcome = decide(review=rb, by=b.user, verdict="ineligible", reason="out_of_scope")

    assert outcome is None
    assert status_of(entry) == "submitted"
    assert list(selectors.screening_entries(round_, "disagreements")) == [entry]
    assert selectors.screening_counts(round_)["disagreements"] == 1

    staff = SuperuserFactory()
    (settled,) = staff_decide(
        round_=round_, submissions=[entry], by=staff, verdict="ineligible", reason="out_of_scope"
    )

    assert settled.source == "staff"
    assert status_of(entry) == "ineligible"
    assert list(selectors.screening_entries(round_, "disagreements")) == []
    counts = selectors.screening_counts(round_)
    assert counts == {
        "total": 3,
        "decided": 1,
        "eligible": 0,
        "ineligible": 1,
        "open": 2,
        "disagreements": 0,
        "percent": 33,
    }


def test_staff_override_a_settled_outcome():
    round_, (entry, *_rest) = screening(k=1)
    juror = make_juror(round_.challenge)
    (review,) = assign(round_, juror, [entry])
    decide(review=review, by=juror.user, verdict="ineligible", reason="incomplete")

    staff_decide(round_=round_, submissions=[entry], by=SuperuserFactory(), verdict="eligible")

    outcome = ScreeningOutcome.objects.get(round=round_, submission=entry)
    assert (outcome.verdict, outcome.reason, outcome.source) == ("eligible", "", "staff")
    assert status_of(entry) == "eligible"
    assert list(
        StatusChange.objects.filter(submission=entry).values_list("to_status", flat=True)
    ) == ["ineligible", "eligible"]


def test_a_screener_changes_their_decision_only_until_the_outcome_is_settled():
    round_, (entry, *_rest) = screening(k=2)
    a, b = make_juror(round_.challenge), make_juror(round_.challenge)
    (ra,) = assign(round_, a, [entry])
    (rb,) = assign(round_, b, [entry])
    decide(review=ra, by=a.user, verdict="ineligible", reason="late")
    decide(review=ra, by=a.user, verdict="eligible")  # changed their mind: still pending
    assert ScreeningDecision.objects.get(round=round_, screener=a.user).verdict == "eligible"
    decide(review=rb, by=b.user, verdict="eligible")

    with pytest.raises(Settled):
        decide(review=ra, by=a.user, verdict="ineligible", reason="late")

    assert ScreeningDecision.objects.get(round=round_, screener=a.user).verdict == "eligible"
    assert status_of(entry) == "eligible"


# --- refusals ---------------------------------------------------------------------------
def test_a_conflicted_screener_is_refused_and_nothing_is_saved(client):
    round_, (entry, *_rest) = screening(k=1)
    juror = make_juror(round_.challenge)
    (review,) = assign(round_, juror, [entry])
    Conflict.objects.create(
        juror=juror, kind=ConflictKind.TEAM, team=entry.team, declared_by=juror.user
    )

    with pytest.raises(NotAllowed) as refused:
        decide(review=review, by=juror.user, verdict="eligible")
    assert refused.value.code == "screening_conflicted"
    assert "conflict of interest" in str(refused.value)

    client.force_login(juror.user)
    url = reverse("judging:screen", args=[round_.id, review.id])
    assert client.post(url, {"verdict": "eligible"}).status_code == 404
    assert client.get(url).status_code == 404
    assert not ScreeningDecision.objects.exists()
    assert not ScreeningOutcome.objects.exists()
    assert status_of(entry) == "submitted"


def test_staff_who_are_conflicted_jurors_are_refused_too():
    round_, (entry, other, _third) = screening(k=1)
    staff = SuperuserFactory()
    juror = make_juror(round_.challenge, staff)
    Conflict.objects.create(juror=juror, kind=ConflictKind.TEAM, team=entry.team, declared_by=staff)

    with pytest.raises(NotAllowed):
        staff_decide(round_=round_, submissions=[other, entry], by=staff, verdict="eligible")

    assert not ScreeningOutcome.objects.exists()
    assert status_of(other) == "submitted"


def test_a_screener_not_assigned_to_the_entry_is_refused(client):
    round_, (entry, *_rest) = screening(k=1)
    assigned, stranger = make_juror(round_.challenge), make_juror(round_.challenge)
    (review,) = assign(round_, assigned, [entry])

    with pytest.raises(NotAllowed):
        decide(review=review, by=stranger.user, verdict="eligible")

    client.force_login(stranger.user)
    url = reverse("judging:screen", args=[round_.id, review.id])
    assert client.post(url, {"verdict": "eligible"}).status_code == 404
    outsider = UserFactory()
    client.force_login(outsider)
    assert client.post(url, {"verdict": "eligible"}).status_code == 404
    assert not ScreeningDecision.objects.exists()


def test_a_closed_round_takes_no_screener_decisions():
    round_, (entry, *_rest) = screening(k=1)
    juror = make_juror(round_.challenge)
    (review,) = assign(round_, juror, [entry])
    lock_round(round_=round_, by=SuperuserFactory())

    with pytest.raises(JudgingError, match="closed"):
        decide(review=review, by=juror.user, verdict="eligible")
    assert not ScreeningDecision.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"verdict": "ineligible"}, "Choose why the entry is ineligible."),
        ({"verdict": "ineligible", "reason": "bored"}, "Choose a reason from the list."),
        ({"verdict": "maybe"}, "Choose eligible or ineligible."),
        ({}, "Choose eligible or ineligible."),
        ({"verdict": "eligible", "note": "x" * 1001}, "1000"),
    ],
)
def test_a_bad_screener_post_is_refused_with_a_clear_error(client, data, message):
    round_, (entry, *_rest) = screening(k=1)
    juror = make_juror(round_.challenge)
    (review,) = assign(round_, juror, [entry])
    client.force_login(juror.user)

    response = client.post(reverse("judging:screen", args=[round_.id, review.id]), data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ScreeningDecision.objects.exists()
    assert status_of(entry) == "submitted"


def test_the_service_refuses_a_reason_missing_or_not_in_the_list():
    round_, (entry, *_rest) = screening(k=1)
    juror = make_juror(round_.challenge)
    (review,) = assign(round_, juror, [entry])
    for reason in ("", "bored"):
        with pytest.raises(JudgingError, match="Choose why"):
            decide(review=review, by=juror.user, verdict="ineligible", reason=reason)
    assert not ScreeningDecision.objects.exists()


# --- the juror's pages -------------------------------------------------------------------
def test_the_screener_queue_and_decision_page(client):
    round_, entries = screening(k=1)
    juror = make_juror(round_.challenge)
    first, second, _third = assign(round_, juror, entries)
    client.force_login(juror.user)

    queue = client.get(reverse("judging:queue", args=[round_.id])).content.decode()
    assert "0 of 3 done" in queue
    assert entries[0].title in queue
    assert reverse("judging:screen", args=[round_.id, first.id]) in queue
    page = client.get(reverse("judging:screen", args=[round_.id, first.id])).content.decode()
    assert entries[0].title in page
    assert "The entry is incomplete" in page  # the translated reason list

    response = client.post(
        reverse("judging:screen", args=[round_.id, first.id]),
        {"verdict": "ineligible", "reason": "incomplete", "note": "no video"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("judging:screen", args=[round_.id, second.id])
    assert status_of(entries[0]) == "ineligible"
    queue = client.get(reverse("judging:queue", args=[round_.id])).content.decode()
    assert "1 of 3 done" in queue
    assert "Ineligible" in queue
    # The scoring form is not the way into a screening assignment.
    review_url = reverse("judging:review", args=[round_.id, second.id])
    assert client.get(review_url)["Location"] == reverse(
        "judging:screen", args=[round_.id, second.id]
    )


def test_scores_cannot_be_saved_in_a_screening_round():
    round_, (entry, *_rest) = screening(k=1)
    juror = make_juror(round_.challenge)
    (review,) = assign(round_, juror, [entry])
    with pytest.raises(JudgingError, match="decision, not scores"):
        save_review(
            review=review,
            by=juror.user,
            answers={0: Answer(None)},
            overall_comment="",
            version=0,
            submit=True,
        )
    review.refresh_from_db()
    assert review.state == ReviewState.ASSIGNED


# --- staff --------------------------------------------------------------------------------
def test_staff_decide_many_entries_at_once(client):
    round_, entries = screening(k=1, entries=4)
    _admin(client)

    response = client.post(
        reverse("judging_admin:screening_decide", args=[round_.id]),
        {
            "entries": [entries[0].id, entries[2].id],
            "verdict": "ineligible",
            "reason": "eligibility",
            "note": "under 16",
            "show": "open",
        },
    )

    assert response.status_code == 302
    assert response["Location"].endswith("?show=open")
    assert [status_of(e) for e in entries] == ["ineligible", "submitted", "ineligible", "submitted"]
    assert entries[0].status_reason == "The team does not meet the age or other eligibility rules"
    assert AuditEntry.objects.filter(action="judging.screening.staff_decided").count() == 2
    listing = client.get(
        reverse("judging_admin:screening", args=[round_.id]), {"show": "ineligible"}
    ).content.decode()
    assert entries[0].title in listing
    assert entries[1].title not in listing
    assert "under 16" not in str(Notification.objects.values_list("context", flat=True))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"verdict": "eligible"}, "Select at least one entry."),
        ({"entries": ["abc"], "verdict": "eligible"}, "The selection was not understood"),
        ({"entries": ["{entry}"], "verdict": "maybe"}, "Choose eligible or ineligible."),
        ({"entries": ["{entry}"], "verdict": "ineligible"}, "Choose why the entry is ineligible."),
        (
            {"entries": ["{entry}", "{foreign}"], "verdict": "eligible"},
            "Some of the selected entries are not in this round; nothing was changed.",
        ),
        (
            {"entries": ["{entry}", "{draft}"], "verdict": "eligible"},
            "Some of the selected entries are not in this round; nothing was changed.",
        ),
        (
            {"entries": ["{entry}", str(2**63)], "verdict": "eligible"},
            "The selection was not understood",
        ),
    ],
)
def test_a_malformed_bulk_post_changes_nothing(client, data, message):
    round_, (entry, *_rest) = screening(k=1)
    foreign = SubmissionFactory(status="submitted")  # another challenge's entry
    draft = SubmissionFactory(challenge=round_.challenge, status="draft")
    ids = {"entry": entry.id, "foreign": foreign.id, "draft": draft.id}
    if "entries" in data:
        data = {**data, "entries": [e.format(**ids) for e in data["entries"]]}
    _admin(client)

    response = client.post(reverse("judging_admin:screening_decide", args=[round_.id]), data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ScreeningOutcome.objects.exists()
    assert [status_of(e) for e in (entry, foreign, draft)] == ["submitted", "submitted", "draft"]
    assert not StatusChange.objects.exists()


def test_staff_of_another_challenge_get_404(client, manager):
    round_, (entry, *_rest) = screening(k=1)
    client.force_login(manager)  # manages nothing here
    for url in (
        reverse("judging_admin:screening", args=[round_.id]),
        reverse("judging_admin:round", args=[round_.id]),
    ):
        assert client.get(url).status_code == 404
    response = client.post(
        reverse("judging_admin:screening_decide", args=[round_.id]),
        {"entries": [entry.id], "verdict": "eligible"},
    )
    assert response.status_code == 404
    assert status_of(entry) == "submitted"


def test_the_screening_list_of_a_scored_round_does_not_exist(client):
    round_ = make_round()
    _admin(client)
    assert client.get(reverse("judging_admin:screening", args=[round_.id])).status_code == 404


def test_a_draft_round_takes_no_staff_decisions():
    round_, (entry, *_rest) = screening(k=1, status=RoundStatus.DRAFT)
    with pytest.raises(JudgingError, match="Open the round"):
        staff_decide(round_=round_, submissions=[entry], by=SuperuserFactory(), verdict="eligible")
    assert status_of(entry) == "submitted"


def test_the_dashboard_shows_progress_and_counts(client):
    round_, entries = screening(k=2, entries=5)
    a, b = make_juror(round_.challenge), make_juror(round_.challenge)
    ra = assign(round_, a, entries[:3])
    rb = assign(round_, b, entries[:3])
    decide(review=ra[0], by=a.user, verdict="eligible")
    decide(review=rb[0], by=b.user, verdict="eligible")
    decide(review=ra[1], by=a.user, verdict="eligible")
    decide(review=rb[1], by=b.user, verdict="ineligible", reason="plagiarism")
    decide(review=ra[2], by=a.user, verdict="ineligible", reason="plagiarism")
    decide(review=rb[2], by=b.user, verdict="ineligible", reason="plagiarism")
    _admin(client)

    page = client.get(reverse("judging_admin:round", args=[round_.id])).content.decode()

    assert "Decided: 2/5 (40%)" in page
    assert '<strong class="count-eligible">1</strong>' in page
    assert '<strong class="count-ineligible">1</strong>' in page
    assert '<strong class="count-disagreements">1</strong>' in page
    assert '<strong class="count-open">3</strong>' in page
    assert "Decisions made: 6/6" in page
    assert "Krippendorff" not in page  # no scores, no ranking
    disagreements = client.get(
        reverse("judging_admin:screening", args=[round_.id]), {"show": "disagreements"}
    ).content.decode()
    assert entries[1].title in disagreements
    assert entries[0].title not in disagreements
    assert "The screeners disagree" in disagreements


def _list_queries(client, n):
    round_, entries = screening(k=2, entries=n)
    a, b = make_juror(round_.challenge), make_juror(round_.challenge)
    for juror in (a, b):
        for review in assign(round_, juror, entries):
            decide(review=review, by=juror.user, verdict="eligible")
    url = reverse("judging_admin:screening", args=[round_.id])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('class="screening-row') == n
    return len(queries.captured_queries)


def test_the_screening_list_costs_the_same_queries_for_10_and_50_entries(client):
    _admin(client)
    assert _list_queries(client, 10) == _list_queries(client, 50)


def test_the_screening_export_lists_every_outcome(client):
    round_, (first, second, third) = screening(k=1)
    staff = _admin(client)
    staff_decide(
        round_=round_, submissions=[first], by=staff, verdict="ineligible", reason="late", note="=1"
    )
    staff_decide(round_=round_, submissions=[second], by=staff, verdict="eligible")

    response = client.get(reverse("judging_admin:export", args=[round_.id, "screening"]))

    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(r["entry_id"], r["outcome"], r["reason"], r["decided_by"]) for r in rows] == [
        (str(first.id), "ineligible", "late", "staff"),
        (str(second.id), "eligible", "", "staff"),
        (str(third.id), "", "", ""),
    ]
    assert rows[0]["note"] == "'=1"  # the formula guard
    for kind in ("ranking", "scores"):
        assert (
            client.get(reverse("judging_admin:export", args=[round_.id, kind])).status_code == 404
        )


# --- the round's life, and the next round --------------------------------------------------
def test_a_screening_round_opens_without_criteria_and_has_no_ranking():
    round_, (_entry, *_rest) = screening(k=1, status=RoundStatus.DRAFT)
    staff = SuperuserFactory()
    open_round(round_=round_, by=staff)
    make_juror(round_.challenge)
    plan = auto_assign(round_=round_, by=staff, seed=1)
    assert len(plan.add) == 3
    lock_round(round_=round_, by=staff)
    with pytest.raises(JudgingError, match="no ranking"):
        publish_round(round_=round_, by=staff)
    with pytest.raises(JudgingError, match="no ranking"):
        advance_entries(round_=round_, by=staff, top_n=1, status="finalist")


def test_a_screening_round_has_one_or_two_screeners_per_entry():
    round_ = ScreeningRoundFactory.build(reviews_per_entry=3)
    with pytest.raises(ValidationError, match="one or two screeners"):
        round_.clean()


def test_automatic_assignment_gives_each_entry_two_unconflicted_screeners():
    round_, entries = screening(k=2, entries=4)
    jurors = [make_juror(round_.challenge) for _ in range(3)]
    Conflict.objects.create(
        juror=jurors[0], kind=ConflictKind.TEAM, team=entries[0].team, declared_by=jurors[0].user
    )
    auto_assign(round_=round_, by=SuperuserFactory(), seed=3)
    for entry in entries:
        screeners = set(
            Review.objects.filter(round=round_, submission=entry).values_list("juror", flat=True)
        )
        assert len(screeners) == 2
    assert not Review.objects.filter(submission=entries[0], juror=jurors[0]).exists()


def test_automatic_assignment_skips_entries_staff_already_settled():
    round_, (settled, open_entry, _third) = screening(k=2)
    jurors = [make_juror(round_.challenge) for _ in range(2)]
    staff = SuperuserFactory()
    (kept,) = assign(round_, jurors[0], [settled])
    staff_decide(round_=round_, submissions=[settled], by=staff, verdict="eligible")

    auto_assign(round_=round_, by=staff, seed=4)

    # No new screener for the settled entry, and its existing review is left alone.
    assert list(Review.objects.filter(round=round_, submission=settled)) == [kept]
    assert Review.objects.filter(round=round_, submission=open_entry).count() == 2


def test_ineligible_entries_do_not_enter_the_next_round():
    round_, (good, bad, unseen) = screening(k=1)
    staff = SuperuserFactory()
    staff_decide(round_=round_, submissions=[good], by=staff, verdict="eligible")
    staff_decide(round_=round_, submissions=[bad], by=staff, verdict="ineligible", reason="late")

    # The screening round itself keeps every entry it ruled on.
    assert set(selectors.entries_in_scope(round_)) == {good, bad, unseen}
    # A scored round over "all eligible entries" leaves the ineligible one out …
    later = make_round(round_.challenge)
    assert set(selectors.entries_in_scope(later)) == {good, unseen}
    # … and one over "advanced from the screening round" takes the eligible ones only.
    advanced = make_round(round_.challenge, scope=RoundScope.ADVANCED, previous=round_)
    assert list(selectors.entries_in_scope(advanced)) == [good]
    assert [r.entry.id for r in selectors.ranking(advanced)] == [good.id]
    # Staff changing their mind moves the entry out of the next round too.
    staff_decide(round_=round_, submissions=[good], by=staff, verdict="ineligible", reason="other")
    assert list(selectors.entries_in_scope(advanced)) == []
    assert set(selectors.entries_in_scope(later)) == {unseen}


def test_an_entry_advanced_by_hand_but_found_ineligible_stays_out():
    from judging.models import Advancement

    round_, (entry, *_rest) = screening(k=1)
    advanced = make_round(round_.challenge, scope=RoundScope.ADVANCED, previous=round_)
    Advancement.objects.create(round=advanced, submission=entry)
    staff_decide(
        round_=round_,
        submissions=[entry],
        by=SuperuserFactory(),
        verdict="ineligible",
        reason="plagiarism",
    )
    assert list(selectors.entries_in_scope(advanced)) == []


def test_the_round_form_offers_the_mode(client):
    round_, _entries = screening(k=1)
    _admin(client)
    page = client.get(
        reverse("judging_admin:round_edit", args=[round_.challenge_id, round_.id])
    ).content.decode()
    assert 'name="mode"' in page
    assert "Screening: eligible or ineligible, with a reason" in page
    assert Round.objects.get(pk=round_.pk).is_screening


# --- the demo -------------------------------------------------------------------------------
def test_the_demo_has_a_finished_screening_round_on_the_covid_challenge(client, shared_demo):
    round_ = Round.objects.get(challenge__slug="covid-19-challenge-2020", mode="screening")
    assert round_.status == RoundStatus.LOCKED
    counts = selectors.screening_counts(round_)
    assert counts["open"] == counts["disagreements"] == 0
    assert counts["total"] == 48
    assert counts["ineligible"] == 4
    ineligible = ScreeningOutcome.objects.filter(round=round_, verdict="ineligible")
    assert sorted(ineligible.values_list("reason", flat=True)) == [
        "duplicate",
        "eligibility",
        "incomplete",
        "out_of_scope",
    ]
    assert {o.submission.status for o in ineligible} == {"ineligible"}
    # Two disagreements, settled by staff.
    assert ScreeningOutcome.objects.filter(round=round_, source="staff").count() == 2
    # The ineligible entries are not in the shortlist.
    shortlist = Round.objects.get(challenge=round_.challenge, name="Saralash")
    out = {o.submission_id for o in ineligible}
    assert not out & set(selectors.entries_in_scope(shortlist).values_list("id", flat=True))
    assert not Review.objects.filter(round=shortlist, submission_id__in=out).exists()
    client.force_login(SuperuserFactory())
    page = client.get(reverse("judging_admin:round", args=[round_.id])).content.decode()
    assert "Decided: 48/48 (100%)" in page


def test_the_staff_entry_page_of_a_screening_round_opens(client):
    round_, (entry, *_rest) = screening(k=1)
    juror = make_juror(round_.challenge)
    (review,) = assign(round_, juror, [entry])
    decide(review=review, by=juror.user, verdict="ineligible", reason="late")
    _admin(client)
    response = client.get(reverse("judging_admin:entry", args=[round_.id, entry.id]))
    assert response.status_code == 200
    assert entry.title in response.content.decode()
