"""Participants open every version they submitted, read-only, and are told when the draft
holds changes the jury does not see yet."""

import pytest
from django.urls import reverse
from django.utils import translation

from submissions.enums import FileStatus
from submissions.services import entries
from tests.factories import SubmissionFileFactory, UserFactory
from tests.submissions.builders import open_challenge, team_entry

pytestmark = pytest.mark.django_db


def _submitted(title="Mehr", summary="Volunteers who shop for elderly neighbours."):
    submission = team_entry(open_challenge(), title=title, summary=summary)
    SubmissionFileFactory(submission=submission, sha256="ab" * 32, status=FileStatus.VERIFIED)
    entries.submit_entry(submission=submission, by=submission.owner)
    submission.refresh_from_db()
    return submission


def _version_url(submission, number, language="en"):
    with translation.override(language):
        return reverse("submissions:version", args=[submission.pk, number])


def test_a_frozen_version_shows_what_was_submitted_not_the_draft(client):
    submission = _submitted()
    entries.save_draft(
        submission=submission, data={}, answers={"summary": "A later idea."}, by=submission.owner
    )
    client.force_login(submission.owner)

    page = client.get(_version_url(submission, 1))

    html = page.content.decode()
    assert page.status_code == 200
    assert "Volunteers who shop for elderly neighbours." in html
    assert "A later idea." not in html
    assert "deck.pdf" in html
    assert "This is the version the jury judges." in html
    assert 'name="title"' not in html  # read-only: no form to change it


def test_an_older_version_says_a_later_one_replaced_it(client):
    submission = _submitted()
    entries.save_draft(submission=submission, data={"title": "Mehr 2"}, by=submission.owner)
    entries.submit_entry(submission=submission, by=submission.owner)
    client.force_login(submission.owner)

    first = client.get(_version_url(submission, 1)).content.decode()
    second = client.get(_version_url(submission, 2)).content.decode()

    assert "A later version replaced this one" in first
    assert "Mehr 2" not in first
    assert "This is the version the jury judges." in second
    assert "Mehr 2" in second


def test_entry_page_links_every_version_and_warns_about_unsubmitted_changes(client):
    submission = _submitted()
    client.force_login(submission.owner)
    url = reverse("submissions:entry", args=[submission.pk])

    before = client.get(url).content.decode()
    assert _version_url(submission, 1) in before
    assert 'id="unsubmitted"' not in before

    entries.save_draft(
        submission=submission, data={}, answers={"summary": "Changed."}, by=submission.owner
    )
    after = client.get(url).content.decode()
    assert "the jury still sees version 1" in after


@pytest.mark.parametrize(
    ("language", "text"),
    [("uz", "1-versiya"), ("ru", "Версия 1"), ("en", "Version 1")],
)
def test_the_version_page_speaks_the_page_language(client, language, text):
    submission = _submitted()
    client.force_login(submission.owner)

    page = client.get(_version_url(submission, 1, language)).content.decode()

    assert text in page


def test_a_version_that_does_not_exist_and_someone_elses_entry_answer_404(client):
    submission = _submitted()
    client.force_login(submission.owner)
    assert client.get(_version_url(submission, 2)).status_code == 404

    client.force_login(UserFactory())
    assert client.get(_version_url(submission, 1)).status_code == 404


def test_no_unsubmitted_warning_before_the_first_submit():
    submission = team_entry(open_challenge(), title="Mehr")
    assert entries.has_unsubmitted_changes(submission) is False


def test_history_lists_every_submission_and_decision_newest_first(client):
    from datetime import timedelta

    from django.utils import timezone, translation

    from submissions.models import StatusChange, SubmissionVersion

    entry = _submitted()
    entry.title = "Second thoughts"
    entry.save()
    entries.submit_entry(submission=entry, by=entry.owner)
    later = timezone.now() + timedelta(minutes=5)
    StatusChange.objects.create(
        submission=entry, from_status="submitted", to_status="eligible", reason=""
    )
    StatusChange.objects.filter(to_status="eligible").update(at=later)
    SubmissionVersion.objects.filter(submission=entry, number=2).update(
        created_at=timezone.now() + timedelta(minutes=1)
    )
    client.force_login(entry.owner)
    with translation.override("en"):
        url = reverse("submissions:entry", args=[entry.pk])

    html = client.get(url).text
    history = html.split('id="history"', 1)[1].split("</ul>", 1)[0]
    items = [line.split(" — ", 1)[1].split("</li>")[0] for line in history.split("<li>")[1:]]
    assert items == ["Eligible", "Version 2 submitted", "Submitted"]


def _receipt(client, submission, number=1, language="en"):
    with translation.override(language):
        url = reverse("submissions:version_receipt", args=[submission.pk, number])
    return client.get(url)


@pytest.mark.parametrize(
    ("language", "heading"), [("en", "Files"), ("ru", "Файлы"), ("uz", "Fayllar")]
)
def test_the_pdf_receipt_holds_the_frozen_version_in_the_readers_language(
    client, language, heading
):
    from challenges.models import EntryField
    from tests.certificates.helpers import pdf_text

    submission = _submitted(summary="<script>alert(1)</script> Volunteers for neighbours")
    summary = EntryField.objects.get(challenge=submission.challenge, clean_name="summary")
    frozen_labels = {"uz": summary.label, "ru": summary.label_ru, "en": summary.label_en}
    # Editing the form later changes nothing in the receipt of an earlier version.
    summary.label, summary.label_ru, summary.label_en = "Yangi", "Новое", "Renamed"
    summary.save()
    client.force_login(submission.owner)

    answer = _receipt(client, submission, language=language)

    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/pdf"
    assert "attachment;" in answer["Content-Disposition"]
    _reader, text = pdf_text(answer.content)
    assert "Mehr" in text
    assert frozen_labels[language] in text
    assert "Renamed" not in text
    assert "Новое" not in text
    assert "<script>alert(1)</script> Volunteers for neighbours" in text  # printed as text
    assert heading in text
    assert "ab" * 32 in text.replace("\n", "")  # the file's SHA-256


def test_another_team_cannot_download_a_receipt(client):
    submission = _submitted()
    client.force_login(UserFactory())

    assert _receipt(client, submission).status_code == 404
    assert _receipt(client, submission, number=7).status_code == 404
