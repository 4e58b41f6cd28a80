"""Staff pages of a hackathon (Wagtail admin): the event settings, and the registrations —
accept chosen people from the waitlist (with counts by gender and region to balance the
room) or fill the free places in order."""

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from challenges.enums import ChallengeKind
from challenges.models import Challenge
from challenges.selectors import managed_by
from core.access import obtain
from core.audit import record
from core.errors import Refused, show
from submissions.services.answers import shown

from . import selectors
from .enums import RegistrationState
from .forms import EventForm
from .models import Event
from .services import checkin, registration


def index(request):
    challenges = (
        managed_by(request.user)
        .filter(kind=ChallengeKind.HACKATHON)
        .select_related("hackathon")
        .order_by("title")
    )
    return TemplateResponse(request, "hackathons/admin/index.html", {"challenges": challenges})


def _challenge(request, challenge_id):
    return obtain(
        request.user,
        Challenge.objects.filter(kind=ChallengeKind.HACKATHON),
        see="challenges.manage_challenge",
        pk=challenge_id,
    )


def edit(request, challenge_id):
    """Create or change the event settings of a hackathon challenge."""
    challenge = _challenge(request, challenge_id)
    instance = Event.objects.filter(challenge=challenge).first()
    form = EventForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.instance.challenge = challenge
        form.save()
        record(action="hackathons.settings_saved", obj=form.instance, by=request.user)
        messages.success(request, _("The hackathon settings are saved."))
        return redirect("hackathons_admin:registrations", challenge_id=challenge.pk)
    return TemplateResponse(
        request,
        "hackathons/admin/edit.html",
        {"form": form, "challenge": challenge, "event": instance},
    )


def registrations(request, challenge_id):
    challenge = _challenge(request, challenge_id)
    event = obtain(
        request.user,
        Event.objects.select_related("challenge"),
        see="hackathons.manage_event",
        challenge=challenge,
    )
    if request.method == "POST":
        try:
            if request.POST.get("action") == "in_order":
                offered = registration.accept_in_order(event=event, by=request.user)
            else:
                offered = registration.accept(
                    event=event, registration_ids=request.POST.getlist("chosen"), by=request.user
                )
        except Refused as exc:
            show(request, exc)
        else:
            messages.success(
                request,
                ngettext(
                    "%(n)s person was offered a place.",
                    "%(n)s people were offered a place.",
                    len(offered),
                )
                % {"n": len(offered)},
            )
        return redirect("hackathons_admin:registrations", challenge_id=challenge.pk)
    state = request.GET.get("state") or ""
    if state not in RegistrationState.values:
        state = ""
    rows = list(selectors.staff_registrations(event, state=state)[:500])
    for row in rows:
        row.shown_answers = shown(row.answers, audience="staff")
    table, total = checkin.counts_by_track(event)
    return TemplateResponse(
        request,
        "hackathons/admin/registrations.html",
        {
            "challenge": challenge,
            "event": event,
            "rows": rows,
            "state": state,
            "states": RegistrationState.choices,
            "free": registration.free_places(event),
            "taken": registration.places_taken(event),
            "waiting": registration.waitlist(event).count(),
            "balance": selectors.balance(event),
            "counts": table,
            "total": total,
        },
    )
