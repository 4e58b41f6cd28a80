"""The entry form on the participant's pages, the frozen versions, the juror's and staff's
views of the answers: conditions, escaping, labels as asked, archived questions."""

import pytest
from django.urls import reverse
from django.utils import translation

from challenges.models import EntryField
from judging.enums import RoundStatus
from submissions.enums import FileStatus
from submissions.models import Submission
from submissions.services import entries
from tests.factories import EntryFieldFactory, SubmissionFileFactory, SuperuserFactory
from tests.judging.helpers import assign, make_juror, make_round
from tests.submissions.builders import open_challenge, team_entry

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('x')</script>"


@pytest.fixture
def challenge():
    challenge = open_challenge()
    EntryFieldFactory(
        challenge=challenge,
        clean_name="has_mentor",
        field_type="yes_no",
        label="Mentoringiz bormi?",
        label_en="Do you have a mentor?",
    )
    EntryFieldFactory(
        challenge=challenge,
        clean_name="mentor_name",
        field_type="short_text",
        label="Mentorning ismi",
        label_en="Mentor's name",
        required=True,
        condition_field="has_mentor",
        condition_value="yes",
    )
    EntryFieldFactory(
        challenge=challenge,
        clean_name="phone",
        field_type="phone",
        label="Telefon",
        label_en="Phone",
        visibility="staff",
    )
    EntryFieldFactory(
        challenge=challenge,
        clean_name="school",
        field_type="short_text",
        label="Maktab",
        label_en="School",
        hide_in_blind=True,
    )
    return challenge


def entry_url(submission):
    return reverse("submissions:entry", args=[submission.pk])


def ready(challenge, **answers):
    submission = team_entry(challenge, title="Mehr")
    submission.answers = {"summary": "Volunteers.", **answers}
    submission.save()
    SubmissionFileFactory(submission=submission, sha256="ab" * 32, status=FileStatus.VERIFIED)
    return submission


def post(client, submission, action="save", **answers):
    return client.post(entry_url(submission), {"title": "Mehr", "action": action, **answers})


def test_without_script_every_question_shows_with_its_condition(client, challenge):
    submission = ready(challenge)
    client.force_login(submission.owner)

    html = client.get(entry_url(submission)).content.decode()

    assert "Mentor&#x27;s name" in html
    assert "Only if “Do you have a mentor?” is “Yes”" in html
    assert 'data-show-when="has_mentor" data-show-when-value="yes"' in html
    assert "js/entry-form.js" in html


def test_a_draft_saves_answers_and_drops_a_hidden_one_posted_anyway(client, challenge):
    submission = ready(challenge)
    client.force_login(submission.owner)

    response = post(client, submission, has_mentor="no", mentor_name="Aziza", phone="+998901234567")

    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.answers == {"has_mentor": "no", "phone": "+998901234567"}


def test_changing_the_answer_a_condition_waits_for_removes_the_dependent_answer(client, challenge):
    submission = ready(challenge, has_mentor="yes", mentor_name="Aziza")
    client.force_login(submission.owner)

    post(client, submission, summary="Volunteers.", has_mentor="no", mentor_name="Aziza")

    submission.refresh_from_db()
    assert "mentor_name" not in submission.answers


def test_an_invalid_answer_is_shown_next_to_its_question_and_nothing_saved(client, challenge):
    submission = ready(challenge)
    client.force_login(submission.owner)

    response = post(client, submission, summary="Changed.", phone="call me")

    assert response.status_code == 400
    assert "Enter a phone number with its country code" in response.content.decode()
    submission.refresh_from_db()
    assert submission.answers == {"summary": "Volunteers."}


def test_submit_needs_a_required_answer_whose_condition_is_met(client, challenge):
    submission = ready(challenge)
    client.force_login(submission.owner)

    refused = post(client, submission, "submit", summary="Volunteers.", has_mentor="yes")
    accepted = post(
        client, submission, "submit", summary="Volunteers.", has_mentor="yes", mentor_name="Aziza"
    )

    assert "Mentor&#x27;s name: This answer is needed to submit." in refused.content.decode()
    assert accepted.status_code == 302
    submission.refresh_from_db()
    assert submission.current_version.number == 1


def test_html_in_answers_is_escaped_on_every_page(client, challenge):
    submission = ready(challenge, school=SCRIPT, phone="+998901234567")
    submission.answers["summary"] = SCRIPT
    submission.save()
    entries.submit_entry(submission=submission, by=submission.owner)
    client.force_login(submission.owner)
    round_ = make_round(challenge, blind=False)
    juror = make_juror(challenge)
    review = assign(round_, juror, [submission])[0]

    pages = [
        client.get(entry_url(submission)),
        client.get(reverse("submissions:version", args=[submission.pk, 1])),
    ]
    client.force_login(juror.user)
    pages.append(client.get(reverse("judging:review", args=[round_.id, review.id])))
    client.force_login(SuperuserFactory())
    pages.append(client.get(reverse("submissions_admin:detail", args=[submission.pk])))

    for page in pages:
        html = page.content.decode()
        assert page.status_code == 200
        assert SCRIPT not in html
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html


def test_a_version_keeps_the_labels_it_was_asked_with(client, challenge):
    submission = ready(challenge, school="42-maktab")
    entries.submit_entry(submission=submission, by=submission.owner)
    school = EntryField.objects.get(challenge=challenge, clean_name="school")
    school.label_en = "Name of your school or university"
    school.save()
    client.force_login(submission.owner)

    version = client.get(reverse("submissions:version", args=[submission.pk, 1])).content.decode()

    assert "<dt>School</dt>" in version
    assert "Name of your school or university" not in version
    # A label edit is not a change the team made.
    assert 'id="unsubmitted"' not in client.get(entry_url(submission)).content.decode()


def test_the_version_page_shows_labels_in_the_page_language(client, challenge):
    submission = ready(challenge, school="42-maktab")
    entries.submit_entry(submission=submission, by=submission.owner)
    client.force_login(submission.owner)

    def version_in(code):
        with translation.override(code):
            url = reverse("submissions:version", args=[submission.pk, 1])
        return client.get(url).content.decode()

    assert "<dt>Qisqacha tavsif</dt>" in version_in("uz")
    assert "<dt>Краткое описание</dt>" in version_in("ru")
    assert "<dt>Short summary</dt>" in version_in("en")
    # No Russian label for "School": the Uzbek one, marked as Uzbek.
    assert '<dt lang="uz">Maktab</dt>' in version_in("ru")


def test_an_archived_question_keeps_its_answer_in_later_versions(client, challenge):
    submission = ready(challenge, school="42-maktab")
    entries.submit_entry(submission=submission, by=submission.owner)
    EntryField.objects.filter(challenge=challenge, clean_name="school").update(archived=True)
    client.force_login(submission.owner)

    page = client.get(entry_url(submission)).content.decode()
    post(client, submission, "submit", summary="Volunteers, again.")

    assert 'name="school"' not in page
    submission = Submission.objects.get(pk=submission.pk)
    assert submission.answers["school"] == "42-maktab"
    assert submission.current_version.number == 2
    frozen = {a["key"]: a["value"] for a in submission.current_version.data["answers"]}
    assert frozen["school"] == "42-maktab"


@pytest.mark.parametrize(("blind", "school_shown"), [(True, False), (False, True)])
def test_jurors_never_see_staff_only_answers_nor_blind_hidden_ones_in_blind_rounds(
    client, challenge, blind, school_shown
):
    submission = ready(challenge, school="42-maktab", phone="+998901234567")
    entries.submit_entry(submission=submission, by=submission.owner)
    round_ = make_round(challenge, blind=blind, status=RoundStatus.OPEN)
    juror = make_juror(challenge)
    review = assign(round_, juror, [submission])[0]
    client.force_login(juror.user)

    html = client.get(reverse("judging:review", args=[round_.id, review.id])).content.decode()

    assert "Volunteers." in html
    assert "+998901234567" not in html
    assert ("42-maktab" in html) is school_shown


def test_staff_see_staff_only_answers(client, challenge):
    submission = ready(challenge, phone="+998901234567")
    client.force_login(SuperuserFactory())

    html = client.get(reverse("submissions_admin:detail", args=[submission.pk])).content.decode()

    assert "+998901234567" in html
