"""What every public page's header and footer show, read once and kept in Django's cache.

The site header (home link, menu pages, the home page of each language for the language
switcher) and the footer's :class:`~cms.models.SiteSettings` are the same for every visitor
of a site in one language, yet they cost four or five queries on every page. They are
cached per host and language under a *generation*: any change to the page tree, the sites
or the settings stores a new generation (``cms/signals.py``), which makes every cached
header stale at once, in every process that shares the cache (Redis in production; see
docs/deploy.md). The timeout only bounds staleness where processes do not share a cache
(the local-memory default of ``make run``).

What depends on the person or the page stays per request: the links to the current page's
translations (one query, shared by the language switcher and the hreflang links), and the
personal links of :func:`personal_links` (cached briefly per user).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Exists, OuterRef, Value
from django.http.request import split_domain_port
from django.utils import translation
from wagtail.models import Page, Site

from challenges.selectors import managed_by
from cms.models import SiteSettings
from incubation.models import Cohort
from incubation.selectors import participant_projects
from judging.enums import JurorStatus
from judging.models import Juror

GENERATION_KEY = "cms:header:generation"
HEADER_TIMEOUT = 10 * 60
PERSONAL_LINKS_TIMEOUT = 2 * 60


@dataclass(frozen=True)
class MenuItem:
    title: str
    url: str


@dataclass(frozen=True)
class Header:
    """The cached part of the page chrome for one site and language."""

    home_url: str | None = None
    menu: tuple[MenuItem, ...] = ()
    # language code → URL of the home page in that language (language switcher fallback)
    home_urls: dict[str, str] = field(default_factory=dict)
    site_settings: object = None  # cms.models.SiteSettings, or None without a Site


def invalidate():
    """Make every cached header stale (called on page, site and settings changes)."""
    # A fresh token rather than cache.incr(): it also works after the key was evicted.
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


def header(request):
    """The header of ``request``'s site in the active language: from the cache if fresh."""
    language = translation.get_language()
    memo = request.__dict__.setdefault("_tanlov_header", {}) if request is not None else {}
    if language in memo:
        return memo[language]
    key = f"cms:header:{_host_key(request)}:{language}"
    cached = cache.get_many([GENERATION_KEY, key])
    generation = cached.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        generation = cache.get(GENERATION_KEY)
    entry = cached.get(key)
    if entry is not None and entry[0] == generation:
        result = entry[1]
    else:
        # Stamped with the generation read *before* building: a change published while
        # this request builds makes the entry stale instead of hiding the change.
        result = _build_header(request, language)
        cache.set(key, (generation, result), timeout=HEADER_TIMEOUT)
    memo[language] = result
    return result


def _host_key(request):
    if request is None:
        return "-"
    hostname = split_domain_port(request.get_host())[0]
    return f"{hostname}:{request.get_port()}"


def _build_header(request, language):
    site = Site.find_for_request(request)
    homes = _home_pages(site)
    home = homes.get(language) or next(iter(homes.values()), None)
    if home is None:
        return Header(site_settings=_site_settings(site))
    menu = tuple(
        MenuItem(title=page.title, url=page.get_url(request))
        for page in home.get_children().live().in_menu()
    )
    return Header(
        home_url=home.get_url(request),
        menu=menu,
        home_urls={code: page.get_url(request) for code, page in homes.items()},
        site_settings=_site_settings(site),
    )


def _site_settings(site):
    """The site's settings; unsaved blank ones when never edited (reading creates no row,
    unlike ``SiteSettings.for_site``, whose insert would make the new entry stale)."""

    if site is None:
        return None
    return SiteSettings.objects.filter(site=site).first() or SiteSettings(site_id=site.pk)


def _home_pages(site):
    """Live home pages by language code: the site's root page and its translations.

    Without a site (or when its root is not a home page) any live page at depth 2 counts,
    first one per language, as the header always did.
    """
    pages = Page.objects.live().filter(depth=2).select_related("locale").order_by("path")
    if site is not None:
        own = _first_per_language(pages.filter(translation_key=site.root_page.translation_key))
        if own:
            return own
    return _first_per_language(pages)


def _first_per_language(pages):
    homes = {}
    for page in pages:
        homes.setdefault(page.locale.language_code, page)
    return homes


def live_translations(request, page):
    """``page`` in every language it is live in, locales loaded (one query per request)."""
    memo = request.__dict__.setdefault("_tanlov_translations", {}) if request else {}
    if page.pk not in memo:
        memo[page.pk] = list(page.get_translations(inclusive=True).live().select_related("locale"))
    return memo[page.pk]


@dataclass(frozen=True)
class PersonalLinks:
    jury: bool = False
    incubation: bool = False


def personal_links(user):
    """Which personal sections ``user`` has: the jury (an active juror anywhere) and
    incubation (programme staff, a mentor or a member of an incubated project).

    One query, cached for two minutes per user: a new juror sees the link a little later,
    which is harmless (the pages themselves check access on every request).
    """
    if not user.is_authenticated:
        return PersonalLinks()
    key = f"cms:personal-links:{user.pk}"
    links = cache.get(key)
    if links is None:
        links = _personal_links(user)
        cache.set(key, links, timeout=PERSONAL_LINKS_TIMEOUT)
    return links


def _personal_links(user):

    if user.is_superuser:
        incubation = Value(True)
    else:
        incubation = (
            Exists(managed_by(user))
            | Exists(Cohort.objects.filter(managers=user))
            | Exists(participant_projects(user))
        )
    row = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .annotate(
            is_juror=Exists(Juror.objects.filter(user=OuterRef("pk"), status=JurorStatus.ACTIVE)),
            sees_incubation=incubation,
        )
        .values_list("is_juror", "sees_incubation")
        .first()
    )
    if row is None:
        return PersonalLinks()
    return PersonalLinks(jury=row[0], incubation=row[1])
