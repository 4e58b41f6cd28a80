"""Publishing a project as a success story: a translated Wagtail draft, made once."""

import pytest
from django.test import RequestFactory

from cms.incubation_admin import draft_story, publish_story_view
from cms.models import SuccessStoryPage
from incubation.services.reports import submit_report

from .conftest import make_project

pytestmark = pytest.mark.django_db


def test_draft_story_creates_translated_draft_once(home_pages, cohort, manager):
    project = make_project(cohort, title="Mehr", answers={"problem": "Older people were alone."})
    submit_report(
        project=project, period_start=cohort.starts_on, narrative="4800 people helped.", by=None
    )

    page = draft_story(project=project, by=manager)
    again = draft_story(project=project, by=manager)

    assert again.pk == page.pk
    project.refresh_from_db()
    assert project.story_page_id == page.pk
    stories = SuccessStoryPage.objects.filter(translation_key=page.translation_key)
    assert sorted(p.locale.language_code for p in stories) == ["en", "ru", "uz"]
    assert not page.live
    text = str(page.specific.body)
    assert "Older people were alone." in text
    assert "4800 people helped." in text


def test_story_action_answers_404_for_staff_of_another_challenge(home_pages, cohort):
    from django.http import Http404

    from tests.factories import UserFactory

    project = make_project(cohort)
    outsider = UserFactory(is_staff=True)
    request = RequestFactory().post("/")
    request.user = outsider

    with pytest.raises(Http404):
        publish_story_view(request, project.pk)
    assert SuccessStoryPage.objects.count() == 0
