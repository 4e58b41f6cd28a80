"""Feedback to teams: aggregates only, moderated shared comments, released by staff."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from core.errors import Refused
from core.models import AuditEntry
from judging.enums import CommentState, RoundStatus
from judging.models import FeedbackComment, Score
from judging.services.feedback import (
    collect_comments,
    criterion_feedback,
    moderate,
    release_feedback,
)
from notifications.models import Notification
from tests.factories import SuperuserFactory, TeamMembershipFactory, UserFactory
from tests.judging.helpers import assign, make_entries, make_juror, make_round, submit_scores

pytestmark = pytest.mark.django_db


def judged_round(n=3, *, status=RoundStatus.PUBLISHED):
    """A published round: ``n`` entries, two jurors (named ``Juror One``/``Juror Two``),
    each scoring every entry; entry ``i`` gets Impact ``8 - i`` / ``6 - i`` and
    Feasibility ``4`` / ``3``."""
    round_ = make_round(status=status)
    entries = make_entries(round_.challenge, n)
    one = make_juror(round_.challenge, UserFactory(first_name="Juror", last_name="One"))
    two = make_juror(round_.challenge, UserFactory(first_name="Juror", last_name="Two"))
    reviews = {}
    for i, entry in enumerate(entries):
        (r1,) = assign(round_, one, [entry])
        (r2,) = assign(round_, two, [entry])
        submit_scores(r1, [8 - i, 4], comment="")
        submit_scores(r2, [6 - i, 3], comment="")
        reviews[entry.pk] = (r1, r2)
    return round_, entries, reviews


def share(review, criterion_index, text):
    criterion = list(review.round.criteria.all())[criterion_index]
    Score.objects.filter(review=review, criterion=criterion).update(
        comment=text, share_comment=True
    )


def url(entry, round_):
    return reverse("judging:feedback", args=[entry.pk, round_.pk])


def released(round_, staff=None):
    staff = staff or SuperuserFactory()
    collect_comments(round_=round_, by=staff)
    for c in FeedbackComment.objects.filter(round=round_, state=CommentState.PENDING):
        moderate(comment=c, by=staff, action="approve")
    release_feedback(round_=round_, by=staff)
    round_.refresh_from_db()
    return staff


def test_aggregates_are_mean_range_and_standing():
    round_, entries, _ = judged_round(4)
    impact, feasibility = criterion_feedback(round_, entries[1])

    assert impact.criterion.name == "Impact"
    assert (impact.mean, impact.low, impact.high) == (Decimal("6.00"), Decimal(5), Decimal(7))
    assert (impact.standing, impact.of) == (2, 4)
    # Every entry has the same feasibility scores: all share first place.
    assert (feasibility.mean, feasibility.standing, feasibility.of) == (Decimal("3.50"), 1, 4)


def test_team_reads_released_feedback_without_any_juror(client):
    round_, entries, reviews = judged_round()
    entry = entries[0]
    r1, r2 = reviews[entry.pk]
    share(r1, 0, "Clear impact on schools.")
    share(r2, 1, "Unkind remark here.")
    # Written but not shared: never reaches the team.
    Score.objects.filter(review=r2, criterion__name="Impact").update(comment="Private note.")
    staff = SuperuserFactory()
    collect_comments(round_=round_, by=staff)
    kind, unkind = FeedbackComment.objects.filter(round=round_).order_by("criterion__position")
    moderate(comment=kind, by=staff, action="edit", text="Clear impact on rural schools.")
    moderate(comment=unkind, by=staff, action="withhold")
    release_feedback(round_=round_, by=staff)
    client.force_login(entry.team.lead)

    with translation.override("en"):
        response = client.get("/en" + url(entry, round_)[3:])
    html = response.content.decode()

    assert response.status_code == 200
    assert "7.00" not in html  # means shown as 7, never juror labels or single scores
    assert "Impact" in html
    assert "1 of 3" in html
    assert "Clear impact on rural schools." in html
    assert "Unkind remark" not in html
    assert "Private note" not in html
    assert "Juror" not in html
    assert r1.juror.user.email not in html
    # The edit keeps the original in the audit trail.
    edit = AuditEntry.objects.get(action="judging.feedback.edited")
    assert edit.data["original"] == "Clear impact on schools."


def test_feedback_is_not_visible_before_release(client):
    round_, entries, _ = judged_round()
    client.force_login(entries[0].team.lead)

    assert client.get(url(entries[0], round_)).status_code == 404
    released(round_)
    assert client.get(url(entries[0], round_)).status_code == 200


def test_another_team_gets_404(client):
    round_, entries, _ = judged_round()
    released(round_)
    client.force_login(entries[1].team.lead)

    assert client.get(url(entries[0], round_)).status_code == 404
    client.force_login(UserFactory())
    assert client.get(url(entries[0], round_)).status_code == 404


def test_release_refused_before_publication_and_while_comments_wait():
    round_, entries, reviews = judged_round(status=RoundStatus.LOCKED)
    staff = SuperuserFactory()
    with pytest.raises(Refused, match="Publish"):
        release_feedback(round_=round_, by=staff)
    round_.status = RoundStatus.PUBLISHED
    round_.save()
    share(reviews[entries[0].pk][0], 0, "Shared but not moderated.")

    with pytest.raises(Refused, match="Moderate"):
        release_feedback(round_=round_, by=staff)

    round_.refresh_from_db()
    assert round_.feedback_released_at is None
    assert not Notification.objects.filter(event="judging.feedback_released").exists()


def test_release_notifies_each_team_once_in_its_language():
    from notifications.messages import render
    from tests.factories import ProfileFactory

    round_, entries, _ = judged_round()
    ProfileFactory(user=entries[0].team.lead, preferred_language="ru")
    released(round_)

    notes = Notification.objects.filter(event="judging.feedback_released")
    assert notes.count() == len(entries)
    assert round_.feedback_released_at is not None
    ru = render(notes.get(recipient=entries[0].team.lead))
    assert ru.subject.startswith("Tanlov: отзыв жюри")
    assert "7 дн." in ru.text
    assert notes.get(recipient=entries[0].team.lead).link == url(entries[0], round_)
    with pytest.raises(Refused):
        release_feedback(round_=round_, by=SuperuserFactory())


def test_staff_who_are_not_managers_cannot_moderate():
    round_, entries, reviews = judged_round()
    share(reviews[entries[0].pk][0], 0, "Text")
    collect_comments(round_=round_, by=SuperuserFactory())
    comment = FeedbackComment.objects.get()

    with pytest.raises(Refused):
        moderate(comment=comment, by=UserFactory(), action="withhold")
    comment.refresh_from_db()
    assert comment.state == CommentState.PENDING


def test_screening_feedback_is_the_reason(client):
    from judging.enums import RoundMode, Verdict
    from judging.models import ScreeningOutcome

    round_ = make_round(mode=RoundMode.SCREENING, status=RoundStatus.LOCKED, k=1)
    (entry,) = make_entries(round_.challenge, 1)
    ScreeningOutcome.objects.create(
        round=round_,
        submission=entry,
        verdict=Verdict.INELIGIBLE,
        reason="late",
        note="staff-only note",
        source="staff",
    )
    release_feedback(round_=round_, by=SuperuserFactory())
    client.force_login(entry.team.lead)

    html = client.get("/en" + url(entry, round_)[3:]).content.decode()
    assert "The entry arrived after the deadline" in html
    assert "staff-only note" not in html


def test_mentor_reads_but_cannot_appeal(client):
    round_, entries, _ = judged_round()
    released(round_)
    mentor = TeamMembershipFactory(team=entries[0].team, role="mentor").user
    client.force_login(mentor)

    assert client.get(url(entries[0], round_)).status_code == 200
    assert client.post(url(entries[0], round_), {"reason": "x"}).status_code == 403


def test_feedback_page_queries_do_not_grow(client, django_assert_max_num_queries):
    round_, entries, reviews = judged_round(3)
    share(reviews[entries[0].pk][0], 0, "One")
    released(round_)
    client.force_login(entries[0].team.lead)
    with django_assert_max_num_queries(30) as few:
        client.get(url(entries[0], round_))
    more_round, more_entries, more_reviews = judged_round(12)
    for r1, _r2 in more_reviews.values():
        share(r1, 0, "Many")
    released(more_round)
    client.force_login(more_entries[0].team.lead)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url(more_entries[0], more_round))


def test_review_form_has_a_share_box_off_by_default(client):
    round_ = make_round()
    (entry,) = make_entries(round_.challenge, 1)
    juror = make_juror(round_.challenge)
    (review,) = assign(round_, juror, [entry])
    client.force_login(juror.user)
    path = reverse("judging:review", args=[round_.pk, review.pk])
    html = client.get(path).content.decode()
    criteria = list(round_.criteria.all())
    assert f'name="share_{criteria[0].pk}"' in html
    assert "checked" not in html.split(f'name="share_{criteria[0].pk}"')[0][-200:]

    data = {"version": review.version, "overall_comment": "Well done", "share_overall": "on"}
    for c in criteria:
        data[f"score_{c.pk}"] = str(c.scale_min)
        data[f"comment_{c.pk}"] = "Note"
    data[f"share_{criteria[0].pk}"] = "on"
    client.post(path, data)

    review.refresh_from_db()
    assert review.share_overall is True
    shared = dict(Score.objects.filter(review=review).values_list("criterion_id", "share_comment"))
    assert shared == {criteria[0].pk: True, criteria[1].pk: False}


def test_moderation_page_lists_comments_with_queries_not_growing(
    client, django_assert_max_num_queries
):
    round_, entries, reviews = judged_round(2)
    share(reviews[entries[0].pk][0], 0, "First")
    client.force_login(SuperuserFactory())
    path = reverse("judging_admin:feedback", args=[round_.pk])
    with django_assert_max_num_queries(40) as few:
        assert "First" in client.get(path).content.decode()
    for r1, r2 in reviews.values():
        share(r1, 1, "More")
        share(r2, 0, "Again")
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(path).content.decode()
    assert html.count('name="comment"') == 5
    # Moderating leaves a trail; releasing is refused while comments wait.
    comment = FeedbackComment.objects.filter(round=round_).first()
    action = reverse("judging_admin:feedback_action", args=[round_.pk])
    response = client.post(action, {"action": "release"})
    assert response.status_code == 400
    response = client.post(action, {"comment": comment.pk, "action": "withhold", "text": ""})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.state == CommentState.WITHHELD
