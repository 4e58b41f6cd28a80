"""The entry form's whole life in a browser: staff build a conditional question in the
admin, a participant answers it in Uzbek on a phone without and with JavaScript, uploads
the file question and submits, opens the frozen version; a juror sees the answers and the
staff export has a column per question."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from challenges.models import EntryField
from submissions.models import Submission
from tests import factories
from tests.submissions.builders import open_challenge, team_entry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _add_question(page, **values):
    total = page.locator("#id_entry_fields-TOTAL_FORMS")
    index = int(total.input_value())
    page.locator("#id_entry_fields-ADD").click()
    prefix = f"#id_entry_fields-{index}-"
    page.locator(prefix + "field_type").select_option(values.pop("field_type"))
    for name, value in values.items():
        page.locator(prefix + name).fill(value)


def test_staff_build_a_conditional_form_and_a_participant_answers_it(
    sign_in, live_server, page, tmp_path, axe_violations
):
    challenge = open_challenge()
    submission = team_entry(challenge, title="Mehr")
    staff = factories.SuperuserFactory()

    # Staff, in the admin: "Do you have a mentor?" and, only when yes, the mentor's name.
    sign_in(staff)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}{reverse('challenge:edit', args=[challenge.pk])}")
    _add_question(
        page, field_type="yes_no", label="Mentoringiz bormi?", label_en="Do you have a mentor?"
    )
    _add_question(
        page,
        field_type="short_text",
        label="Mentorning ismi",
        label_en="Mentor's name",
        condition_field="Mentoringiz bormi?",
        condition_value="yes",
    )
    page.locator("form button[type=submit]").filter(has_text="Save").first.click()
    page.wait_for_load_state()
    asked = {f.clean_name: f for f in EntryField.objects.filter(challenge=challenge)}
    mentor_name = next(f for f in asked.values() if f.label == "Mentorning ismi")
    has_mentor = next(f for f in asked.values() if f.label == "Mentoringiz bormi?")
    assert mentor_name.condition_field == has_mentor.clean_name

    # The participant, in Uzbek on a phone, without JavaScript: every question shows, the
    # conditional one says when it applies.
    browser = page.context.browser
    plain = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 780})
    sign_in(submission.owner, plain)
    nojs = plain.new_page()
    entry_url = f"{live_server.url}/uz/me/entry/{submission.pk}/"
    nojs.goto(entry_url)
    assert nojs.get_by_label("Mentorning ismi").is_visible()
    assert "Faqat “Mentoringiz bormi?” javobi" in nojs.content()
    nojs.get_by_role("group", name="Mentoringiz bormi?").get_by_label("Ha").check()
    nojs.get_by_label("Mentorning ismi").fill("Aziza Karimova")
    nojs.get_by_role("button", name="Qoralamani saqlash").click()
    submission.refresh_from_db()
    assert submission.answers[has_mentor.clean_name] == "yes"
    assert submission.answers[mentor_name.clean_name] == "Aziza Karimova"
    # The file question, through the no-script upload form.
    deck = tmp_path / "taqdimot.pdf"
    deck.write_bytes(PDF)
    nojs.locator("input[type=file]").first.set_input_files(str(deck))
    nojs.locator("form[enctype='multipart/form-data'] button[type=submit]").first.click()
    assert nojs.get_by_role("link", name="taqdimot.pdf", exact=True).is_visible()
    plain.close()

    # With JavaScript: saying "no" hides the name, and a hidden answer is not kept.
    page.context.clear_cookies()
    sign_in(submission.owner)
    page.set_viewport_size({"width": 360, "height": 780})
    page.goto(entry_url)
    name_box = page.get_by_label("Mentorning ismi")
    assert name_box.is_visible()
    page.get_by_role("group", name="Mentoringiz bormi?").get_by_label("Yoʻq").check()
    assert not name_box.is_visible()
    page.get_by_role("group", name="Mentoringiz bormi?").get_by_label("Ha").check()
    assert name_box.input_value() == "Aziza Karimova"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("button", name="Topshirish", exact=True).click()
    page.wait_for_load_state()
    submission = Submission.objects.get(pk=submission.pk)
    assert submission.current_version is not None

    # The frozen version keeps the labels it was asked with.
    has_mentor.label = "Sizda mentor bormi?"
    has_mentor.save()
    page.goto(f"{live_server.url}/uz/me/entry/{submission.pk}/versions/1/")
    fields = page.locator("#version-fields").inner_text()
    assert "Mentoringiz bormi?" in fields
    assert "Aziza Karimova" in fields
    assert axe_violations(page) == []

    # A juror of the round sees the answers; the staff export has a column per question.
    from tests.judging.helpers import assign, make_juror, make_round

    round_ = make_round(challenge, k=1)
    juror = make_juror(challenge)
    (review,) = assign(round_, juror, [submission])
    judge = Client()
    judge.force_login(juror.user)
    with translation.override("en"):
        review_url = reverse("judging:review", args=[round_.pk, review.pk])
    assert "Aziza Karimova" in judge.get(review_url).content.decode()
    admin = Client()
    admin.force_login(staff)
    exported = admin.get(
        reverse("submissions_admin:list"), {"challenge": challenge.pk, "format": "csv"}
    )
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    columns = [name for name in rows[0] if "mentor" in name.lower()]
    assert len(columns) == 2, rows[0]
    values = dict(zip(rows[0], rows[1], strict=True))
    assert "Aziza Karimova" in values.values()
