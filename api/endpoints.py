"""The read-only JSON API under ``/api/v1/`` (django-ninja): challenges with their phases
and tracks, published results and certificate verification — exactly what the public
pages show, nothing more. Documented in docs/api.md; the OpenAPI description is served at
``/api/v1/openapi.json`` (ninja's docs page is off: it loads its scripts from a CDN, which
the site's Content-Security-Policy forbids).

Every endpoint is rate-limited per client address (``api.limits``): over the limit it
answers 429 with a JSON ``detail``.
"""

import functools
from typing import Literal

from django.conf import settings
from django.http import Http404
from django.utils import translation
from ninja import NinjaAPI
from ninja.decorators import decorate_view
from ninja.pagination import PageNumberPagination, paginate

from certificates.enums import CertificateStatus
from certificates.selectors import public_certificate
from challenges.enums import ChallengeKind, ChallengeStatus
from judging.templatetags.judging_tags import public_rows

from . import limits, selectors
from .schemas import CertificateOut, ChallengeDetailOut, ChallengeOut, ErrorOut, ResultsOut

Language = Literal["uz", "ru", "en"]
PER_PAGE = 20
MAX_PER_PAGE = 100

api = NinjaAPI(
    title="Tanlov API",
    version="1",
    description=(
        "Read-only public data of the challenges: phases, tracks, published results and "
        "certificate verification. No authentication; rate-limited per client address. "
        "Data licence: CC BY 4.0."
    ),
    urls_namespace="api_v1",
    docs_url=None,
)


rate_limited = decorate_view(limits.api_limited)
verify_limited = decorate_view(limits.verify_limited)


def _noindex(view):
    """Like the verification page: search engines keep no copy of a certificate's answer."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapper


def _language(lang):
    """``?lang=`` when given, else the language the locale middleware read from the
    request (Accept-Language, the language cookie)."""
    return lang or translation.get_language() or settings.LANGUAGE_CODE


def _challenge(challenge, status, phase):
    return {
        "slug": challenge.slug,
        "title": challenge.display_title,
        "kind": challenge.kind,
        "kind_name": str(challenge.get_kind_display()),
        "status": str(status),
        "status_name": str(ChallengeStatus(status).label),
        "current_phase": phase.kind if phase else None,
        "organiser": challenge.organiser,
        "time_zone": challenge.time_zone,
        "phases": [
            {
                "kind": p.kind,
                "name": str(p.get_kind_display()),
                "starts_at": p.starts_at,
                "ends_at": p.ends_at,
            }
            for p in challenge.phases.all()
        ],
        "tracks": [{"slug": t.slug, "name": str(t)} for t in challenge.tracks.all()],
    }


def _public(slug):
    found = selectors.with_status(selectors.public_challenges().filter(slug=slug))
    if not found:
        raise Http404
    return found[0]


@api.get(
    "/challenges",
    response=list[ChallengeOut],
    url_name="challenges",
    summary="Public challenges",
    tags=["challenges"],
)
@rate_limited
@paginate(PageNumberPagination, page_size=PER_PAGE, max_page_size=MAX_PER_PAGE)
def challenges(
    request,
    status: ChallengeStatus | None = None,
    kind: ChallengeKind | None = None,
    lang: Language | None = None,
):
    """Challenges with a public page — open first, then upcoming, judging and closed —
    with their phases and tracks. Filter by ``status`` and ``kind``; ``page`` and
    ``page_size`` (at most 100) page through them."""
    found = selectors.public_challenges()
    if kind:
        found = found.filter(kind=kind)
    with translation.override(_language(lang)):
        return [
            _challenge(*row)
            for row in selectors.with_status(found)
            if status is None or row[1] == status
        ]


@api.get(
    "/challenges/{slug}",
    response={200: ChallengeDetailOut, 404: ErrorOut},
    url_name="challenge",
    summary="One challenge",
    tags=["challenges"],
)
@rate_limited
def challenge(request, slug: str, lang: Language | None = None):
    """A public challenge: its phases, tracks, team rules and prizes."""
    with translation.override(_language(lang)):
        found, status, phase = _public(slug)
        return {
            **_challenge(found, status, phase),
            "team_min_size": found.team_min_size,
            "team_max_size": found.team_max_size,
            "individual_entries": found.individual_entries,
            "min_age": found.min_age,
            "max_age": found.max_age,
            "prizes": [
                {
                    "place": prize.place,
                    "title": prize.display_title,
                    "track": prize.track.slug if prize.track else None,
                    "amount": prize.amount,
                    "currency": prize.currency,
                }
                for prize in selectors.prizes_of(found)
            ],
        }


@api.get(
    "/challenges/{slug}/results",
    response={200: ResultsOut, 404: ErrorOut},
    url_name="results",
    summary="Published results",
    tags=["challenges"],
)
@rate_limited
def results(request, slug: str, lang: Language | None = None):
    """The ranking the public results page shows: the latest published round's winners,
    finalists and incubated entries, in rank order. ``round`` is null (and ``rows``
    empty) while nothing is published."""
    with translation.override(_language(lang)):
        found, _status, _phase = _public(slug)
        published = public_rows(found)
        if published is None:
            return {"challenge": found.slug, "round": None, "rows": [], "margins": []}
        return {
            "challenge": found.slug,
            "round": {
                "name": published["round"].display_name,
                "published_at": published["round"].publication.published_at,
            },
            "rows": [
                {
                    "rank": row["rank"],
                    "title": row["title"],
                    "track": row["track"] or "",
                    "score": None if row.get("score") is None else str(row["score"]),
                    "status": row["status"],
                    "status_name": str(row["status_label"]),
                }
                for row in published["rows"]
            ],
            "margins": [list(margin) for margin in published["margins"]],
        }


@api.get(
    "/certificates/{code}",
    response={200: CertificateOut, 404: ErrorOut},
    url_name="certificate",
    summary="Verify a certificate",
    tags=["certificates"],
)
@verify_limited
@decorate_view(_noindex)
def certificate(request, code: str, lang: Language | None = None):
    """What the verification page (``/verify/<code>/``) shows for the code printed on a
    certificate: valid or revoked, and what it certifies. An unknown code is 404."""
    found = public_certificate((code or "").strip().upper())
    if found is None:
        raise Http404
    with translation.override(_language(lang)):
        return {
            "code": found.code,
            "status": found.status,
            "valid": found.status == CertificateStatus.ISSUED,
            "revoked_at": found.revoked_at if found.status == CertificateStatus.REVOKED else None,
            "recipient_name": found.recipient_name,
            "kind": found.kind,
            "kind_name": str(found.get_kind_display()),
            "challenge": {"title": found.challenge.display_title},
            "place": found.place,
            "place_label": found.place_label,
            "project_title": found.project_title,
            "issued_at": found.issued_at,
        }
