"""Round rules, assignment into the database, ranking from the database, advancing, publishing."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.template import Context, Template

from judging import selectors
from judging.enums import ConflictKind, ReviewState, RoundScope, RoundStatus
from judging.forms import CriterionForm
from judging.models import Advancement, Conflict, Criterion, Review
from judging.services import JudgingError
from judging.services.aggregation import weighted_score
from judging.services.assignments import auto_assign
from judging.services.jurors import (
    accept_invitation,
    conflicted_pairs,
    declare_conflict,
    invite_juror,
)
from judging.services.rounds import advance_entries, lock_round, open_round, publish_round
from submissions.models import Submission, TeamMembership
from tests.factories import ProfileFactory, SuperuserFactory, UserFactory

from .helpers import assign, make_entries, make_juror, make_round, submit_scores

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db):
    return SuperuserFactory()


def test_a_round_without_criteria_cannot_open(staff):
    round_ = make_round(status=RoundStatus.DRAFT, criteria=[{"name": "x", "weight": 1}])
    round_.criteria.all().delete()
    with pytest.raises(JudgingError, match="without criteria"):
        open_round(round_=round_, by=staff)
    round_.refresh_from_db()
    assert round_.status == RoundStatus.DRAFT


def test_zero_weights_are_refused_by_the_form_and_the_database(staff):
    round_ = make_round(status=RoundStatus.DRAFT)
    form = CriterionForm(
        data={
            "name": "Impact",
            "weight": "0",
            "scale_min": "1",
            "scale_max": "10",
            "step": "1",
            "position": 0,
        },
    )
    assert not form.is_valid()
    assert form.errors["weight"] == ["A weight must be above zero."]
    with pytest.raises(IntegrityError), transaction.atomic():
        Criterion.objects.create(round=round_, name="Zero", weight=0)


def test_only_managers_open_rounds(staff):
    round_ = make_round(status=RoundStatus.DRAFT)
    with pytest.raises(PermissionDenied):
        open_round(round_=round_, by=UserFactory())
    open_round(round_=round_, by=staff)
    assert round_.status == RoundStatus.OPEN


def test_advancing_from_an_unlocked_round_is_refused(staff):
    round_ = make_round()
    with pytest.raises(JudgingError, match="Lock the round"):
        advance_entries(round_=round_, by=staff, top_n=1, status="finalist")


def _scored_round(staff, *, k=2):
    round_ = make_round(k=k)
    entries = make_entries(round_.challenge, 4)
    a, b = make_juror(round_.challenge), make_juror(round_.challenge)
    # impact (w2, 1–10), feasibility (w1, 0–5)
    plan = {0: [(10, 5), (9, 4)], 1: [(7, 3), (6, 3)], 2: [(4, 2), (5, 2)], 3: [(2, 1)]}
    for i, entry in enumerate(entries):
        for juror, values in zip([a, b], plan[i], strict=False):
            submit_scores(assign(round_, juror, [entry])[0], values)
    return round_, entries


def test_ranking_computes_weighted_scores_in_the_database_like_the_reference(staff):
    round_, entries = _scored_round(staff)
    rows = selectors.ranking(round_)
    expected = [
        (
            weighted_score([(10, 2, 1, 10), (5, 1, 0, 5)])
            + weighted_score([(9, 2, 1, 10), (4, 1, 0, 5)])
        )
        / 2,
        (
            weighted_score([(7, 2, 1, 10), (3, 1, 0, 5)])
            + weighted_score([(6, 2, 1, 10), (3, 1, 0, 5)])
        )
        / 2,
        (
            weighted_score([(4, 2, 1, 10), (2, 1, 0, 5)])
            + weighted_score([(5, 2, 1, 10), (2, 1, 0, 5)])
        )
        / 2,
    ]
    assert [r.entry.id for r in rows] == [e.id for e in entries]
    assert [r.ranked.score for r in rows[:3]] == pytest.approx(expected)
    assert [r.ranked.rank for r in rows] == [1, 2, 3, None]
    assert rows[3].ranked.flags == ["incomplete"]


def test_must_pass_threshold_flags_and_blocks_advancing(staff):
    round_, entries = _scored_round(staff)
    Criterion.objects.filter(round=round_, name="Feasibility").update(must_pass=Decimal("4"))
    rows = selectors.ranking(round_)
    assert [("must_pass" in r.ranked.flags) for r in rows] == [False, True, True, True]
    lock_round(round_=round_, by=staff)
    moved = advance_entries(round_=round_, by=staff, top_n=2, status="finalist")
    assert moved == [entries[0]]


def test_advance_top_n_per_track_to_the_next_round_and_status(staff):
    round_, entries = _scored_round(staff)
    final = make_round(
        round_.challenge, status=RoundStatus.DRAFT, scope=RoundScope.ADVANCED, previous=round_
    )
    lock_round(round_=round_, by=staff)
    moved = advance_entries(
        round_=round_, by=staff, top_n=2, to_round=final, status="finalist", mark_others=True
    )
    assert moved == entries[:2]
    assert set(Advancement.objects.filter(round=final).values_list("submission_id", flat=True)) == {
        entries[0].id,
        entries[1].id,
    }
    assert list(selectors.entries_in_scope(final).order_by("id")) == entries[:2]
    statuses = dict(Submission.objects.values_list("id", "status"))
    assert [statuses[e.id] for e in entries] == ["finalist", "finalist", "not_selected", "eligible"]


def test_advance_by_threshold(staff):
    round_, entries = _scored_round(staff)
    lock_round(round_=round_, by=staff)
    rows = selectors.ranking(round_)
    cut = round(rows[1].ranked.score, 2)
    moved = advance_entries(round_=round_, by=staff, threshold=cut, status="shortlisted")
    assert moved == entries[:2]


def test_publish_shows_winners_and_finalists_on_the_public_include(staff):
    round_, entries = _scored_round(staff)
    with pytest.raises(JudgingError):
        publish_round(round_=round_, by=staff)
    lock_round(round_=round_, by=staff)
    publish_round(round_=round_, by=staff)
    advance_entries(round_=round_, by=staff, top_n=1, status="winner")
    html = Template("{% load judging_tags %}{% published_results challenge %}").render(
        Context({"challenge": round_.challenge})
    )
    assert entries[0].title in html
    assert "Winner" in html
    assert entries[1].title not in html


def test_auto_assign_respects_conflicts_and_k(staff):
    round_ = make_round(status=RoundStatus.OPEN, k=2)
    entries = make_entries(round_.challenge, 9)
    jurors = [make_juror(round_.challenge) for _ in range(4)]
    Conflict.objects.create(juror=jurors[0], kind=ConflictKind.TEAM, team=entries[0].team)
    ProfileFactory(user=entries[1].owner, organisation="Inha University")
    Conflict.objects.create(
        juror=jurors[1], kind=ConflictKind.ORGANISATION, organisation="inha  university"
    )
    plan = auto_assign(round_=round_, by=staff, seed=3)
    assert not plan.short
    pairs = set(Review.objects.values_list("submission_id", "juror_id"))
    assert (entries[0].id, jurors[0].id) not in pairs
    assert (entries[1].id, jurors[1].id) not in pairs
    per_entry = {e.id: 0 for e in entries}
    for e, _j in pairs:
        per_entry[e] += 1
    assert set(per_entry.values()) == {2}
    loads = [Review.objects.filter(juror=j).count() for j in jurors]
    assert max(loads) - min(loads) <= 1


def _member_of(entry, *, organisation):
    """A team member (not the owner) of ``entry`` who works at ``organisation``."""
    member = ProfileFactory(organisation=organisation).user
    TeamMembership.objects.create(team=entry.team, challenge=entry.challenge, user=member)
    return member


@pytest.mark.parametrize("seed", range(3))
def test_auto_assign_never_gives_an_entry_to_a_juror_from_its_organisation(staff, seed):
    """The expert would be chosen first (experts count as less loaded); only the
    organisation conflict with a team member sends the entry to the other juror."""
    round_ = make_round(status=RoundStatus.OPEN, k=1)
    (entry,) = make_entries(round_.challenge, 1)
    _member_of(entry, organisation="Inha University in Tashkent")
    expert, other = make_juror(round_.challenge), make_juror(round_.challenge)
    expert.expertise.add(entry.track)
    Conflict.objects.create(
        juror=expert, kind=ConflictKind.ORGANISATION, organisation="  inha university IN tashkent"
    )

    plan = auto_assign(round_=round_, by=staff, seed=seed)

    assert not plan.short
    assert list(Review.objects.values_list("submission_id", "juror_id")) == [(entry.id, other.id)]


def test_conflicted_pairs_matches_an_organisation_of_any_of_the_entrys_people():
    round_ = make_round()
    by_owner, by_member, elsewhere, unknown = make_entries(round_.challenge, 4)
    ProfileFactory(user=by_owner.owner, organisation="Inha University")
    _member_of(by_member, organisation="INHA  university")
    ProfileFactory(user=elsewhere.owner, organisation="Inha University Alumni")
    juror, colleague = make_juror(round_.challenge), make_juror(round_.challenge)
    Conflict.objects.create(
        juror=juror, kind=ConflictKind.ORGANISATION, organisation="inha university"
    )
    people = (by_owner, by_member, elsewhere, unknown)
    entries = Submission.objects.filter(id__in=[e.id for e in people])

    pairs = conflicted_pairs(jurors=[juror, colleague], entries=entries)

    assert pairs == {(by_owner.id, juror.id), (by_member.id, juror.id)}


def test_auto_assign_rerun_for_a_new_juror_keeps_finished_reviews(staff):
    round_ = make_round(k=1)
    make_entries(round_.challenge, 8)
    first = [make_juror(round_.challenge) for _ in range(2)]
    auto_assign(round_=round_, by=staff, seed=1)
    done = Review.objects.filter(juror=first[0]).first()
    submit_scores(done, [5, 2])
    make_juror(round_.challenge)
    auto_assign(round_=round_, by=staff, seed=2)
    done.refresh_from_db()
    assert done.state == ReviewState.SUBMITTED
    assert done.juror == first[0]
    loads = sorted(Review.objects.values_list("juror_id", flat=True))
    counts = [loads.count(j) for j in set(loads)]
    assert len(counts) == 3
    assert max(counts) - min(counts) <= 1
    assert Review.objects.count() == 8


def test_invitation_accept_and_conflict_declaration(staff):
    round_ = make_round()
    entries = make_entries(round_.challenge, 2)
    user = UserFactory(email="expert@example.org")
    juror = invite_juror(challenge=round_.challenge, email="Expert@Example.org", by=staff)
    assert juror.email == "expert@example.org"
    assert not juror.can_score
    with pytest.raises(JudgingError, match="confidentiality"):
        accept_invitation(token=juror.token, user=user, confidentiality=False)
    with pytest.raises(JudgingError, match="another e-mail"):
        accept_invitation(token=juror.token, user=UserFactory(), confidentiality=True)
    juror = accept_invitation(token=juror.token, user=user, confidentiality=True)
    assert juror.can_score
    review = assign(round_, juror, [entries[0]])[0]
    _conflict, removed = declare_conflict(
        juror=juror, by=user, kind=ConflictKind.TEAM, team=entries[0].team
    )
    assert removed == 1
    assert not Review.objects.filter(pk=review.pk).exists()
    # A conflict that does not say with whom is one refusal of the project's shape (not a
    # model ValidationError each caller catches its own way), and nothing is saved.
    with pytest.raises(JudgingError, match="Say who the conflict is with") as refused:
        declare_conflict(juror=juror, by=user, kind=ConflictKind.ORGANISATION)
    assert refused.value.code == "conflict_invalid"
    assert refused.value.field == "organisation"
    assert juror.conflicts.count() == 1


def test_jurors_who_finished_lists_only_complete_jurors(staff):
    round_ = make_round()
    entries = make_entries(round_.challenge, 2)
    done, half = make_juror(round_.challenge), make_juror(round_.challenge)
    for r in assign(round_, done, entries):
        submit_scores(r, [5, 2])
    reviews = assign(round_, half, entries)
    submit_scores(reviews[0], [5, 2])
    assert list(selectors.jurors_who_finished(round_.challenge)) == [done.user]
