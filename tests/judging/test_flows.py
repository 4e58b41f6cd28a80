"""Juror invitation and conflicts pages, calibration, staff round editing, manual assignment,
reminders and file links."""

from urllib.parse import urlparse

import pytest
from django.urls import reverse
from django.utils import translation

from core.models import AuditEntry
from judging.enums import ConflictKind, JurorStatus, ReviewState
from judging.models import Conflict, Juror, Review, Round
from submissions.models import SubmissionVersion
from tests.factories import SuperuserFactory, UserFactory

from .helpers import assign, make_entries, make_juror, make_round, submit_scores

pytestmark = pytest.mark.django_db


def _r(name, args=()):
    """Juror URLs in English (an admin request in between switches the thread's language)."""
    with translation.override("en"):
        return reverse(name, args=args)


def test_invited_juror_accepts_signs_and_declares_a_conflict(client):
    round_ = make_round()
    entries = make_entries(round_.challenge, 2)
    staff = SuperuserFactory()
    client.force_login(staff)
    client.post(
        reverse("judging_admin:jurors", args=[round_.challenge_id]),
        {"action": "invite", "emails": "expert@example.org\nbad-address"},
    )
    assert not Juror.objects.exists()  # one bad address: nothing invited, error shown
    client.post(
        reverse("judging_admin:jurors", args=[round_.challenge_id]),
        {"action": "invite", "emails": "expert@example.org"},
    )
    juror = Juror.objects.get()
    user = UserFactory(email="expert@example.org")
    client.force_login(user)
    url = _r("judging:accept", args=[juror.token])
    response = client.post(url, {})
    assert "Please sign the confidentiality statement." in response.content.decode()
    response = client.post(url, {"confidentiality": "on"})
    assert response.url == _r("judging:conflicts", args=[round_.challenge_id])
    juror.refresh_from_db()
    assert juror.status == JurorStatus.ACTIVE
    assert juror.confidentiality_signed_at is not None
    conflicts = _r("judging:conflicts", args=[round_.challenge_id])
    response = client.post(conflicts, {"kind": ConflictKind.PERSON, "person": ""})
    assert "Say who the conflict is with." in response.content.decode()
    client.post(conflicts, {"kind": ConflictKind.TEAM, "team": entries[0].team_id})
    assert Conflict.objects.get().team == entries[0].team


def test_someone_elses_invitation_cannot_be_accepted(client):
    round_ = make_round()
    juror = Juror.objects.create(challenge=round_.challenge, email="a@example.org")
    client.force_login(UserFactory(email="b@example.org"))
    response = client.post(_r("judging:accept", args=[juror.token]), {"confidentiality": "on"})
    assert "another e-mail address" in response.content.decode()
    juror.refresh_from_db()
    assert juror.user is None


def test_calibration_anchors_come_first_and_then_compare_with_the_panel(client):
    round_ = make_round()
    anchor, *entries = make_entries(round_.challenge, 3)
    round_.calibration_entries.add(anchor)
    me, other = make_juror(round_.challenge), make_juror(round_.challenge)
    mine = Review.objects.create(round=round_, juror=me, submission=anchor, is_calibration=True)
    theirs = Review.objects.create(
        round=round_, juror=other, submission=anchor, is_calibration=True
    )
    assign(round_, me, entries, key_start=0)
    client.force_login(me.user)
    queue = _r("judging:queue", args=[round_.id])
    page = client.get(queue).content.decode()
    assert "Please score the calibration entries first" in page
    assert page.index(anchor.title) < page.index(entries[0].title)
    submit_scores(mine, [10, 5])
    submit_scores(theirs, [1, 0])
    page = client.get(queue).content.decode()
    assert "<td>100</td><td>50 (2)</td>" in page.replace("\n", "")


def test_staff_create_a_round_with_criteria_and_zero_weights_are_refused(client):
    round_ = make_round()
    client.force_login(SuperuserFactory())
    url = reverse("judging_admin:round_new", args=[round_.challenge_id])
    data = {
        "name": "Final",
        "position": 2,
        "opens_at": "2026-12-01T09:00",
        "closes_at": "2026-12-10T18:00",
        "scope": "eligible",
        "reviews_per_entry": 3,
        "method": "bias",
        "fast_review_minutes": 3,
        "disagreement_threshold": "30",
        "criteria-TOTAL_FORMS": 1,
        "criteria-INITIAL_FORMS": 0,
        "criteria-0-name": "Pitch",
        "criteria-0-weight": "0",
        "criteria-0-scale_min": "0",
        "criteria-0-scale_max": "5",
        "criteria-0-step": "0.5",
        "criteria-0-position": 0,
    }
    response = client.post(url, data)
    assert "A weight must be above zero." in response.content.decode()
    assert Round.objects.count() == 1
    data["criteria-0-weight"] = "40"
    response = client.post(url, data)
    final = Round.objects.get(name="Final")
    assert response.url == reverse("judging_admin:round", args=[final.id])
    assert [(c.name, c.weight, c.step) for c in final.criteria.all()] == [("Pitch", 40, 0.5)]
    created = AuditEntry.objects.get(action="judging.round.created")
    assert created.object_id == str(final.pk)
    assert "criteria" in created.data["fields"]
    # Editing it is a state change like any other: audited, with what changed.
    edit = reverse("judging_admin:round_edit", args=[round_.challenge_id, final.id])
    data.update(
        {
            "name": "Grand final",
            "criteria-INITIAL_FORMS": 1,
            "criteria-0-id": final.criteria.get().id,
        }
    )
    response = client.post(edit, data)
    assert response.status_code == 302
    changed = AuditEntry.objects.get(action="judging.round.changed")
    assert changed.data["fields"] == ["name"]


def test_staff_assign_remove_reopen_and_remind(client, mailoutbox):
    round_ = make_round()
    entry = make_entries(round_.challenge, 1)[0]
    a, b = make_juror(round_.challenge), make_juror(round_.challenge)
    done = assign(round_, a, [entry])[0]
    submit_scores(done, [5, 2])
    client.force_login(SuperuserFactory())
    action = reverse("judging_admin:entry_action", args=[round_.id, entry.id])
    client.post(action, {"action": "add", "juror": b.id})
    added = Review.objects.get(juror=b)
    response = client.post(action, {"action": "remove", "review": done.id}, follow=True)
    assert "A submitted review cannot be removed" in response.content.decode()
    client.post(action, {"action": "reopen", "review": done.id})
    done.refresh_from_db()
    assert done.state == ReviewState.DRAFT
    client.post(action, {"action": "remove", "review": added.id})
    assert not Review.objects.filter(pk=added.pk).exists()
    response = client.post(
        reverse("judging_admin:round_action", args=[round_.id]),
        {"action": "remind", "juror": [a.id]},
        follow=True,
    )
    assert "Reminder sent to 1 jurors." in response.content.decode()


def test_file_links_are_short_lived_presigned_urls_for_the_assigned_juror(client):
    round_ = make_round()
    entry = make_entries(round_.challenge, 1)[0]
    version = SubmissionVersion.objects.create(
        submission=entry,
        number=1,
        data={
            "title": entry.title,
            "answers": [
                {
                    "key": "summary",
                    "type": "long_text",
                    "labels": {"uz": "Qisqacha tavsif", "ru": "", "en": "Short summary"},
                    "value": "Frozen summary",
                    "visibility": "jurors",
                    "hide_in_blind": False,
                }
            ],
        },
        files=[{"key": "entries/abc/deck.pdf", "name": "deck.pdf", "kind": "pitch_deck"}],
        created_by=entry.owner,
    )
    entry.current_version = version
    entry.save()
    juror = make_juror(round_.challenge)
    review = assign(round_, juror, [entry])[0]
    client.force_login(juror.user)
    page = client.get(_r("judging:review", args=[round_.id, review.id])).content.decode()
    assert "Frozen summary" in page
    assert "deck.pdf" in page
    response = client.get(_r("judging:download", args=[round_.id, review.id, 0]))
    target = urlparse(response.url)
    assert target.path.endswith("/entries/abc/deck.pdf")
    assert "Signature=" in target.query or "X-Amz-Signature=" in target.query
    client.force_login(make_juror(round_.challenge).user)
    assert client.get(_r("judging:download", args=[round_.id, review.id, 0])).status_code == 404
