"""The hackathon pages as people use them (public pages at /en/)."""

import json

import pytest

from hackathons.models import CheckIn
from hackathons.services import checkin
from hackathons.services import registration as reg

from .helpers import hackathon, people, staff_of

pytestmark = pytest.mark.django_db


def test_register_page_says_waitlisted_when_full(client):
    event = hackathon(capacity=1)
    a, b = people(2)
    reg.register(event=event, by=a)
    client.force_login(b)
    url = f"/en/hackathons/{event.challenge.slug}/"
    response = client.post(url + "register/", follow=True)
    assert "you are on the waitlist (number 1)" in response.content.decode()
    assert event.registrations.get(user=b).state == "waitlisted"


def test_event_page_shows_the_qr_code_once_a_place_is_held(client):
    event = hackathon()
    (a,) = people(1)
    mine = reg.register(event=event, by=a)
    client.force_login(a)
    page = client.get(f"/en/hackathons/{event.challenge.slug}/").content.decode()
    assert "<svg" in page
    assert checkin.token_for(mine) in page


def test_check_in_json_is_idempotent_and_refuses_strangers(client):
    event = hackathon()
    staff = staff_of(event)
    (a,) = people(1)
    mine = reg.confirm(registration=reg.register(event=event, by=a), by=a)
    url = f"/en/hackathons/{event.challenge.slug}/check-in/"
    body = json.dumps({"code": checkin.token_for(mine), "recorded_at": "2026-01-01T10:00:00+05:00"})
    client.force_login(staff)
    first = client.post(url, body, content_type="application/json").json()
    second = client.post(url, body, content_type="application/json").json()
    assert (first["created"], second["created"]) == (True, False)
    assert CheckIn.objects.count() == 1
    bad = client.post(url, json.dumps({"code": "x"}), content_type="application/json")
    assert bad.status_code == 400
    client.force_login(a)
    assert client.post(url, body, content_type="application/json").status_code == 404
    counts = client.get(url + "counts/")
    assert counts.status_code == 404


def test_check_in_desk_finds_people_by_name(client):
    event = hackathon()
    staff = staff_of(event)
    (a,) = people(1, full_name="Malika Yusupova")
    reg.register(event=event, by=a)
    client.force_login(staff)
    page = client.get(f"/en/hackathons/{event.challenge.slug}/check-in/?q=malika")
    assert "Malika Yusupova" in page.content.decode()


def test_the_dashboard_shows_the_ticket_of_a_place_held(client):
    event = hackathon()
    (a,) = people(1)
    mine = reg.register(event=event, by=a)
    client.force_login(a)
    page = client.get("/en/me/").content.decode()
    assert "My hackathons" in page
    assert checkin.token_for(mine) in page
