"""Confirming a voter's phone number by a one-time code sent by SMS (docs/judging.md).

A vote that asks for it (``PeoplesChoice.require_phone``) counts only accounts whose
profile phone was confirmed: the code goes out through the notifications outbox on the SMS
channel as a *private* event (``notifications.events.PRIVATE``: never in the in-app inbox,
its text blanked once the delivery is settled), and only a keyed hash of it is kept here.
A code is valid for ``CODE_TTL``, may be tried ``MAX_ATTEMPTS`` times, a new one can be asked
for after ``RESEND_AFTER`` and at most ``MAX_PER_DAY`` times a day.
"""

import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from core.audit import record
from core.errors import Refused
from notifications.channels import normalise_phone
from notifications.events import PHONE_CODE, SMS
from notifications.services import notify

from ..models import PhoneConfirmation

CODE_TTL = timedelta(minutes=10)
RESEND_AFTER = timedelta(seconds=60)
MAX_ATTEMPTS = 5
MAX_PER_DAY = 5


def _digest(user, code):
    return salted_hmac(
        "tanlov.voting.phone-code", f"{user.pk}:{code}", algorithm="sha256"
    ).hexdigest()


def phone_of(user):
    """The profile's phone, as the SMS gateway takes it ("" for none or a malformed one)."""
    profile = getattr(user, "profile", None)
    return normalise_phone(profile.phone if profile is not None else "")


def is_confirmed(user):
    """Whether ``user``'s current profile phone is the one they confirmed."""
    if not user.is_authenticated:
        return False
    phone = phone_of(user)
    return (
        bool(phone)
        and PhoneConfirmation.objects.filter(
            user=user, phone=phone, confirmed_at__isnull=False
        ).exists()
    )


def send_code(*, user, now=None):
    """Send a new code to ``user``'s profile phone. Refused without a phone, within
    ``RESEND_AFTER`` of the last code, or past ``MAX_PER_DAY`` codes today.

    Side effects: the row's hash and counters, one ``notifications.phone_code`` SMS in the
    outbox (after commit), audit ``voting.phone.code_sent`` (without the code).
    """
    now = now or timezone.now()
    phone = phone_of(user)
    if not phone:
        raise Refused(
            _("Add your mobile phone number (+998 …) to your profile first."), code="no_phone"
        )
    with transaction.atomic():
        row, _created = PhoneConfirmation.objects.select_for_update().get_or_create(
            user=user, defaults={"phone": phone}
        )
        if row.sent_at and now - row.sent_at < RESEND_AFTER:
            raise Refused(_("A code was sent a moment ago; wait a minute before asking again."))
        today = timezone.localdate(now)
        sent_today = (
            row.sent_today if row.sent_at and timezone.localdate(row.sent_at) == today else 0
        )
        if sent_today >= MAX_PER_DAY:
            raise Refused(_("Too many codes today; try again tomorrow."), code="too_many")
        code = f"{secrets.randbelow(10**6):06d}"
        if row.phone != phone:
            row.confirmed_at = None
        row.phone, row.code_hash, row.sent_at = phone, _digest(user, code), now
        row.sent_today, row.attempts = sent_today + 1, 0
        row.save()
        notify(event=PHONE_CODE, recipients=[user], context={"code": code}, channels=[SMS])
        record(action="voting.phone.code_sent", obj=row, by=user)
    return row


def confirm_code(*, user, code, now=None):
    """Confirm ``user``'s phone with ``code``. A wrong code counts an attempt (kept even
    though the call refuses); the right one confirms the phone and spends the code.

    Side effects: the row, audit ``voting.phone.confirmed``.
    """
    now = now or timezone.now()
    code = str(code or "").strip()
    with transaction.atomic():
        row = PhoneConfirmation.objects.select_for_update().filter(user=user).first()
        if row is None or not row.code_hash:
            raise Refused(_("Ask for a code first."), code="no_code")
        if now - row.sent_at >= CODE_TTL:
            raise Refused(_("The code has expired; ask for a new one."), code="expired")
        if row.attempts >= MAX_ATTEMPTS:
            raise Refused(_("Too many wrong codes; ask for a new one."), code="too_many")
        right = (
            len(code) == 6
            and code.isdigit()
            and constant_time_compare(_digest(user, code), row.code_hash)
        )
        if right:
            row.confirmed_at, row.code_hash = now, ""
            row.save(update_fields=["confirmed_at", "code_hash"])
            record(action="voting.phone.confirmed", obj=row, by=user)
            return row
        row.attempts += 1
        row.save(update_fields=["attempts"])
    raise Refused(_("That code is not the one we sent."), code="wrong_code")
