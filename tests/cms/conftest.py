"""Site-tree fixtures for the cms tests: the challenge index in uz/ru/en and a maker for
challenge pages (every language, or only Uzbek for bulk query-count tests)."""

import pytest

from cms.models import ChallengeIndexPage, ChallengePage
from cms.pages import ensure_translated_page

INDEX_TITLES = {"uz": "Tanlovlar", "ru": "Конкурсы", "en": "Challenges"}


@pytest.fixture
def challenge_index(home_pages):
    return ensure_translated_page(
        home_pages,
        ChallengeIndexPage,
        slug="challenges",
        texts={code: {"title": title} for code, title in INDEX_TITLES.items()},
    )


def page_texts(challenge, languages=("uz", "ru", "en")):
    return {
        code: {
            "title": f"{challenge.title} [{code}]",
            "intro": f"{challenge.title}: summary in {code}.",
            "search_description": f"{challenge.title}: description in {code}.",
        }
        for code in languages
    }


@pytest.fixture
def make_challenge_page(challenge_index):
    def make(challenge, *, languages=("uz", "ru", "en"), **fields):
        if languages == ("uz",):
            # Bulk path: one live page, no revision (fast enough for 200 pages).
            page = ChallengePage(
                slug=challenge.slug,
                challenge=challenge,
                locale=challenge_index["uz"].locale,
                **page_texts(challenge, languages)["uz"],
                **fields,
            )
            challenge_index["uz"].add_child(instance=page)
            return {"uz": page}
        return ensure_translated_page(
            challenge_index,
            ChallengePage,
            slug=challenge.slug,
            texts=page_texts(challenge, languages),
            challenge=challenge,
            **fields,
        )

    return make
