"""Staff requests the pages never send (ids that are not numbers): a translated 400 on the
page, nothing changed — never a 500."""

import pytest
from django.urls import reverse

from judging.models import Conflict, Review
from tests.factories import SuperuserFactory

from .helpers import assign, make_entries, make_juror, make_round

pytestmark = pytest.mark.django_db

NOT_UNDERSTOOD = "This request was not understood; reload the page and try again."
BAD_IDS = ["abc", "", "1.5", "-1", "9" * 40]


@pytest.fixture
def staff(client):
    client.force_login(SuperuserFactory())
    return client


@pytest.mark.parametrize("juror", BAD_IDS)
def test_assigning_a_juror_who_is_not_a_number_is_refused(staff, juror):
    round_ = make_round()
    entry = make_entries(round_.challenge, 1)[0]

    answer = staff.post(
        reverse("judging_admin:entry_action", args=[round_.id, entry.id]),
        {"action": "add", "juror": juror},
    )

    assert answer.status_code == 400
    assert NOT_UNDERSTOOD in answer.content.decode()
    assert not Review.objects.exists()


@pytest.mark.parametrize("action", ["remove", "reopen"])
@pytest.mark.parametrize("review", BAD_IDS)
def test_a_review_action_on_a_review_that_is_not_a_number_is_refused(staff, action, review):
    round_ = make_round()
    entry = make_entries(round_.challenge, 1)[0]
    assign(round_, make_juror(round_.challenge), [entry])

    answer = staff.post(
        reverse("judging_admin:entry_action", args=[round_.id, entry.id]),
        {"action": action, "review": review},
    )

    assert answer.status_code == 400
    assert NOT_UNDERSTOOD in answer.content.decode()
    assert Review.objects.count() == 1


@pytest.mark.parametrize("juror", BAD_IDS)
def test_a_conflict_for_a_juror_who_is_not_a_number_is_a_form_error(staff, juror):
    round_ = make_round()
    make_juror(round_.challenge)

    answer = staff.post(
        reverse("judging_admin:jurors", args=[round_.challenge_id]),
        {"action": "conflict", "juror": juror, "kind": "person", "person": "Aziz Karimov"},
    )

    assert answer.status_code == 400
    assert "Choose a juror." in answer.content.decode()
    assert not Conflict.objects.exists()


@pytest.mark.parametrize("juror", BAD_IDS)
def test_reminding_jurors_who_are_not_numbers_is_refused(staff, juror, mailoutbox):
    round_ = make_round()
    make_juror(round_.challenge)

    answer = staff.post(
        reverse("judging_admin:round_action", args=[round_.id]),
        {"action": "remind", "juror": [juror]},
    )

    assert answer.status_code == 400
    assert NOT_UNDERSTOOD in answer.content.decode()
    assert mailoutbox == []


def test_reminding_the_ticked_jurors_still_reaches_them(staff):
    round_ = make_round()
    ticked, other = make_juror(round_.challenge), make_juror(round_.challenge)

    answer = staff.post(
        reverse("judging_admin:round_action", args=[round_.id]),
        {"action": "remind", "juror": [ticked.id, other.id]},
        follow=True,
    )

    assert "Reminder sent to 2 jurors." in answer.content.decode()
