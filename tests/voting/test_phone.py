"""A vote may ask for a phone number confirmed by a one-time SMS code: the code goes through
the notifications outbox to the (local) SMS gateway, never into the in-app inbox, and only
a keyed hash of it stays in the database."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import Refused
from notifications import selectors as inbox
from notifications.events import BLANKED, PHONE_CODE
from notifications.models import Notification
from tests.factories import ProfileFactory
from voting.models import PhoneConfirmation, Vote
from voting.services import phone
from voting.services.votes import cast_vote

from .helpers import make_entry, make_vote, voter

pytestmark = pytest.mark.django_db

NUMBER = "+998 90 765 43 21"


def with_phone(number=NUMBER):
    user = voter()
    if not hasattr(user, "profile"):
        ProfileFactory(user=user)
        user.refresh_from_db()
    user.profile.phone = number
    user.profile.save()
    return user


def sent_code(server):
    (text,) = server.texts()
    return re.search(r"\b(\d{6})\b", text)[1]


def test_the_code_goes_by_sms_never_to_the_inbox_and_is_blanked_once_sent(
    gateway, django_capture_on_commit_callbacks
):
    user = with_phone()
    with django_capture_on_commit_callbacks(execute=True):
        phone.send_code(user=user)

    code = sent_code(gateway)
    row = PhoneConfirmation.objects.get(user=user)
    assert code not in row.code_hash
    assert len(row.code_hash) == 64
    notification = Notification.objects.get(recipient=user, event=PHONE_CODE)
    assert notification.context == BLANKED  # the delivery is settled: no code kept
    assert not inbox.inbox(user).exists()
    assert inbox.unread_count(user) == 0

    phone.confirm_code(user=user, code=code)

    assert phone.is_confirmed(user)


def test_a_wrong_code_counts_and_five_wrong_ones_spend_the_code(
    gateway, django_capture_on_commit_callbacks
):
    user = with_phone()
    with django_capture_on_commit_callbacks(execute=True):
        phone.send_code(user=user)
    code = sent_code(gateway)
    wrong = f"{(int(code) + 1) % 10**6:06d}"

    for _ in range(phone.MAX_ATTEMPTS):
        with pytest.raises(Refused, match="not the one we sent"):
            phone.confirm_code(user=user, code=wrong)
    with pytest.raises(Refused, match="Too many wrong codes"):
        phone.confirm_code(user=user, code=code)  # even the right one, now

    assert PhoneConfirmation.objects.get(user=user).attempts == phone.MAX_ATTEMPTS
    assert not phone.is_confirmed(user)


def test_a_code_expires_and_cannot_be_asked_for_again_at_once(
    gateway, django_capture_on_commit_callbacks
):
    user = with_phone()
    with django_capture_on_commit_callbacks(execute=True):
        phone.send_code(user=user)
    code = sent_code(gateway)
    with pytest.raises(Refused, match="wait a minute"):
        phone.send_code(user=user)
    with pytest.raises(Refused, match="expired"):
        phone.confirm_code(user=user, code=code, now=timezone.now() + phone.CODE_TTL)

    assert not phone.is_confirmed(user)
    later = timezone.now() + phone.RESEND_AFTER + timedelta(seconds=1)
    phone.send_code(user=user, now=later)  # after the pause, a new code


def test_codes_are_limited_per_day(gateway):
    user = with_phone()
    start = timezone.now()
    for n in range(phone.MAX_PER_DAY):
        phone.send_code(user=user, now=start + n * (phone.RESEND_AFTER + timedelta(seconds=1)))
    with pytest.raises(Refused, match="Too many codes today"):
        phone.send_code(user=user, now=start + timedelta(minutes=30))


def test_without_a_phone_there_is_no_code(gateway):
    user = with_phone(number="")

    with pytest.raises(Refused, match="profile first"):
        phone.send_code(user=user)
    assert not Notification.objects.filter(event=PHONE_CODE).exists()


def test_a_changed_phone_number_must_be_confirmed_again(
    gateway, django_capture_on_commit_callbacks
):
    user = with_phone()
    with django_capture_on_commit_callbacks(execute=True):
        phone.send_code(user=user)
    phone.confirm_code(user=user, code=sent_code(gateway))
    user.profile.phone = "+998 91 111 22 33"
    user.profile.save()

    assert not phone.is_confirmed(user)


def test_a_vote_that_asks_for_a_phone_refuses_until_it_is_confirmed(
    gateway, django_capture_on_commit_callbacks
):
    pc = make_vote(require_phone=True)
    entry = make_entry(pc)
    user = with_phone()

    with pytest.raises(Refused, match="confirmed phone number"):
        cast_vote(peoples_choice=pc, entry=entry, by=user)
    assert not Vote.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        phone.send_code(user=user)
    phone.confirm_code(user=user, code=sent_code(gateway))
    cast_vote(peoples_choice=pc, entry=entry, by=user)

    assert Vote.objects.filter(voter=user, submission=entry).exists()


def test_a_vote_without_the_choice_needs_no_phone():
    pc = make_vote()
    entry = make_entry(pc)
    user = voter()

    cast_vote(peoples_choice=pc, entry=entry, by=user)

    assert Vote.objects.filter(voter=user).exists()


def test_the_phone_page_sends_and_confirms_then_returns(
    client, gateway, django_capture_on_commit_callbacks
):
    pc = make_vote(require_phone=True)
    user = with_phone()
    client.force_login(user)
    gallery = reverse("voting:gallery", kwargs={"slug": pc.challenge.slug})
    url = reverse("voting:phone")

    html = client.get(gallery).content.decode()
    assert 'id="confirm-phone"' in html
    page = client.get(url, {"next": gallery}).content.decode()
    assert "+99890 ••• •• 21" in page
    assert "765" not in page
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"action": "send", "next": gallery}).status_code == 302
    wrong = client.post(url, {"action": "confirm", "code": "abc", "next": gallery})
    assert wrong.status_code == 400
    done = client.post(url, {"action": "confirm", "code": sent_code(gateway), "next": gallery})

    assert done.status_code == 302
    assert done["Location"] == gallery
    assert 'id="confirm-phone"' not in client.get(gallery).content.decode()
