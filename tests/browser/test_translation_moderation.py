"""An editor translates a challenge page into Russian in wagtail-localize's editor and
submits it; a moderator approves it from the dashboard; the public sees the Russian page."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from playwright.sync_api import expect
from wagtail.models import (
    GroupApprovalTask,
    GroupPagePermission,
    Locale,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)
from wagtail.users.models import UserProfile
from wagtail_localize.operations import translate_object

from cms.models import ChallengeIndexPage, ChallengePage
from cms.pages import ensure_translated_page
from tests.factories import ChallengeFactory, UserFactory, with_phases

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
RUSSIAN = {"title": "Новый конкурс", "intro": "Новый конкурс для молодёжи."}


def editorial_groups():
    """Wagtail's Editors and Moderators groups and its default moderation workflow, as its
    initial migrations create them (a transactional test starts from a flushed database)."""
    root = Page.get_first_root_node()
    editors, _ = Group.objects.get_or_create(name="Editors")
    moderators, _ = Group.objects.get_or_create(name="Moderators")
    access = Permission.objects.get(codename="access_admin")
    for group, actions in (
        (editors, ["add", "change"]),
        (moderators, ["add", "change", "publish"]),
    ):
        group.permissions.add(access)
        for action in actions:
            GroupPagePermission.objects.get_or_create(
                group=group, page=root, permission=Permission.objects.get(codename=f"{action}_page")
            )
    if not WorkflowPage.objects.filter(page=root).exists():
        task = GroupApprovalTask.objects.create(name="Moderators approval")
        task.groups.add(moderators)
        workflow = Workflow.objects.create(name="Moderators approval")
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
        WorkflowPage.objects.create(workflow=workflow, page=root)
    return editors, moderators


def staff(username, group):
    user = UserFactory(username=username, is_staff=True)
    user.groups.add(group)
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


def sign_in(page, live_server, user):
    page.context.clear_cookies()
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


def test_editor_translates_and_submits_moderator_approves(live_server, home_pages, page):
    editors, moderators = editorial_groups()
    editor, moderator = staff("malika", editors), staff("rustam", moderators)
    index = ensure_translated_page(
        home_pages,
        ChallengeIndexPage,
        slug="challenges",
        texts={
            "uz": {"title": "Tanlovlar"},
            "ru": {"title": "Конкурсы"},
            "en": {"title": "Challenges"},
        },
    )
    source = ChallengePage(
        title="Yangi tanlov",
        slug="yangi-tanlov",
        challenge=with_phases(ChallengeFactory()),
        intro="Yoshlar uchun yangi tanlov.",
        locale=index["uz"].locale,
    )
    index["uz"].add_child(instance=source)
    source.save_revision().publish()
    translate_object(source, list(Locale.objects.filter(language_code__in=["ru", "en"])))
    ru = ChallengePage.objects.get(
        translation_key=source.translation_key, locale__language_code="ru"
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    sign_in(page, live_server, editor)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/admin/pages/{ru.pk}/edit/")
    page.wait_for_selector(".js-translation-editor *")
    page.screenshot(path=str(SCREENSHOTS / "translation-editor-editor-1280.png"), full_page=True)

    # Each text is translated in place and saved on its own, as wagtail-localize does.
    for tab, text in (
        ("Content", RUSSIAN["title"]),
        ("Content", RUSSIAN["intro"]),
        ("Promote", "novyi-konkurs"),
    ):
        page.get_by_role("tab", name=tab).click()
        page.get_by_role("button", name="Translate", exact=True).first.click()
        page.locator("textarea").first.fill(text)
        page.get_by_role("button", name="Save", exact=True).first.click()
        expect(page.locator("textarea")).to_have_count(0)
    page.screenshot(
        path=str(SCREENSHOTS / "translation-editor-translated-1280.png"), full_page=True
    )
    page.get_by_role("button", name="Submit for moderation").click()
    page.wait_for_load_state()
    # (Refused with "… not translated yet" if a text had not been saved.)
    assert "was submitted for moderation" in page.locator(".messages").inner_text()
    assert "waiting for moderation" in page.get_by_test_id("submit-translation").inner_text()

    # Until a moderator approves, the public Russian page is what was published before.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/ru/challenges/yangi-tanlov/")
    assert page.locator("h1").inner_text() == "Yangi tanlov"

    # The moderator approves in Wagtail's own workflow UI (the dashboard's review panel).
    sign_in(page, live_server, moderator)
    page.goto(f"{live_server.url}/admin/")
    review = page.locator("#awaiting-review-content tr", has_text=RUSSIAN["title"])
    assert "Russian" in review.inner_text()
    page.screenshot(path=str(SCREENSHOTS / "moderator-dashboard-1280.png"), full_page=True)
    review.get_by_role("button", name="Actions").click()
    review.get_by_role("button", name="Approve", exact=True).click()
    # Approved: the dashboard reloads without it (the task is done).
    expect(page.locator("#awaiting-review-content tr", has_text=RUSSIAN["title"])).to_have_count(0)

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/ru/challenges/novyi-konkurs/")
    assert page.locator("h1").inner_text() == RUSSIAN["title"]
    page.goto(f"{live_server.url}/en/challenges/yangi-tanlov/")
    assert page.locator("h1").inner_text() == "Yangi tanlov"  # English is still to translate
