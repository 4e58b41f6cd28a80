"""The participants' hackathon pages (register, confirm, find a team) and the check-in desk."""

import json
from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.access import allowed, obtain, require
from core.errors import NotAllowed, Refused, as_json, show
from submissions.models import Team
from submissions.services.answers import build_form

from . import selectors
from .enums import HOLDS_PLACE, RegistrationState
from .forms import CheckInForm, ListingForm, RegisterForm, RoleForm
from .models import OpenRole, Registration, TeamRequest
from .services import checkin, registration, teammates

#: The application questions' inputs are prefixed: their names never meet "track"/"answer".
APPLICATION_PREFIX = "application"


def _application_form(hackathon, data=None):
    """The application questions through the entry form builder, checked as on submit."""
    return build_form(
        selectors.application_questions(hackathon),
        data=data,
        submit=True,
        prefix=APPLICATION_PREFIX,
    )


@require_GET
def event(request, slug):
    return _event_page(request, selectors.event_by_slug(slug))


def _event_page(request, hackathon, *, form=None, application=None, status=200):
    mine = selectors.registration_of(hackathon, request.user)
    context = {
        "event": hackathon,
        "challenge": hackathon.challenge,
        "registration": mine,
        "is_open": registration.registration_open(hackathon),
        "free": registration.free_places(hackathon),
        "form": form or RegisterForm(event=hackathon),
        "application": application or _application_form(hackathon),
        "position": registration.waitlist_position(mine) if mine else None,
        "may_staff": allowed(request.user, "hackathons.check_in", hackathon),
    }
    if mine is not None and mine.state in HOLDS_PLACE:
        context["qr"] = checkin.qr_svg(mine)
        context["code"] = checkin.token_for(mine)
    return TemplateResponse(request, "hackathons/event.html", context, status=status)


def _mine(request, hackathon):
    mine = selectors.registration_of(hackathon, request.user)
    if mine is None:
        raise Http404
    return mine


@login_required
@require_POST
def register(request, slug):
    hackathon = selectors.event_by_slug(slug)
    form = RegisterForm(request.POST, event=hackathon)
    application = _application_form(hackathon, data=request.POST)
    if not (form.is_valid() & application.is_valid()):
        messages.error(request, _("Please check the answers marked below."))
        return _event_page(request, hackathon, form=form, application=application, status=400)
    try:
        mine = registration.register(
            event=hackathon,
            by=request.user,
            track=form.cleaned_data.get("track"),
            answer=form.cleaned_data.get("answer", ""),
            answers=application.answers(),
        )
    except Refused as exc:
        show(request, exc)
    else:
        if mine.state == RegistrationState.OFFERED:
            messages.success(request, _("A place is yours: please confirm your attendance."))
        elif hackathon.admission == "by_staff":
            messages.info(
                request,
                _(
                    "You are registered (number %(n)s): the organisers choose who gets a "
                    "place, and you will be told."
                )
                % {"n": registration.waitlist_position(mine)},
            )
        else:
            messages.info(
                request,
                _("The places are taken for now: you are on the waitlist (number %(n)s).")
                % {"n": registration.waitlist_position(mine)},
            )
    return redirect("hackathons:event", slug=slug)


@login_required
@require_POST
def confirm(request, slug):
    return _on_my_registration(
        request, slug, registration.confirm, _("Your attendance is confirmed. See you there!")
    )


@login_required
@require_POST
def cancel(request, slug):
    return _on_my_registration(
        request, slug, registration.cancel, _("Your registration is cancelled.")
    )


def _attempt(request, act, *, done, back):
    """Call ``act()``: ``done`` said when it went through, the refusal shown otherwise;
    ``back`` (a response) either way."""
    try:
        act()
    except Refused as exc:
        show(request, exc)
    else:
        messages.success(request, done)
    return back


def _on_my_registration(request, slug, act, done):
    """``act`` on the signed-in person's registration, then back to the event page."""
    hackathon = selectors.event_by_slug(slug)
    return _attempt(
        request,
        lambda: act(registration=_mine(request, hackathon), by=request.user),
        done=done,
        back=redirect("hackathons:event", slug=slug),
    )


# --- finding teammates ------------------------------------------------------------------
@login_required
@require_GET
def teammates_page(request, slug):
    hackathon = selectors.event_by_slug(slug)
    if not allowed(request.user, "hackathons.find_teammates", hackathon):
        raise Http404
    mine = selectors.registration_of(hackathon, request.user)
    team = selectors.led_team(hackathon, request.user)
    people = list(selectors.looking_for_team(hackathon))
    requests = list(selectors.requests_for(hackathon, request.user, mine, team))
    context = {
        "event": hackathon,
        "challenge": hackathon.challenge,
        "registration": mine,
        "team": team,
        "people": [(r, teammates.first_name(r)) for r in people],
        "teams": selectors.teams_with_roles(hackathon),
        "requests": [
            (
                r,
                teammates.first_name(r.registration),
                teammates.contact_for(r.registration) if r.state == "accepted" else "",
            )
            for r in requests
        ],
        "listing_form": ListingForm(
            initial={
                "looking": mine.looking_for_team,
                "skills": mine.skills,
                "tags": mine.tags,
                "idea": mine.idea,
            }
        )
        if mine is not None
        else None,
        "role_form": RoleForm(),
        "suggestions": [
            (score, r, teammates.first_name(r))
            for score, r in teammates.suggestions(team, hackathon)
        ]
        if team is not None
        else [],
    }
    return TemplateResponse(request, "hackathons/teammates.html", context)


def _back(slug):
    return redirect("hackathons:teammates", slug=slug)


@login_required
@require_POST
def listing(request, slug):
    hackathon = selectors.event_by_slug(slug)
    mine = _mine(request, hackathon)
    form = ListingForm(request.POST)
    if form.is_valid():
        try:
            teammates.save_listing(registration=mine, by=request.user, **form.cleaned_data)
        except Refused as exc:
            show(request, exc)
            return redirect("hackathons:event", slug=slug)
        messages.success(request, _("Saved."))
    return _back(slug)


@login_required
@require_POST
def add_role(request, slug):
    hackathon = selectors.event_by_slug(slug)
    team = selectors.led_team(hackathon, request.user)
    if team is None:
        raise Http404
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            teammates.add_open_role(
                team=team, event=hackathon, by=request.user, **form.cleaned_data
            )
        except Refused as exc:
            show(request, exc)
    else:
        messages.error(request, _("Name the role."))
    return _back(slug)


@login_required
@require_POST
def remove_role(request, slug, role_id):
    hackathon = selectors.event_by_slug(slug)
    role = OpenRole.objects.filter(
        pk=role_id, team__challenge=hackathon.challenge_id, team__lead=request.user
    ).first()
    if role is None:
        raise Http404
    teammates.remove_open_role(role=role, by=request.user)
    return _back(slug)


@login_required
@require_POST
def invite(request, slug, registration_id):
    """The lead of a team asks a person who is looking to join."""
    hackathon = selectors.event_by_slug(slug)
    team = selectors.led_team(hackathon, request.user)
    person = Registration.objects.filter(pk=registration_id, event=hackathon).first()
    if (
        team is None
        or person is None
        or not allowed(request.user, "hackathons.find_teammates", hackathon)
    ):
        raise Http404
    return _attempt(
        request,
        lambda: teammates.invite_person(
            team=team, registration=person, by=request.user, message=request.POST.get("message")
        ),
        done=_("Request sent."),
        back=_back(slug),
    )


@login_required
@require_POST
def ask(request, slug, team_id):
    """A person with a place asks a team with open roles to take them."""
    hackathon = selectors.event_by_slug(slug)
    mine = _mine(request, hackathon)
    team = Team.objects.filter(pk=team_id, challenge=hackathon.challenge_id).first()
    if team is None or not allowed(request.user, "hackathons.find_teammates", hackathon):
        raise Http404
    return _attempt(
        request,
        lambda: teammates.ask_to_join(
            team=team, registration=mine, by=request.user, message=request.POST.get("message")
        ),
        done=_("Request sent."),
        back=_back(slug),
    )


@login_required
@require_POST
def answer(request, slug, request_id):
    hackathon = selectors.event_by_slug(slug)
    team_request = obtain(
        request.user,
        TeamRequest.objects.filter(registration__event=hackathon).select_related(
            "team", "registration__user"
        ),
        see="hackathons.see_request",
        pk=request_id,
    )
    accept = request.POST.get("answer") == "accept"
    try:
        teammates.answer_request(request=team_request, accept=accept, by=request.user)
    except NotAllowed:
        raise  # the side that sent the request cannot answer it: 403
    except Refused as exc:
        show(request, exc)
    else:
        messages.success(
            request, _("You are now in the same team.") if accept else _("Request declined.")
        )
    return _back(slug)


# --- check-in at the door ---------------------------------------------------------------
def _desk(request, slug):
    hackathon = selectors.event_by_slug(slug)
    if not allowed(request.user, "hackathons.check_in", hackathon):
        raise Http404
    return hackathon


def _recorded_at(value):
    try:
        when = datetime.fromisoformat(str(value))
    except (TypeError, ValueError):
        return None
    return when if timezone.is_aware(when) else None


@login_required
def check_in_desk(request, slug):
    """The door: scan (camera), type the code, or search by name. A POST with a JSON body
    is the page's script (also replaying check-ins queued offline); a form POST the no-JS way.
    """
    hackathon = _desk(request, slug)
    if request.method == "POST" and request.content_type == "application/json":
        try:
            body = json.loads(request.body or b"{}")
        except ValueError:
            return JsonResponse({"error": _("Not a check-in."), "code": "bad_request"}, status=400)
        try:
            record, created = checkin.check_in(
                event=hackathon,
                by=request.user,
                token=str(body.get("code", "")),
                recorded_at=_recorded_at(body.get("recorded_at")),
            )
        except Refused as exc:
            return as_json(exc)
        return JsonResponse(
            {
                "name": checkin.display_name(record.registration),
                "created": created,
                "message": _("%(name)s is checked in.")
                % {"name": checkin.display_name(record.registration)}
                if created
                else _("%(name)s was already checked in.")
                % {"name": checkin.display_name(record.registration)},
            }
        )
    form = CheckInForm(request.POST or None)
    if request.method == "POST":
        require(request.user, "hackathons.check_in", hackathon)
        person = None
        if request.POST.get("registration"):
            person = Registration.objects.filter(
                pk=request.POST["registration"], event=hackathon
            ).first()
        if person is not None or form.is_valid():
            try:
                record, created = checkin.check_in(
                    event=hackathon,
                    by=request.user,
                    registration=person,
                    token=form.cleaned_data.get("code") if person is None else None,
                )
            except Refused as exc:
                show(request, exc)
            else:
                name = checkin.display_name(record.registration)
                if created:
                    messages.success(request, _("%(name)s is checked in.") % {"name": name})
                else:
                    messages.info(request, _("%(name)s was already checked in.") % {"name": name})
        return redirect("hackathons:check_in", slug=slug)
    table, total = checkin.counts_by_track(hackathon)
    query = request.GET.get("q", "")
    return TemplateResponse(
        request,
        "hackathons/check_in.html",
        {
            "event": hackathon,
            "challenge": hackathon.challenge,
            "form": CheckInForm(),
            "counts": table,
            "total": total,
            "query": query,
            "found": selectors.search_people(hackathon, query),
        },
    )


@login_required
@require_GET
def check_in_counts(request, slug):
    hackathon = _desk(request, slug)
    table, total = checkin.counts_by_track(hackathon)
    return JsonResponse({"tracks": table, "total": total})
