import pytest
from wagtail_localize.models import Translation

from cms.models import StoriesIndexPage, SuccessStoryPage
from cms.services import publish_success_story
from core.models import AuditEntry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_success_story_is_drafted_in_uzbek_with_translations_ready(client, home_pages):
    editor = UserFactory(username="editor")

    page = publish_success_story(
        title="Aqlli niqob: 2020-yildan bugungacha",
        intro="COVID-19 Challenge gʻolibi endi uch viloyatda ishlaydi.",
        paragraphs=["Jamoa 2020-yilda gʻolib boʻldi.", "Bugun niqob 12 ta klinikada."],
        by=editor,
    )

    assert page.locale.language_code == "uz"
    assert not page.live
    assert page.owner == editor
    assert page.slug == "aqlli-niqob-2020-yildan-bugungacha"
    assert [block.value.source for block in page.body] == [
        "<p>Jamoa 2020-yilda gʻolib boʻldi.</p>",
        "<p>Bugun niqob 12 ta klinikada.</p>",
    ]
    assert page.get_latest_revision().user == editor
    translations = SuccessStoryPage.objects.filter(translation_key=page.translation_key)
    assert sorted(translations.values_list("locale__language_code", "live")) == [
        ("en", False),
        ("ru", False),
        ("uz", False),
    ]
    # wagtail-localize knows the ru/en pages are translations to be done in its editor
    assert sorted(Translation.objects.values_list("target_locale__language_code", flat=True)) == [
        "en",
        "ru",
    ]
    assert StoriesIndexPage.objects.count() == 3  # the index, created in every language
    assert AuditEntry.objects.filter(action="cms.success_story.drafted").count() == 1
    assert client.get(f"/uz/{page.get_parent().slug}/{page.slug}/").status_code == 404


def test_second_story_with_the_same_title_gets_a_free_slug(home_pages):
    editor = UserFactory()
    first = publish_success_story(title="Volontyor", intro="", paragraphs=["a"], by=editor)
    second = publish_success_story(title="Volontyor", intro="", paragraphs=["b"], by=editor)

    assert (first.slug, second.slug) == ("volontyor", "volontyor-2")
    assert StoriesIndexPage.objects.count() == 3


def test_published_story_shows_its_key_figures(client, home_pages):
    page = publish_success_story(
        title="Volontyor", intro="Koʻngillilar ilovasi.", paragraphs=["a"], by=UserFactory()
    )
    page.people_reached, page.jobs_created = 12500, 14
    page.save_revision().publish()

    html = client.get(page.url).content.decode()

    assert "<dd>12,500</dd>" in html or "<dd>12 500</dd>" in html or "<dd>12\xa0500</dd>" in html
    assert "<dd>14</dd>" in html
