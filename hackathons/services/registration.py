"""Registration with capacity: register, the waitlist, offers, confirmation, cancellation.

The event's places are the registrations that *hold* one (offered or confirmed). Every
change that can take or free a place locks the event's row first
(``select_for_update``), so two people registering — or a staff bulk accept racing the
expiry task — at the same moment are counted one after the other and the capacity is never
exceeded. A freed place (a cancellation, an offer not confirmed in time) is offered at once
to the next person on the waitlist, in the order they registered.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.access import require
from core.audit import record
from core.errors import Conflict
from core.i18n import every_language
from notifications import events
from notifications.services import notify
from submissions.services.answers import as_data, build_form, freeze, submit_problems
from submissions.services.eligibility import ensure_may_start
from submissions.services.profiles import profile_of

from ..enums import ACTIVE, HOLDS_PLACE, RegistrationState
from ..models import Event, Registration
from ..selectors import application_questions
from .errors import HackathonRefused


def _locked_event(event):
    return Event.objects.select_for_update().select_related("challenge").get(pk=event.pk)


def places_taken(event):
    return event.registrations.filter(state__in=HOLDS_PLACE).count()


def free_places(event):
    return max(0, event.capacity - places_taken(event))


def waitlist(event):
    """The waitlist in order: who registered first is offered a place first."""
    return event.registrations.filter(state=RegistrationState.WAITLISTED).order_by(
        "registered_at", "pk"
    )


def waitlist_position(registration):
    if registration.state != RegistrationState.WAITLISTED:
        return None
    ahead = (
        waitlist(registration.event)
        .filter(registered_at__lte=registration.registered_at)
        .exclude(registered_at=registration.registered_at, pk__gt=registration.pk)
    )
    return ahead.count()


def registration_open(event, when=None):
    when = when or timezone.now()
    return event.registration_opens <= when < event.registration_closes


def _confirm_by(event, now):
    deadline = now + timedelta(hours=event.hours_to_confirm)
    starts = event.hacking_starts
    if starts is not None and now < starts < deadline:
        deadline = starts  # confirm before hacking starts, at the latest
    return deadline


def _offer(registration, *, event, now, by):
    registration.state = RegistrationState.OFFERED
    registration.offered_at = now
    registration.confirm_by = _confirm_by(event, now)
    registration.save(update_fields=["state", "offered_at", "confirm_by"])
    record(action="hackathons.place.offered", obj=registration, by=by)
    notify(
        event=events.HACKATHON_PLACE_OFFERED,
        recipients=[registration.user],
        context={
            "challenge": every_language(lambda: event.challenge.display_title),
            "confirm_by": registration.confirm_by.isoformat(),
            "url": _dashboard_path(event),
        },
        obj=registration,
        by=by,
    )


def _dashboard_path(event):
    from django.urls import reverse

    return reverse("hackathons:event", args=[event.challenge.slug])


def _fill(event, *, now, by):
    """Offer the free places to the waitlist, in order. Returns the registrations offered."""
    offered = []
    free = free_places(event)
    if free <= 0:
        return offered
    for registration in waitlist(event).select_for_update()[:free]:
        _offer(registration, event=event, now=now, by=by)
        offered.append(registration)
    return offered


@transaction.atomic
def register(*, event, by, track=None, answer="", answers=None):
    """Register ``by`` for ``event``: a place at once when places are free and the event
    admits in order (nobody waiting ahead), else the waitlist — never a silent refusal.

    ``answers`` (``{clean_name: value}``) answer the application questions; they are
    checked as an entry's answers are on submit (required, conditions, types) and stored
    frozen with their labels.

    Refused: no profile, not eligible (``may_start``, the same checks as entering the
    challenge), outside the registration window, already registered, an application answer
    missing or malformed (nothing saved).
    Side effects: a ``Registration`` (or a cancelled one back on the waitlist, last), audit
    ``hackathons.registered``; an offer (see :func:`_offer`) when a place is free.
    """
    now = timezone.now()
    event = _locked_event(event)
    if profile_of(by) is None:
        raise HackathonRefused(_("Please fill in your participant profile first."))
    if not registration_open(event, now):
        raise HackathonRefused(_("Registration is not open."), code="registration_closed")
    ensure_may_start(by, event.challenge, track)
    if track is not None and track.challenge_id != event.challenge_id:
        raise HackathonRefused(_("Choose a track of this hackathon."), field="track")
    if event.question and not (answer or "").strip():
        raise HackathonRefused(_("Please answer the question."), field="answer")
    questions = application_questions(event)
    checked = build_form(questions, data=as_data(answers), submit=True)
    if not checked.is_valid():
        raise HackathonRefused(
            " ".join(submit_problems(questions, answers)), code="application_incomplete"
        )
    registration = Registration.objects.filter(event=event, user=by).first()
    if registration is not None and registration.state in ACTIVE:
        raise HackathonRefused(
            _("You are already registered for this hackathon."), code="already_registered"
        )
    if registration is None:
        registration = Registration(event=event, user=by)
    registration.track = track
    registration.answer = (answer or "").strip()
    # The cleaned values only (a conditional question not asked keeps nothing).
    registration.answers = freeze(questions, checked.answers())
    registration.state = RegistrationState.WAITLISTED
    registration.registered_at = now
    registration.offered_at = registration.confirm_by = registration.confirmed_at = None
    registration.cancelled_at = None
    registration.save()
    record(action="hackathons.registered", obj=registration, by=by)
    if event.admission == "in_order" and not waitlist(event).exclude(pk=registration.pk).exists():
        _fill(event, now=now, by=None)
        registration.refresh_from_db()
    return registration


@transaction.atomic
def accept(*, event, registration_ids, by):
    """Staff give places to the waitlisted people they chose (to balance gender and region,
    say). Refused when more are chosen than places are free: nothing changes then.

    Side effects: each chosen registration offered (notification), audit entries.
    """
    require(by, "hackathons.manage_event", event)
    now = timezone.now()
    event = _locked_event(event)
    chosen = list(
        waitlist(event).filter(pk__in=list(registration_ids)).select_for_update().order_by("pk")
    )
    if not chosen:
        raise HackathonRefused(_("Choose people on the waitlist."))
    free = free_places(event)
    if len(chosen) > free:
        raise Conflict(
            ngettext(
                "Only %(free)s place is free: choose fewer people.",
                "Only %(free)s places are free: choose fewer people.",
                free,
            )
            % {"free": free}
        )
    for registration in chosen:
        _offer(registration, event=event, now=now, by=by)
    return chosen


@transaction.atomic
def accept_in_order(*, event, by):
    """Give every free place to the waitlist in order. ``by=None``: the platform."""
    require(by, "hackathons.manage_event", event, platform=True)
    return _fill(_locked_event(event), now=timezone.now(), by=by)


def _locked_registration(registration):
    return Registration.objects.select_for_update().get(pk=registration.pk)


@transaction.atomic
def confirm(*, registration, by):
    """The person confirms they will come. Refused after the deadline of the offer (the
    place then goes to the next person) or without an offer.

    Side effects: state confirmed, audit ``hackathons.place.confirmed``, a
    ``hackathon.confirmed`` message with the check-in code and the link to the QR code.
    """
    from .checkin import token_for

    require(by, "hackathons.own_registration", registration)
    _locked_event(registration.event)
    registration = _locked_registration(registration)
    now = timezone.now()
    if registration.state == RegistrationState.CONFIRMED:
        return registration
    if registration.state == RegistrationState.EXPIRED or (
        registration.state == RegistrationState.OFFERED and registration.confirm_by <= now
    ):
        raise HackathonRefused(
            _("The time to confirm has passed: the place went to the next person waiting."),
            code="confirm_too_late",
        )
    if registration.state != RegistrationState.OFFERED:
        raise HackathonRefused(_("You have not been offered a place (yet)."))
    registration.state = RegistrationState.CONFIRMED
    registration.confirmed_at = now
    registration.save(update_fields=["state", "confirmed_at"])
    record(action="hackathons.place.confirmed", obj=registration, by=by)
    event = registration.event
    notify(
        event=events.HACKATHON_CONFIRMED,
        recipients=[registration.user],
        context={
            "challenge": every_language(lambda: event.challenge.display_title),
            "code": token_for(registration),
            "url": _dashboard_path(event),
        },
        obj=registration,
        by=by,
    )
    return registration


@transaction.atomic
def cancel(*, registration, by):
    """The person withdraws (from the waitlist or from a place). A freed place is offered
    to the next on the waitlist at once.

    Side effects: state cancelled, audit ``hackathons.cancelled``, maybe an offer.
    """
    require(by, "hackathons.own_registration", registration)
    event = _locked_event(registration.event)
    registration = _locked_registration(registration)
    if registration.state not in ACTIVE:
        raise HackathonRefused(_("This registration is no longer active."))
    if hasattr(registration, "check_in"):
        raise HackathonRefused(_("You have already checked in."))
    registration.state = RegistrationState.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.looking_for_team = False
    registration.save(update_fields=["state", "cancelled_at", "looking_for_team"])
    record(action="hackathons.cancelled", obj=registration, by=by)
    _fill(event, now=timezone.now(), by=None)
    return registration


@transaction.atomic
def expire_offers(*, now=None):
    """Offers not confirmed by their deadline lose the place; it goes to the next person.

    Run by the periodic task ``hackathons.expire_offers``; idempotent. Side effects: state
    expired, audit ``hackathons.place.expired``, a ``hackathon.offer_expired`` message, new
    offers to the waitlist. Returns the number of offers that expired.
    """
    now = now or timezone.now()
    expired = 0
    event_ids = (
        Registration.objects.filter(state=RegistrationState.OFFERED, confirm_by__lte=now)
        .values_list("event_id", flat=True)
        .distinct()
    )
    for event in Event.objects.filter(pk__in=list(event_ids)).order_by("pk"):
        event = _locked_event(event)
        late = event.registrations.select_for_update(of=("self",)).filter(
            state=RegistrationState.OFFERED, confirm_by__lte=now
        )
        for registration in late.select_related("user"):
            registration.state = RegistrationState.EXPIRED
            registration.save(update_fields=["state"])
            record(action="hackathons.place.expired", obj=registration, by=None)
            notify(
                event=events.HACKATHON_OFFER_EXPIRED,
                recipients=[registration.user],
                context={"challenge": every_language(lambda e=event: e.challenge.display_title)},
                obj=registration,
            )
            expired += 1
        _fill(event, now=now, by=None)
    return expired
