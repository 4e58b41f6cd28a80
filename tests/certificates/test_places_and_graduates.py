"""Winners' places come from the published ranking; incubation graduates get their own rule."""

import pytest

from certificates.enums import CertificateKind, CertificateStatus
from certificates.models import Certificate
from certificates.services import issuing
from certificates.services.recipients import recipients_for
from challenges.models import Prize
from incubation.enums import StageKind
from judging.services.rounds import advance_entries, lock_round, publish_round
from submissions.enums import SubmissionStatus
from submissions.models import Submission
from submissions.services.status import change_status
from tests import factories
from tests.judging.helpers import assign, make_entries, make_juror, make_round, submit_scores

from .helpers import make_template, pdf_text

PLACE_BODY = "{recipient_name} — {place}-oʻrin, «{challenge}»."


def _published(challenge, manager, plan, *, tracks=None):
    """A locked, published round over entries scored per ``plan`` (best first by design)."""
    round_ = make_round(challenge, k=2)
    entries = []
    for i, _values in enumerate(plan):
        track = tracks[i] if tracks else None
        entries += make_entries(challenge, 1, track=track)
    a, b = make_juror(challenge), make_juror(challenge)
    for entry, values in zip(entries, plan, strict=True):
        for juror, scores in zip([a, b], values, strict=True):
            submit_scores(assign(round_, juror, [entry])[0], scores)
    lock_round(round_=round_, by=manager)
    publish_round(round_=round_, by=manager)
    return round_, entries


def _stored_pdf(certificate):
    from core import s3

    body = s3.client().get_object(Bucket=s3.bucket_name(), Key=certificate.pdf_key)["Body"]
    return body.read()


def test_winners_are_placed_by_the_published_ranking(challenge, manager, s3_bucket, committed):
    make_template(kind=CertificateKind.WINNER, title="Diplom", body=PLACE_BODY)
    plan = [[(10, 5), (9, 5)], [(8, 4), (7, 4)], [(5, 2), (6, 2)], [(2, 1), (3, 1)]]
    round_, entries = _published(challenge, manager, plan)
    advance_entries(round_=round_, by=manager, top_n=3, status="winner", per_track=False)
    # The third winner's profile name is what the certificate prints.
    factories.ProfileFactory(user=entries[2].owner, full_name="Oʻgʻiloy Gʻaniyeva")
    with committed():
        issuing.issue_certificates(challenge=challenge, rule="winners", by=manager)
    places = dict(
        Certificate.objects.filter(kind=CertificateKind.WINNER).values_list("recipient_id", "place")
    )
    assert places == {entries[0].owner_id: 1, entries[1].owner_id: 2, entries[2].owner_id: 3}
    third = Certificate.objects.get(recipient=entries[2].owner)
    assert third.status == CertificateStatus.ISSUED
    _reader, text = pdf_text(_stored_pdf(third))
    assert "Oʻgʻiloy Gʻaniyeva — 3-oʻrin" in text


def test_places_are_counted_per_track_when_prizes_are_per_track(challenge, manager):
    junior = factories.TrackFactory(challenge=challenge)
    senior = factories.TrackFactory(challenge=challenge)
    Prize.objects.create(challenge=challenge, track=junior, place=1, title="Kichiklar: 1")
    Prize.objects.create(challenge=challenge, track=senior, place=1, title="Kattalar: 1")
    plan = [[(10, 5), (10, 5)], [(9, 5), (9, 5)], [(8, 4), (8, 4)], [(2, 1), (2, 1)]]
    round_, entries = _published(challenge, manager, plan, tracks=[junior, junior, senior, senior])
    advance_entries(round_=round_, by=manager, top_n=1, status="winner", per_track=True)
    people = recipients_for(challenge=challenge, rule="winners")
    assert {p.user.pk: p.place for p in people} == {
        entries[0].owner_id: 1,
        entries[2].owner_id: 1,
    }


def test_an_incubated_winner_keeps_its_place_but_an_incubated_finalist_is_no_winner(
    challenge, manager
):
    plan = [[(10, 5), (9, 5)], [(8, 4), (7, 4)], [(5, 2), (6, 2)]]
    round_, entries = _published(challenge, manager, plan)
    advance_entries(round_=round_, by=manager, top_n=1, status="winner", per_track=False)
    change_status(submission=entries[1], status=SubmissionStatus.FINALIST, by=manager)
    for entry in entries[:2]:
        entry.refresh_from_db()
        change_status(submission=entry, status=SubmissionStatus.INCUBATED, by=manager)
    people = recipients_for(challenge=challenge, rule="winners")
    assert [(p.user.pk, p.place) for p in people] == [(entries[0].owner_id, 1)]


def test_winners_without_a_published_ranking_are_refused_when_the_template_prints_a_place(
    challenge, manager, committed
):
    make_template(kind=CertificateKind.WINNER, title="Diplom", body=PLACE_BODY)
    entry = factories.SubmissionFactory(challenge=challenge, status=SubmissionStatus.WINNER)
    factories.ProfileFactory(user=entry.owner, full_name="Aziz Rahimov")
    # (staff override the phase: the missing places are what refuses here)
    with committed(), pytest.raises(issuing.IssuingError, match="Publish the round") as error:
        issuing.issue_certificates(
            challenge=challenge, rule="winners", by=manager, override_reason="Jury decided"
        )
    assert "Aziz Rahimov" in str(error.value)
    assert not Certificate.objects.exists()
    assert not challenge.certificate_batches.exists()


def test_winners_without_a_place_are_issued_when_the_template_does_not_print_it(
    challenge, manager, s3_bucket, committed
):
    make_template(kind=CertificateKind.WINNER, title="Diplom", body="{recipient_name} gʻolib.")
    factories.SubmissionFactory(challenge=challenge, status=SubmissionStatus.WINNER)
    with committed():
        batch = issuing.issue_certificates(
            challenge=challenge, rule="winners", by=manager, override_reason="Jury decided"
        )
    assert batch.queued == 1
    assert Certificate.objects.get().status == CertificateStatus.ISSUED


def _project(challenge, entry, stage_kind):
    from incubation.models import Project

    cohort = factories.CohortFactory()
    stage = cohort.stages.filter(kind=stage_kind).first()
    return Project.objects.create(
        cohort=cohort,
        submission=entry,
        challenge=challenge,
        team=entry.team,
        owner=entry.owner,
        title=entry.title,
        stage=stage,
    )


def test_graduates_rule_issues_incubation_certificates_to_graduated_teams_only(
    challenge, manager, s3_bucket, committed
):
    from .helpers import entry_with_team

    make_template(
        kind=CertificateKind.INCUBATION,
        title="Bitiruvchi",
        body="«{team}» jamoasi «{project_title}» loyihasi bilan inkubatsiyani tugatdi.",
    )
    graduated, members = entry_with_team(
        challenge, ["Malika Tosheva", "Сергей Ким"], status="incubated", title="Aqlli niqob"
    )
    active, _others = entry_with_team(challenge, ["Bobur Aliyev"], status="incubated")
    _project(challenge, graduated, StageKind.GRADUATED)
    _project(challenge, active, StageKind.ACTIVE)
    with committed():
        batch = issuing.issue_certificates(challenge=challenge, rule="graduates", by=manager)
    assert batch.queued == 2
    held = Certificate.objects.filter(kind=CertificateKind.INCUBATION)
    assert set(held.values_list("recipient_id", flat=True)) == {m.pk for m in members}
    certificate = held.get(recipient=members[1])
    assert certificate.status == CertificateStatus.ISSUED
    _reader, text = pdf_text(_stored_pdf(certificate))
    assert "Сергей Ким" in text
    assert "«Aqlli niqob» loyihasi" in text
    # Issuing again issues nothing new.
    with committed():
        again = issuing.issue_certificates(challenge=challenge, rule="graduates", by=manager)
    assert (again.queued, again.already_issued) == (0, 2)
    assert Submission.objects.get(pk=active.pk).status == "incubated"
