"""A hackathon's application questions on a phone: the conditional question shows when its
condition is met, a missing required answer is marked by its question, and the answers
are kept with the registration (axe-core clean at each step)."""

import pytest
from playwright.sync_api import expect

from hackathons.models import Registration
from tests.hackathons.helpers import hackathon, people
from tests.hackathons.test_application import with_questions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_register_with_application_questions(live_server, page, sign_in, checkpoint):
    event = hackathon()
    with_questions(event)
    (aziza,) = people(1)
    url = f"{live_server.url}/en/hackathons/{event.challenge.slug}/"
    sign_in(aziza)
    page.goto(url)
    how_many = page.get_by_label("How many people? *")
    expect(how_many).to_be_hidden()
    checkpoint(page, "questions")

    page.get_by_role("group", name="Do you have a team?").get_by_label("Yes").check()
    expect(how_many).to_be_visible()
    how_many.fill("3")
    page.get_by_role("button", name="Register").click()
    expect(page.locator(".errorlist")).to_contain_text("This answer is needed to submit.")
    assert not Registration.objects.filter(user=aziza).exists()
    checkpoint(page, "refused")

    page.get_by_label("Experienced").check()
    page.get_by_role("button", name="Register").click()
    page.wait_for_url(url)
    answers = {i["key"]: i["value"] for i in Registration.objects.get(user=aziza).answers}
    assert answers == {"tajriba": "tajribali", "jamoa": "yes", "necha": 3}
