"""Answers for staff (filters by choice questions, a column per question in the exports) and
the query counts of the pages that show answers: flat in questions and in entries."""

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from submissions.enums import FileStatus
from submissions.services import entries
from tests.factories import EntryFieldFactory, RegionFactory, SubmissionFileFactory
from tests.judging.helpers import assign, make_juror, make_round
from tests.submissions.builders import open_challenge, team_entry

pytestmark = pytest.mark.django_db

# The first five already cover every kind of cost (choices, a region list, long text).
TYPES = ["region", "long_text", "number", "single_choice", "multiple_choice", "yes_no"]
TYPES += ["date", "url", "email", "phone", "short_text", "consent"]
VALUES = {
    "short_text": "Matn",
    "long_text": "Uzun matn",
    "number": 3,
    "single_choice": "ikki",
    "multiple_choice": ["bir", "ikki"],
    "yes_no": "yes",
    "date": "2026-05-01",
    "url": "https://example.uz",
    "email": "a@example.uz",
    "phone": "+998901234567",
    "region": "UZ-TK",
    "consent": True,
}


def challenge_with(n_questions):
    challenge = open_challenge()
    RegionFactory(code="UZ-TK", name="Toshkent shahri")
    for i in range(n_questions):
        kind = TYPES[i % len(TYPES)]
        EntryFieldFactory(
            challenge=challenge,
            clean_name=f"q{i}",
            label=f"Savol {i}",
            field_type=kind,
            choices="Bir\nIkki\nUch" if "choice" in kind else "",
        )
    return challenge


def answered(challenge, *, submit=True):
    submission = team_entry(challenge)
    submission.answers = {
        "summary": "Volunteers.",
        **{
            q.clean_name: VALUES[q.field_type]
            for q in challenge.entry_fields.all()
            if q.clean_name.startswith("q")
        },
    }
    submission.save()
    if submit:
        SubmissionFileFactory(submission=submission, sha256="ab" * 32, status=FileStatus.VERIFIED)
        entries.submit_entry(submission=submission, by=submission.owner)
    return submission


def bulk_entries(challenge, n):
    """``n`` submitted individual entries answering every question, written in bulk."""
    from django.contrib.auth import get_user_model

    from submissions.models import Submission, SubmissionVersion
    from submissions.services.answers import freeze, questions_for

    stamp = challenge.pk
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"p{stamp}-{i}", email=f"p{stamp}-{i}@example.uz")
        for i in range(n)
    )
    answers = {
        "summary": "Volunteers.",
        **{
            q.clean_name: VALUES[q.field_type]
            for q in questions_for(challenge)
            if q.clean_name[1:].isdigit()
        },
    }
    frozen = {"title": "Loyiha", "track": "", "answers": freeze(questions_for(challenge), answers)}
    entries_ = Submission.objects.bulk_create(
        Submission(
            challenge=challenge, owner=u, title=f"Loyiha {i}", answers=answers, status="eligible"
        )
        for i, u in enumerate(users)
    )
    versions = SubmissionVersion.objects.bulk_create(
        SubmissionVersion(submission=e, number=1, data=frozen, files=[], created_by=e.owner)
        for e in entries_
    )
    for entry, version in zip(entries_, versions, strict=True):
        entry.current_version = version
    Submission.objects.bulk_update(entries_, ["current_version"])
    return entries_


def queries(client, url):
    client.get(url)  # warm sessions and caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


def entry_page(client, n_questions, n_others):
    challenge = challenge_with(n_questions)
    bulk_entries(challenge, n_others)
    submission = answered(challenge)
    client.force_login(submission.owner)
    return queries(client, reverse("submissions:entry", args=[submission.pk]))


def test_entry_page_queries_are_flat_in_questions_and_entries(client):
    few, few_html = entry_page(client, 5, 10)
    many, many_html = entry_page(client, 50, 500)

    assert few == many
    assert few_html.count('class="field answer') == 8 + 5
    assert many_html.count('class="field answer') == 8 + 50


def review_page(client, n_questions, n_entries):
    challenge = challenge_with(n_questions)
    submissions = bulk_entries(challenge, n_entries)
    round_ = make_round(challenge, blind=False)
    juror = make_juror(challenge)
    review = assign(round_, juror, submissions)[0]
    client.force_login(juror.user)
    return queries(client, reverse("judging:review", args=[round_.id, review.id]))


def test_review_page_queries_are_flat_in_questions_and_entries(client, home_pages):
    small, small_html = review_page(client, 5, 10)
    large, large_html = review_page(client, 50, 500)

    assert small == large
    # (No English labels: the Uzbek ones, marked <dt lang="uz">.)
    assert small_html.count('<dt lang="uz">Savol ') == 5
    assert large_html.count('<dt lang="uz">Savol ') == 50


def staff_list(client, manager, n_questions, n_entries, *, query=None):
    challenge = challenge_with(n_questions)
    challenge.managers.add(manager)
    bulk_entries(challenge, n_entries)
    client.force_login(manager)
    count, html = queries(client, f"/admin/entries/?challenge={challenge.pk}{query or ''}")
    assert len(set(re.findall(r"/admin/entries/(\d+)/", html))) == min(n_entries, 100)
    return count


def test_staff_list_queries_are_flat_in_questions_and_entries(client, manager):
    assert staff_list(client, manager, 5, 10) == staff_list(client, manager, 50, 500)


def test_staff_filter_by_a_choice_question(client, manager):
    challenge = challenge_with(5)  # q3: single choice, q4: multiple choice
    challenge.managers.add(manager)
    two = answered(challenge, submit=False)
    three = team_entry(challenge)
    three.answers = {"q3": "uch", "q4": ["uch"]}
    three.save()
    client.force_login(manager)

    def titles(**params):
        page = client.get("/admin/entries/", {"challenge": challenge.pk, **params})
        return {t for t in (two.title, three.title) if t in page.content.decode()}

    assert titles() == {two.title, three.title}
    assert titles(answer_q3="ikki") == {two.title}
    assert titles(answer_q4="uch") == {three.title}
    assert titles(answer_q4="bir") == {two.title}
    assert (
        'name="answer_q3"'
        in client.get("/admin/entries/", {"challenge": challenge.pk}).content.decode()
    )


def test_export_has_a_column_per_question_with_frozen_text(client, manager):
    challenge = challenge_with(12)
    challenge.managers.add(manager)
    submission = answered(challenge)
    submission.answers["q10"] = '=HYPERLINK("http://evil")<script>'
    submission.save()
    entries.submit_entry(submission=submission, by=submission.owner)
    client.force_login(manager)

    body = client.get("/admin/entries/", {"challenge": challenge.pk, "format": "csv"})
    rows = list(csv.reader(io.StringIO(body.content.decode("utf-8-sig"))))

    header, row = rows[0], rows[1]
    cells = dict(zip(header, row, strict=True))
    assert "Short summary" in header
    assert [h for h in header if h.startswith("Savol")] == [f"Savol {i}" for i in range(12)]
    assert cells["Short summary"] == "Volunteers."
    assert cells["Savol 10"] == '\'=HYPERLINK("http://evil")<script>'  # formula guarded
    assert cells["Savol 3"] == "Ikki"
    assert cells["Savol 4"] == "Bir, Ikki"
    assert cells["Savol 5"] == "Yes"
    assert cells["Savol 0"].startswith("Tashkent")  # the region, in the export's language
