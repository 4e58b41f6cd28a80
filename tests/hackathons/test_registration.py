"""Registration with capacity: the rules of issue 20 (each tested)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.errors import Conflict, NotAllowed, Refused
from hackathons.enums import RegistrationState as S
from hackathons.services import registration as reg
from notifications.models import Notification
from tests.factories import UserFactory

from .helpers import closed_window, hackathon, people, staff_of

pytestmark = pytest.mark.django_db


def states(event):
    return [r.state for r in event.registrations.order_by("registered_at", "pk")]


def test_register_within_capacity_offers_a_place_and_says_so_in_the_persons_language():
    event = hackathon(capacity=2)
    (ali,) = people(1)
    mine = reg.register(event=event, by=ali)
    assert mine.state == S.OFFERED
    assert mine.confirm_by > timezone.now()
    message = Notification.objects.get(recipient=ali, event="hackathon.place_offered")
    assert message.language == "en"


def test_register_above_capacity_joins_the_waitlist_in_order():
    event = hackathon(capacity=2)
    a, b, c, d = people(4)
    for person in (a, b, c, d):
        reg.register(event=event, by=person)
    assert states(event) == [S.OFFERED, S.OFFERED, S.WAITLISTED, S.WAITLISTED]
    assert reg.waitlist_position(event.registrations.get(user=c)) == 1
    assert reg.waitlist_position(event.registrations.get(user=d)) == 2


def test_register_twice_is_refused_and_changes_nothing():
    event = hackathon()
    (ali,) = people(1)
    reg.register(event=event, by=ali)
    with pytest.raises(Refused) as exc:
        reg.register(event=event, by=ali)
    assert exc.value.code == "already_registered"
    assert event.registrations.count() == 1


def test_register_after_the_window_is_refused():
    event = hackathon()
    closed_window(event)
    (ali,) = people(1)
    with pytest.raises(Refused) as exc:
        reg.register(event=event, by=ali)
    assert exc.value.code == "registration_closed"
    assert not event.registrations.exists()


def test_register_without_a_profile_or_ineligible_is_refused():
    event = hackathon()
    with pytest.raises(Refused):
        reg.register(event=event, by=UserFactory())
    event.challenge.gender_rule = "female"
    event.challenge.save()
    (man,) = people(1, gender="male")
    with pytest.raises(Refused) as exc:
        reg.register(event=event, by=man)
    assert exc.value.code == "ineligible"


def test_staff_admission_waitlists_everyone_and_staff_accept_in_bulk_within_capacity():
    event = hackathon(capacity=2, admission="by_staff")
    staff = staff_of(event)
    a, b, c = people(3)
    rows = [reg.register(event=event, by=p) for p in (a, b, c)]
    assert states(event) == [S.WAITLISTED] * 3
    with pytest.raises(Conflict):
        reg.accept(event=event, registration_ids=[r.pk for r in rows], by=staff)
    assert states(event) == [S.WAITLISTED] * 3  # nothing changed
    reg.accept(event=event, registration_ids=[rows[0].pk, rows[2].pk], by=staff)
    assert states(event) == [S.OFFERED, S.WAITLISTED, S.OFFERED]


def test_only_staff_of_the_challenge_accept():
    event = hackathon(admission="by_staff")
    (a,) = people(1)
    row = reg.register(event=event, by=a)
    other = staff_of(hackathon())
    with pytest.raises(NotAllowed):
        reg.accept(event=event, registration_ids=[row.pk], by=other)


def test_confirm_before_the_deadline_sends_the_check_in_code():
    event = hackathon()
    (a,) = people(1)
    mine = reg.confirm(registration=reg.register(event=event, by=a), by=a)
    assert mine.state == S.CONFIRMED
    message = Notification.objects.get(recipient=a, event="hackathon.confirmed")
    assert message.context["code"].startswith(f"{mine.pk}:")


def test_confirm_after_the_deadline_is_refused_and_the_place_goes_to_the_next():
    event = hackathon(capacity=1)
    a, b = people(2)
    mine = reg.register(event=event, by=a)
    reg.register(event=event, by=b)
    mine.confirm_by = timezone.now() - timedelta(minutes=1)
    mine.save()
    with pytest.raises(Refused) as exc:
        reg.confirm(registration=mine, by=a)
    assert exc.value.code == "confirm_too_late"
    assert reg.expire_offers() == 1
    assert states(event) == [S.EXPIRED, S.OFFERED]
    assert Notification.objects.filter(recipient=a, event="hackathon.offer_expired").exists()
    assert Notification.objects.filter(recipient=b, event="hackathon.place_offered").exists()
    assert reg.expire_offers() == 0  # idempotent


def test_cancel_frees_the_place_for_the_next_on_the_waitlist():
    event = hackathon(capacity=1)
    a, b, c = people(3)
    first = reg.register(event=event, by=a)
    reg.register(event=event, by=b)
    reg.register(event=event, by=c)
    reg.cancel(registration=first, by=a)
    assert states(event) == [S.CANCELLED, S.OFFERED, S.WAITLISTED]


def test_someone_else_cannot_confirm_or_cancel_my_registration():
    event = hackathon()
    a, b = people(2)
    mine = reg.register(event=event, by=a)
    with pytest.raises(NotAllowed):
        reg.confirm(registration=mine, by=b)
    with pytest.raises(NotAllowed):
        reg.cancel(registration=mine, by=b)


def test_capacity_is_never_exceeded_whatever_the_order_of_changes():
    event = hackathon(capacity=3)
    staff = staff_of(event)
    crowd = people(8)
    rows = [reg.register(event=event, by=p) for p in crowd]
    reg.cancel(registration=rows[0], by=crowd[0])
    reg.accept_in_order(event=event, by=staff)
    with pytest.raises(Refused):
        reg.accept(event=event, registration_ids=[rows[-1].pk], by=staff)
    assert reg.places_taken(event) == 3


def test_the_balance_counts_name_regions_and_genders_in_the_readers_language():
    from django.utils import translation

    from challenges.models import Region
    from hackathons.selectors import balance

    event = hackathon(capacity=1)
    karakalpakstan = Region.objects.get(code="UZ-QR")
    first, second = people(2, region=karakalpakstan, gender="female")
    reg.register(event=event, by=first)
    reg.register(event=event, by=second)  # waitlisted

    with translation.override("en"):
        table = balance(event)
    assert table["region"] == [
        {"code": "UZ-QR", "label": "Republic of Karakalpakstan", "places": 1, "waiting": 1}
    ]
    assert [(r["label"], r["places"], r["waiting"]) for r in table["gender"]] == [("Female", 1, 1)]
    with translation.override("ru"):
        assert balance(event)["region"][0]["label"] == karakalpakstan.name_ru
