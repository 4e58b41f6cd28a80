"""Check-in at the door: a signed token per registration, shown as a QR code.

The token is ``django.core.signing`` over the registration's id (salted for this use), so
nobody can make up a valid one and it needs no column of its own. Checking in is
idempotent: one ``CheckIn`` row per registration (a one-to-one in the database), so a
phone that resends a check-in it queued while offline, or two volunteers scanning the same
person, record one check-in.
"""

import segno
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import require
from core.audit import record

from ..enums import HOLDS_PLACE
from ..models import CheckIn, Registration
from .errors import HackathonRefused

SALT = "hackathons.checkin"


def token_for(registration):
    return signing.Signer(salt=SALT).sign(str(registration.pk))


def registration_id(token):
    """The registration id in ``token``, or ``None`` when it is not one we signed."""
    try:
        value = signing.Signer(salt=SALT).unsign((token or "").strip())
    except signing.BadSignature:
        return None
    return int(value) if value.isdigit() else None


def qr_svg(registration):
    qr = segno.make(token_for(registration), error="m", micro=False)
    return qr.svg_inline(scale=5, border=2, dark="#000", light="#fff")


@transaction.atomic
def check_in(*, event, by, token=None, registration=None, recorded_at=None):
    """Check the holder of ``token`` (or ``registration``, found by name) in at ``event``.

    Refused: a token that is not ours or of another event, a person without a place (on the
    waitlist, cancelled, expired). Returns ``(check_in, created)``; a second check-in of the
    same person returns the first one with ``created=False`` and changes nothing.
    Side effects: a ``CheckIn``, audit ``hackathons.checked_in``.
    """
    require(by, "hackathons.check_in", event)
    if registration is None:
        pk = registration_id(token)
        registration = Registration.objects.filter(pk=pk, event=event).first() if pk else None
    if registration is None or registration.event_id != event.pk:
        raise HackathonRefused(_("This code is not a ticket for this hackathon."), code="bad_code")
    registration = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("user__profile")
        .get(pk=registration.pk)
    )
    existing = CheckIn.objects.filter(registration=registration).first()
    if existing is not None:
        return existing, False
    if registration.state not in HOLDS_PLACE:
        raise HackathonRefused(
            _("%(name)s has no place at this hackathon (%(state)s).")
            % {"name": display_name(registration), "state": registration.get_state_display()},
            code="no_place",
        )
    now = timezone.now()
    try:
        with transaction.atomic():
            created = CheckIn.objects.create(
                registration=registration,
                checked_in_at=now,
                recorded_at=min(recorded_at, now) if recorded_at else None,
                by=by,
            )
    except IntegrityError:
        return CheckIn.objects.get(registration=registration), False
    record(action="hackathons.checked_in", obj=registration, by=by)
    return created, True


def display_name(registration):
    profile = getattr(registration.user, "profile", None)
    if profile is not None and profile.full_name:
        return profile.full_name
    return registration.user.get_full_name() or registration.user.get_username()


def counts_by_track(event):
    """``[(track name, checked in, holding a place)]`` plus a total row (one query)."""
    rows = (
        event.registrations.filter(state__in=HOLDS_PLACE)
        .values("track_id", "track__name")
        .annotate(places=Count("pk"), checked_in=Count("pk", filter=Q(check_in__isnull=False)))
        .order_by("track__name")
    )
    table = [
        {
            "track": row["track__name"] or _("No track"),
            "checked_in": row["checked_in"],
            "places": row["places"],
        }
        for row in rows
    ]
    total = {
        "track": _("All"),
        "checked_in": sum(r["checked_in"] for r in table),
        "places": sum(r["places"] for r in table),
    }
    return table, total
