"""Reads behind the public pages (and the admin's translation actions). Every list costs a
fixed number of queries: phases are prefetched once and the public status is derived in
Python from them."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail_localize.models import Translation

from challenges.enums import ChallengeStatus, PhaseKind
from challenges.models import Challenge, Phase, Prize
from challenges.services.eligibility import describe, rules_for
from challenges.services.phases import (
    current_phase,
    phase_of_kind,
    status_for,
    submissions_open,
)
from submissions.services.eligibility import active_exception
from submissions.services.entries import may_start

from .models import ChallengePage, ResultsPage

STATUS_ORDER = {
    ChallengeStatus.OPEN: 0,
    ChallengeStatus.UPCOMING: 1,
    ChallengeStatus.JUDGING: 2,
    ChallengeStatus.CLOSED: 3,
}


@dataclass
class ChallengeCard:
    page: object
    challenge: Challenge
    status: str
    next_deadline: datetime | None
    opens_at: datetime | None

    @property
    def status_label(self):
        return ChallengeStatus(self.status).label


def _phases_prefetch(prefix=""):
    return Prefetch(f"{prefix}phases", queryset=Phase.objects.order_by("starts_at"))


def cards_for(pages, *, when):
    """ChallengePages as cards with their status, open ones first, soonest deadline first."""
    pages = pages.select_related("challenge", "locale", "hero_image").prefetch_related(
        _phases_prefetch("challenge__"), "hero_image__renditions"
    )
    cards = []
    for page in pages:
        phases = list(page.challenge.phases.all())
        status = status_for(phases, when)
        intake = phase_of_kind(phases, PhaseKind.SUBMISSION) or phase_of_kind(
            phases, PhaseKind.REGISTRATION
        )
        deadline = intake.ends_at if intake and status == ChallengeStatus.OPEN else None
        opens = min((p.starts_at for p in phases), default=None)
        cards.append(ChallengeCard(page, page.challenge, status, deadline, opens))
    far = timezone.now().replace(year=9999)
    cards.sort(
        key=lambda c: (
            STATUS_ORDER[c.status],
            c.next_deadline or c.opens_at or far,
            c.page.title,
        )
    )
    return cards


def challenge_cards(*, locale, when):

    return cards_for(ChallengePage.objects.live().public().filter(locale=locale), when=when)


def latest_results(*, locale, limit):

    return list(
        ResultsPage.objects.live()
        .public()
        .filter(locale=locale)
        .select_related("locale")
        .order_by("-date", "-pk")[:limit]
    )


def challenge_for_page(challenge_id):
    """One challenge with everything its page shows, in a fixed number of queries."""
    return (
        Challenge.objects.select_related("peoples_choice")  # the link to its public vote
        .prefetch_related(
            _phases_prefetch(),
            "tracks",
            "allowed_regions",
            Prefetch("prizes", queryset=Prize.objects.select_related("track")),
        )
        .filter(pk=challenge_id)
        .first()
    )


@dataclass
class TimelineStep:
    phase: Phase
    state: str  # "past", "current" or "future"

    @property
    def label(self):
        return self.phase.get_kind_display()


@dataclass
class CallToAction:
    kind: str
    label: str
    url: str | None = None
    note: str = ""


def call_to_action(challenge, phases, *, when, results_url=None):
    """The button a visitor sees, following the phase the clock says we are in."""
    status = status_for(phases, when)
    phase = current_phase(phases, when)
    enter_url = reverse("submissions:enter", args=[challenge.slug])
    if status == ChallengeStatus.UPCOMING:
        return CallToAction("upcoming", _("Registration has not opened yet"))
    if status == ChallengeStatus.OPEN:
        if phase is not None and phase.kind == PhaseKind.REGISTRATION:
            return CallToAction("register", _("Register"), enter_url)
        if submissions_open(phases, when, grace_minutes=challenge.grace_minutes):
            return CallToAction("submit", _("Submit your entry"), enter_url)
        return CallToAction("register", _("Register"), enter_url)
    if status == ChallengeStatus.JUDGING:
        return CallToAction("judging", _("Judging under way"))
    if results_url:
        return CallToAction("results", _("See results"), results_url)
    return CallToAction("closed", _("Results will be announced here"))


def timeline(phases, *, when):
    steps = []
    for phase in phases:
        if when >= phase.ends_at:
            state = "past"
        elif when >= phase.starts_at:
            state = "current"
        else:
            state = "future"
        steps.append(TimelineStep(phase, state))
    return steps


def challenge_facts(page, challenge, *, when):
    """Everything the challenge page's template needs besides the page's own words."""

    phases = list(challenge.phases.all())
    results = (
        ResultsPage.objects.live()
        .public()
        .filter(locale_id=page.locale_id, challenge_id=challenge.pk)
        .order_by("-date", "-pk")
        .first()
    )
    tracks = list(challenge.tracks.all())
    general = rules_for(challenge, today=timezone.localdate())
    track_rules = []
    for track in tracks:
        narrowed = rules_for(challenge, track, today=timezone.localdate())
        if narrowed != general:
            track_rules.append((track, describe(narrowed, people_only=True)))
    return {
        "challenge": challenge,
        "status": status_for(phases, when),
        "current_phase": current_phase(phases, when),
        "timeline": timeline(phases, when=when),
        "cta": call_to_action(
            challenge, phases, when=when, results_url=results.url if results else None
        ),
        "eligibility": describe(general),
        "track_eligibility": track_rules,
        "tracks": tracks,
        "prizes": list(challenge.prizes.all()),
        "results_page": results,
    }


def personal_standing(user, challenge, cta):
    """Whether the signed-in visitor may enter, while the challenge takes entries: the
    same answer (``may_start``) the services enforce when a team or an entry is created."""
    if user is None or not user.is_authenticated or cta.kind not in ("register", "submit"):
        return {"standing": None, "track_standings": []}
    exception = active_exception(user, challenge)  # once, not once per track
    return {
        "standing": may_start(user, challenge, exception=exception),
        "track_standings": [
            (track, may_start(user, challenge, track, exception=exception))
            for track in challenge.tracks.all()
        ],
    }


def synced_translation(page):
    """The wagtail-localize translation that writes ``page`` from its source page, or
    ``None`` when ``page`` is a source or its synced translation was stopped."""
    return (
        Translation.objects.select_related("source", "target_locale")
        .filter(
            source__object_id=page.translation_key,
            target_locale_id=page.locale_id,
            enabled=True,
        )
        .first()
    )
