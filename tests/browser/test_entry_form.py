"""The entry form in headless Chromium at 360 px, with its script: a conditional question
shows only when its condition is met, a long answer counts its words, and what the script
hid is not stored."""

import pytest

from submissions.models import Submission
from tests.factories import EntryFieldFactory
from tests.submissions.builders import open_challenge, team_entry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_participant_fills_a_conditional_form_on_a_phone(sign_in, live_server, page, inject_axe):
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
        label="Mentorning ismi",
        label_en="Mentor's name",
        condition_field="has_mentor",
        condition_value="yes",
    )
    EntryFieldFactory(
        challenge=challenge,
        clean_name="story",
        field_type="long_text",
        label="Hikoya",
        label_en="Your story",
        max_words=5,
    )
    submission = team_entry(challenge, title="Mehr")
    page.set_viewport_size({"width": 360, "height": 780})
    sign_in(submission.owner)

    page.goto(f"{live_server.url}/en/me/entry/{submission.pk}/")
    mentor = page.get_by_label("Mentor's name")
    assert not mentor.is_visible()  # the script hides what is not asked yet

    page.get_by_role("group", name="Do you have a mentor?").get_by_label("Yes").check()
    assert mentor.is_visible()
    mentor.fill("Aziza")
    page.get_by_label("Your story").fill("bir ikki uch")
    assert page.locator("[data-word-count-for]").inner_text() == "3 / 5 words"
    page.get_by_role("group", name="Do you have a mentor?").get_by_label("No").check()
    assert not mentor.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    inject_axe(page)
    result = page.evaluate("() => axe.run('#entry-form', {runOnly: ['wcag2a', 'wcag2aa']})")
    assert [v["id"] for v in result["violations"]] == []

    page.get_by_role("button", name="Save the draft").click()
    page.wait_for_load_state()

    assert Submission.objects.get(pk=submission.pk).answers == {
        "summary": "A volunteer-matching app for elderly people in the mahalla.",
        "has_mentor": "no",
        "story": "bir ikki uch",
    }
