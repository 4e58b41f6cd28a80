"""A hackathon on a phone (360 px): a participant registers and is waitlisted, gets the
place someone else gave up, confirms, finds a team, and is checked in at the door by the
code of their QR ticket typed on the staff's check-in page."""

import pytest
from playwright.sync_api import expect

from hackathons.models import CheckIn, Registration
from hackathons.services import registration as reg
from hackathons.services import teammates
from submissions.models import TeamMembership
from tests.factories import TeamFactory
from tests.hackathons.helpers import hackathon, people, staff_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_register_waitlist_place_confirm_team_and_check_in(live_server, page, sign_in, checkpoint):
    event = hackathon(capacity=2)
    staff = staff_of(event)
    early, lead = people(2)
    (aziza,) = people(1, full_name="Aziza Karimova")
    first = reg.register(event=event, by=early)
    lead_reg = reg.confirm(registration=reg.register(event=event, by=lead), by=lead)
    team = TeamFactory(challenge=event.challenge, lead=lead, name="Suv tejash")
    teammates.add_open_role(team=team, event=event, title="Designer", skills=["design"], by=lead)
    assert lead_reg.state == "confirmed"
    url = f"{live_server.url}/en/hackathons/{event.challenge.slug}/"

    # Full: registering puts Aziza on the waitlist, and the page says so.
    sign_in(aziza)
    page.goto(url)
    assert page.viewport_size["width"] == 360
    checkpoint(page, "event")
    page.get_by_role("button", name="Register").click()
    page.wait_for_url(url)
    assert "on the waitlist (number 1)" in page.locator(".messages").inner_text()
    checkpoint(page, "waitlisted")

    # Someone cancels: the place is offered to her at once; she confirms.
    reg.cancel(registration=first, by=early)
    page.goto(url)
    page.get_by_role("button", name="Confirm my attendance").click()
    page.wait_for_url(url)
    assert page.locator("#registration-state").inner_text().startswith("Attendance confirmed")
    assert page.locator(".ticket-qr svg").count() == 1
    code = page.locator("#checkin-code").inner_text()
    checkpoint(page, "confirmed")

    # Finding a team: she lists herself and asks the team with a designer's role.
    page.get_by_role("link", name="Find teammates").click()
    page.get_by_label("I am looking for a team").check()
    page.get_by_label("Design and UX").check()
    page.get_by_role("button", name="Save").click()
    page.get_by_role("button", name="Ask to join Suv tejash").click()
    assert "Request sent." in page.locator(".messages").inner_text()
    checkpoint(page, "teammates")
    request = Registration.objects.get(user=aziza).team_requests.get()
    teammates.answer_request(request=request, accept=True, by=lead)
    assert TeamMembership.objects.filter(team=team, user=aziza).exists()
    page.reload()
    assert "Accepted" in page.locator("#requests ~ ul").inner_text()

    # At the door: staff type the ticket's code on the check-in page (the script sends it).
    sign_in(staff)
    page.goto(url + "check-in/")
    checkpoint(page, "check-in desk")
    page.get_by_label("Check-in code").fill(code)
    page.get_by_role("button", name="Check in", exact=True).click()
    status = page.locator("#checkin-status")
    expect(status).to_contain_text("Aziza Karimova is checked in", timeout=15_000)
    assert CheckIn.objects.filter(registration__user=aziza).count() == 1


def test_a_check_in_made_offline_is_sent_when_the_connection_returns(
    live_server, page, sign_in, checkpoint
):
    from hackathons.services.checkin import token_for

    event = hackathon(capacity=3)
    staff = staff_of(event)
    (guest,) = people(1, full_name="Bobur Aliyev")
    ticket = reg.confirm(registration=reg.register(event=event, by=guest), by=guest)
    sign_in(staff)
    page.goto(f"{live_server.url}/en/hackathons/{event.challenge.slug}/check-in/")

    # The connection drops at the door: the check-in waits in the browser, none is recorded.
    page.context.set_offline(True)
    page.get_by_label("Check-in code").fill(token_for(ticket))
    page.get_by_role("button", name="Check in", exact=True).click()
    status = page.locator("#checkin-status")
    expect(status).to_have_text("Offline: 1 check-ins wait to be sent.", timeout=10_000)
    checkpoint(page, "check-in offline")
    assert not CheckIn.objects.filter(registration=ticket).exists()

    # Back online, the queue is sent by itself, once; sending the same code again is harmless.
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(status).to_contain_text("Bobur Aliyev is checked in", timeout=15_000)
    page.get_by_label("Check-in code").fill(token_for(ticket))
    page.get_by_role("button", name="Check in", exact=True).click()
    expect(status).to_contain_text("already checked in", timeout=15_000)
    assert CheckIn.objects.filter(registration=ticket).count() == 1
    assert page.evaluate("Object.keys(localStorage).map(k => localStorage.getItem(k))") == ["[]"]
