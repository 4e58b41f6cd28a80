from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from challenges.models import Challenge
from cms.demo import challenges as demo
from cms.demo import pairwise as pairwise_demo
from cms.models import ChallengePage, ResultsPage

pytestmark = pytest.mark.django_db


def test_demo_challenges_have_pages_in_three_languages_and_right_status(client, shared_demo):
    demo.load(stdout=StringIO())  # idempotent: once more on top of the demo

    now = timezone.now()
    # The pairwise demo's stand-in hackathon (made only when the demo has no hackathon of
    # its own) has no pages: it only carries the expo round.
    challenges = Challenge.objects.exclude(slug=pairwise_demo.HACKATHON_SLUG)
    statuses = {c.slug: c.status_at(now) for c in challenges}
    assert statuses == {
        "covid-19-challenge-2020": "closed",
        "technovation-challenge": "open",
        "open-data-challenge": "open",
        "demo-hackathon": "judging",
    }
    technovation = Challenge.objects.get(slug="technovation-challenge")
    assert technovation.gender_rule == "female"
    assert (technovation.min_age, technovation.max_age, technovation.team_max_size) == (10, 18, 5)
    assert technovation.mentor_required
    assert sorted(technovation.tracks.values_list("slug", "min_age", "max_age")) == [
        ("junior", 10, 14),
        ("senior", 15, 18),
    ]
    for challenge in challenges:
        pages = ChallengePage.objects.filter(challenge=challenge, live=True)
        assert sorted(pages.values_list("locale__language_code", flat=True)) == ["en", "ru", "uz"]
        assert pages.first().hero_image is not None
    assert ResultsPage.objects.filter(live=True).count() == 3

    ru = ChallengePage.objects.get(
        challenge__slug="technovation-challenge", locale__language_code="ru"
    )
    html = client.get(ru.url).content.decode()
    assert "Конкурс для девочек 10–18 лет" in html
    assert 'href="/ru/me/enter/technovation-challenge/"' in html


def test_load_demo_command_runs_the_challenges_module(shared_demo):
    out = StringIO()
    call_command("load_demo", force=True, stdout=out)

    assert "challenges: 3" in out.getvalue()
    editor_manages = Challenge.objects.filter(managers__username="editor")
    assert editor_manages.count() == 4  # the three challenges and the demo hackathon
