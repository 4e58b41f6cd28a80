"""Follow-up forms per round: staff ask, teams answer until the deadline, jurors read."""

import datetime
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from cms.demo import judging as judging_demo
from cms.demo import results as results_demo
from core.errors import Refused
from core.i18n import zone_label
from judging.models import FollowUpAnswers, Review, Round
from judging.services.followups import request_followup, save_followup
from notifications.messages import render
from notifications.models import Notification
from tests.factories import (
    ChallengeFactory,
    EntryFieldFactory,
    SubmissionFactory,
    SuperuserFactory,
    TeamMembershipFactory,
    UserFactory,
)
from tests.judging.helpers import assign, make_entries, make_juror, make_round

pytestmark = pytest.mark.django_db

EVENT = "judging.followup_requested"


def followup_round(*, entries=2, deadline=None, blind=False, asked=True, extra_questions=0):
    """A round with a follow-up form (pitch video link, budget, a staff-only phone, a
    blind-hidden mentor), ``entries`` eligible entries in scope, asked by staff."""
    round_ = make_round(blind=blind)
    challenge = round_.challenge
    questions = [
        EntryFieldFactory(
            challenge=challenge,
            stage="followup",
            clean_name="pitch_video",
            field_type="url",
            label="Taqdimot videosi",
            label_en="Pitch video",
            required=True,
        ),
        EntryFieldFactory(
            challenge=challenge,
            stage="followup",
            clean_name="budget",
            field_type="number",
            label="Byudjet",
            label_en="Budget",
            integer_only=True,
            min_value=0,
            max_value=1_000_000,
        ),
        EntryFieldFactory(
            challenge=challenge,
            stage="followup",
            clean_name="phone",
            field_type="short_text",
            label="Telefon",
            label_en="Phone for staff",
            visibility="staff",
        ),
        EntryFieldFactory(
            challenge=challenge,
            stage="followup",
            clean_name="mentor",
            field_type="short_text",
            label="Mentor",
            label_en="Mentor's name",
            hide_in_blind=True,
        ),
    ]
    questions += [
        EntryFieldFactory(challenge=challenge, stage="followup", label_en=f"Extra {i}")
        for i in range(extra_questions)
    ]
    round_.followup_questions.set(questions)
    round_.followup_deadline = deadline or timezone.now() + timedelta(days=3)
    round_.save()
    made = make_entries(challenge, entries)
    if asked:
        request_followup(round_=round_, by=SuperuserFactory())
    return round_, made


def url(entry, round_):
    return reverse("judging:followup", args=[entry.pk, round_.pk])


def test_followup_questions_are_not_on_the_entry_form(client):
    round_, (entry, _other) = followup_round()
    client.force_login(entry.team.lead)

    html = client.get(reverse("submissions:entry", args=[entry.pk])).content.decode()

    assert "Pitch video" not in html
    assert f'href="{url(entry, round_)}"' in html  # the entry page links to the open follow-up


def test_team_member_answers_and_submits_before_the_deadline(client):
    round_, (entry, _other) = followup_round()
    client.force_login(entry.team.lead)

    page = client.get(url(entry, round_))
    assert page.status_code == 200
    assert "Pitch video" in page.content.decode()
    assert f"({zone_label(round_.challenge.time_zone)})" in page.content.decode()

    response = client.post(
        url(entry, round_),
        {"pitch_video": "https://example.org/pitch", "budget": "5000", "action": "submit"},
    )

    assert response.status_code == 302
    row = FollowUpAnswers.objects.get(round=round_, submission=entry)
    assert row.answers == {"pitch_video": "https://example.org/pitch", "budget": 5000}
    assert row.submitted_at is not None
    assert [item["labels"]["en"] for item in row.frozen] == ["Pitch video", "Budget"]


def test_a_draft_may_be_incomplete_but_a_submit_needs_the_required_answers(client):
    round_, (entry, _other) = followup_round()
    client.force_login(entry.team.lead)

    draft = client.post(url(entry, round_), {"budget": "10", "action": "save"})
    assert draft.status_code == 302
    submit = client.post(url(entry, round_), {"budget": "10", "action": "submit"})

    assert submit.status_code == 400
    assert "This answer is needed to submit." in submit.content.decode()
    row = FollowUpAnswers.objects.get(round=round_, submission=entry)
    assert row.answers == {"budget": 10}
    assert row.submitted_at is None


@pytest.mark.parametrize(
    ("posted", "error"),
    [
        ({"pitch_video": "javascript:alert(1)"}, "Enter a valid URL."),
        ({"pitch_video": "https://x.org", "budget": "-1"}, "greater than or equal to 0"),
        ({"pitch_video": "https://x.org", "budget": "2.5"}, "Enter a whole number."),
    ],
)
def test_followup_answers_are_validated_by_the_entry_form_builder(client, posted, error):
    round_, (entry, _other) = followup_round()
    client.force_login(entry.team.lead)

    response = client.post(url(entry, round_), {**posted, "action": "submit"})

    assert response.status_code == 400
    assert error in response.content.decode()
    assert not FollowUpAnswers.objects.filter(round=round_, submission=entry).exists()


def test_after_the_deadline_a_followup_is_refused_and_nothing_changes(client):
    round_, (entry, _other) = followup_round()
    FollowUpAnswers.objects.create(round=round_, submission=entry, answers={"budget": 1})
    round_.followup_deadline = timezone.now() - timedelta(minutes=1)
    round_.save()
    client.force_login(entry.team.lead)

    page = client.get(url(entry, round_))
    assert 'id="followup-form"' not in page.content.decode()
    assert "The follow-up is closed." in page.content.decode()
    response = client.post(
        url(entry, round_),
        {"pitch_video": "https://example.org/late", "budget": "9", "action": "submit"},
    )

    assert response.status_code == 400
    assert "The follow-up deadline has passed" in response.content.decode()
    row = FollowUpAnswers.objects.get(round=round_, submission=entry)
    assert (row.answers, row.submitted_at) == ({"budget": 1}, None)


def test_the_deadline_itself_is_too_late_a_moment_before_is_not():
    round_, (entry, _other) = followup_round()
    lead, deadline = entry.team.lead, round_.followup_deadline
    answers = {"pitch_video": "https://example.org/p"}

    with pytest.raises(Refused, match="deadline has passed"):
        save_followup(
            round_=round_, submission=entry, answers=answers, submit=True, by=lead, when=deadline
        )
    assert not FollowUpAnswers.objects.filter(submission=entry).exists()

    row = save_followup(
        round_=round_,
        submission=entry,
        answers=answers,
        submit=True,
        by=lead,
        when=deadline - timedelta(microseconds=1),
    )
    assert row.submitted_at is not None


def test_only_team_members_of_entries_in_scope_find_the_followup(client):
    round_, (entry, _other) = followup_round()
    outside = SubmissionFactory(challenge=round_.challenge, status="draft")  # not in scope
    mentor = TeamMembershipFactory(team=entry.team, role="mentor").user

    client.force_login(UserFactory())
    assert client.get(url(entry, round_)).status_code == 404
    assert client.post(url(entry, round_), {"action": "save"}).status_code == 404
    client.force_login(outside.team.lead)
    assert client.get(url(outside, round_)).status_code == 404
    client.force_login(mentor)  # a mentor reads it, cannot answer it
    page = client.get(url(entry, round_))
    assert page.status_code == 200
    assert 'id="followup-form"' not in page.content.decode()
    assert client.post(url(entry, round_), {"budget": "1"}).status_code == 403
    assert not FollowUpAnswers.objects.exists()


def test_nobody_finds_a_followup_before_staff_ask(client):
    round_, (entry, _other) = followup_round(asked=False)
    client.force_login(entry.team.lead)

    assert client.get(url(entry, round_)).status_code == 404


def test_asking_for_the_followup_notifies_each_team_once(client):
    round_, entries = followup_round(entries=3, asked=False)
    client.force_login(SuperuserFactory())
    action = reverse("judging_admin:round_action", args=[round_.pk])

    client.post(action, {"action": "followup"})
    client.post(action, {"action": "followup"})

    notified = Notification.objects.filter(event=EVENT)
    assert sorted(n.recipient_id for n in notified) == sorted(e.team.lead_id for e in entries)
    assert {n.link for n in notified} == {url(e, round_) for e in entries}
    with translation.override("uz"):
        message = render(notified.first(), language="uz")
        zone = zone_label(round_.challenge.time_zone)
    local = timezone.localtime(round_.followup_deadline, round_.challenge.tz)
    assert message.subject.startswith("Tanlov: Saralash bosqichi")
    assert message.text.endswith(f"{local:%H:%M} ({zone}) gacha yuboring.")


def test_asking_without_a_deadline_is_refused(client):
    round_ = make_round()
    round_.followup_questions.set([EntryFieldFactory(challenge=round_.challenge, stage="followup")])
    with pytest.raises(Refused, match="deadline first"):
        request_followup(round_=round_, by=SuperuserFactory())
    assert not Notification.objects.filter(event=EVENT).exists()


def _answered(round_, entry):
    save_followup(
        round_=round_,
        submission=entry,
        answers={
            "pitch_video": "https://example.org/pitch",
            "budget": 750,
            "phone": "+998 90 000 00 00",
            "mentor": "Dilnoza Karimova",
        },
        submit=True,
        by=entry.team.lead,
    )


@pytest.mark.parametrize("blind", [False, True])
def test_juror_sees_the_followup_answers_but_not_staff_only_ones(client, blind):
    round_, (entry, _other) = followup_round(blind=blind)
    _answered(round_, entry)
    juror = make_juror(round_.challenge)
    (review,) = assign(round_, juror, [entry])
    client.force_login(juror.user)

    html = client.get(reverse("judging:review", args=[round_.pk, review.pk])).content.decode()

    assert "Follow-up answers" in html
    assert "https://example.org/pitch" in html
    assert "750" in html
    assert "+998 90 000 00 00" not in html
    assert ("Dilnoza Karimova" in html) is not blind


def test_review_page_queries_stay_flat_with_the_followup(client, home_pages):
    def count(extra):
        round_, (entry, _other) = followup_round(extra_questions=extra)
        juror = make_juror(round_.challenge)
        (review,) = assign(round_, juror, [entry])
        client.force_login(juror.user)
        page = reverse("judging:review", args=[round_.pk, review.pk])
        client.get(page)
        with CaptureQueriesContext(connection) as without:
            client.get(page)
        _answered(round_, entry)
        with CaptureQueriesContext(connection) as with_answers:
            html = client.get(page).content.decode()
        assert "Follow-up answers" in html
        return len(without.captured_queries), len(with_answers.captured_queries)

    assert count(0) == count(10)
    without, with_answers = count(0)
    assert without == with_answers


def test_demo_final_has_a_followup_with_answers_jurors_read(client, home_pages, s3_bucket):
    SuperuserFactory()
    challenge = ChallengeFactory(slug=judging_demo.SLUG)
    make_entries(challenge, 12, status="submitted")
    judging_demo.load(stdout=io.StringIO())
    results_demo.load(stdout=io.StringIO())
    results_demo.load(stdout=io.StringIO())  # idempotent

    final = Round.objects.get(challenge=challenge, name=results_demo.FINAL_NAME)
    assert [q.clean_name for q in final.followup_questions.order_by("sort_order")] == [
        "pitch_video",
        "budget_uzs",
        "budget_plan",
    ]
    sent = FollowUpAnswers.objects.filter(round=final, submitted_at__isnull=False)
    assert sent.count() == results_demo.FOLLOWUP_ANSWERED
    assert all(row.submitted_at < final.followup_deadline for row in sent)
    row = sent.select_related("submission").first()
    review = Review.objects.filter(round=final, submission=row.submission).first()
    client.force_login(review.juror.user)
    html = client.get(reverse("judging:review", args=[final.pk, review.pk])).content.decode()
    assert row.answers["pitch_video"] in html
    assert "Project budget (million UZS)" in html
    with_plan = [r for r in sent if r.files]
    assert len(with_plan) == results_demo.FOLLOWUP_WITH_PLAN
    assert all(r.files[0]["content_type"] == "application/pdf" for r in with_plan)


def test_staff_give_a_round_followup_questions_and_a_deadline_in_the_challenge_zone(client):
    round_ = make_round()
    challenge = round_.challenge
    challenge.time_zone = "Asia/Tashkent"
    challenge.save()
    asked = EntryFieldFactory(challenge=challenge, stage="followup", label="Byudjet")
    on_entry_form = EntryFieldFactory(challenge=challenge, label="Qisqacha")
    client.force_login(SuperuserFactory())
    url = reverse("judging_admin:round_edit", args=[challenge.pk, round_.pk])
    criterion = round_.criteria.first()
    data = {
        "name": "Final",
        "position": 2,
        "opens_at": "2026-12-01T09:00",
        "closes_at": "2026-12-10T18:00",
        "scope": "eligible",
        "reviews_per_entry": 2,
        "method": "mean",
        "fast_review_minutes": 3,
        "disagreement_threshold": "30",
        "followup_questions": [asked.pk],
        "followup_deadline": "2026-12-05T18:00",
        "followup_intro": "Finalchilar, video yuboring.",
        "criteria-TOTAL_FORMS": 1,
        "criteria-INITIAL_FORMS": 1,
        "criteria-0-id": criterion.pk,
        "criteria-0-name": criterion.name,
        "criteria-0-weight": "1",
        "criteria-0-scale_min": "1",
        "criteria-0-scale_max": "10",
        "criteria-0-step": "1",
        "criteria-0-position": 0,
    }

    form_page = client.get(url).content.decode()
    assert "Byudjet" in form_page
    assert "Qisqacha" not in form_page
    response = client.post(url, data)

    assert response.status_code == 302
    round_.refresh_from_db()
    assert list(round_.followup_questions.all()) == [asked]
    # 18:00 in Tashkent (UTC+5) is 13:00 UTC, whatever the server's zone.
    assert round_.followup_deadline.astimezone(datetime.UTC).strftime("%H:%M") == "13:00"
    assert on_entry_form not in round_.followup_questions.all()
    data["followup_questions"] = [on_entry_form.pk]  # not a follow-up question
    assert client.post(url, data).status_code == 200


def test_staff_read_the_sent_followup_with_staff_only_answers(client):
    round_, (entry, _other) = followup_round(blind=True)
    _answered(round_, entry)
    client.force_login(SuperuserFactory())

    page = client.get(reverse("judging_admin:entry", args=[round_.pk, entry.pk]))

    html = page.content.decode()
    assert "+998 90 000 00 00" in html
    assert "Dilnoza Karimova" in html
