"""A public challenge is one a live, public page presents: fixtures that make such pages
(and drafts and private ones beside them)."""

import pytest
from wagtail.models import PageViewRestriction

from cms.models import ChallengeIndexPage, ChallengePage
from cms.pages import ensure_translated_page
from tests.factories import ChallengeFactory, TrackFactory, with_phases

TITLES = {"uz": "Tanlovlar", "ru": "Конкурсы", "en": "Challenges"}


@pytest.fixture
def challenge_index(home_pages):
    return ensure_translated_page(
        home_pages,
        ChallengeIndexPage,
        slug="challenges",
        texts={code: {"title": title} for code, title in TITLES.items()},
    )


@pytest.fixture
def page_for(challenge_index):
    """``page_for(challenge, live=True, private=False)``: its (Uzbek) page."""

    def make(challenge, *, live=True, private=False):
        page = ChallengePage(
            slug=challenge.slug,
            title=f"{challenge.title} [uz]",
            intro="Qisqacha.",
            challenge=challenge,
            locale=challenge_index["uz"].locale,
            live=live,
        )
        challenge_index["uz"].add_child(instance=page)
        if private:
            PageViewRestriction.objects.create(
                page=page, restriction_type=PageViewRestriction.PASSWORD, password="x"
            )
        return page

    return make


@pytest.fixture
def public_challenge(page_for):
    """``public_challenge(status="open", **fields)``: a challenge with a timeline around
    now, a track, and a live public page."""

    def make(status="open", **fields):
        challenge = with_phases(ChallengeFactory(**fields), status=status)
        TrackFactory(challenge=challenge, name="Sogʻliq", name_ru="Здоровье", name_en="Health")
        page_for(challenge)
        return challenge

    return make
