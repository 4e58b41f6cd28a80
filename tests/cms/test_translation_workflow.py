"""Translations go through moderation too: an editor (no publish permission) translates a
page in wagtail-localize's editor and submits it; only a moderator's approval publishes that
language, and the other languages stay as they were."""

import json
import re
from html import unescape

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from wagtail.models import Locale, WorkflowPage, WorkflowState
from wagtail.users.models import UserProfile
from wagtail_localize.models import StringSegment, StringTranslation, Translation
from wagtail_localize.operations import translate_object

from cms.models import ChallengePage
from core.models import AuditEntry
from tests.factories import ChallengeFactory, UserFactory, with_phases

pytestmark = pytest.mark.django_db

SOURCE_TITLE = "Yangi tanlov"
RUSSIAN = {
    "title": "Новый конкурс",
    "slug": "novyi-konkurs",
    "intro": "Новый конкурс для молодёжи.",
}


def staff(username, group):
    """A staff member who reads the admin in English (so the assertions below do not
    depend on the Uzbek catalogue)."""
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=group))
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


@pytest.fixture
def editor():
    return staff("malika", "Editors")


@pytest.fixture
def moderator():
    return staff("rustam", "Moderators")


@pytest.fixture
def pages(challenge_index, django_capture_on_commit_callbacks):
    """A live Uzbek challenge page, and its ru/en synced translations made with
    wagtail-localize (live, still showing the Uzbek text, as "Translate" leaves them)."""
    challenge = with_phases(ChallengeFactory())
    source = ChallengePage(
        title=SOURCE_TITLE,
        slug="yangi-tanlov",
        challenge=challenge,
        intro="Yoshlar uchun yangi tanlov.",
        locale=challenge_index["uz"].locale,
    )
    challenge_index["uz"].add_child(instance=source)
    source.save_revision().publish()
    # wagtail-localize publishes the new translations once the transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        translate_object(source, list(Locale.objects.filter(language_code__in=["ru", "en"])))
    found = {
        page.locale.language_code: page
        for page in ChallengePage.objects.filter(translation_key=source.translation_key)
    }
    return found


def translation_of(page):
    return Translation.objects.get(
        source__object_id=page.translation_key, target_locale=page.locale
    )


def translate(page, texts, *, quietly=False):
    """What typing in the translation editor stores: one StringTranslation per segment.

    ``quietly`` stores them without wagtail-localize's signal, which copies a title into
    the page's draft title at once (a column of 255 characters PostgreSQL enforces)."""
    translation = translation_of(page)
    rows = [
        StringTranslation(
            translation_of=segment.string,
            locale=page.locale,
            context=segment.context,
            data=texts[segment.context.path],
        )
        for segment in StringSegment.objects.filter(source=translation.source).select_related(
            "string", "context"
        )
        if segment.context.path in texts
    ]
    if quietly:
        StringTranslation.objects.bulk_create(rows)
        return
    for row in rows:
        row.save()


def submit_url(page):
    return reverse("cms_submit_translation", args=[page.pk])


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def workflow_states(page):
    return WorkflowState.objects.filter(base_content_type__isnull=False, object_id=str(page.pk))


def shown_text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def test_editor_submits_translation_and_only_approval_publishes_it(
    client, pages, editor, moderator
):
    ru, en, uz = pages["ru"], pages["en"], pages["uz"]
    translate(ru, RUSSIAN)

    client.force_login(editor)
    response = client.post(submit_url(ru), follow=True)

    assert response.redirect_chain == [(edit_url(ru), 302)]
    assert "was submitted for moderation" in shown_text(response)
    ru.refresh_from_db()
    draft = ru.get_latest_revision_as_object()
    assert (draft.title, draft.intro) == (RUSSIAN["title"], RUSSIAN["intro"])
    assert draft.challenge_id == uz.challenge_id
    assert [state.status for state in workflow_states(ru)] == [WorkflowState.STATUS_IN_PROGRESS]
    # The public Russian page still shows what was published before.
    assert (ru.title, ru.live) == (SOURCE_TITLE, True)
    client.logout()
    public = client.get(ru.url)
    assert SOURCE_TITLE in public.content.decode()
    assert RUSSIAN["title"] not in public.content.decode()
    assert AuditEntry.objects.filter(
        action="cms.translation.submitted", object_id=str(ru.pk)
    ).exists()

    client.force_login(moderator)
    task_state = ru.current_workflow_task_state
    approve = reverse("wagtailadmin_pages:workflow_action", args=[ru.pk, "approve", task_state.pk])
    response = client.post(approve, {"comment": "Хорошо"})

    assert response.status_code == 302
    ru.refresh_from_db()
    assert (ru.live, ru.title, ru.intro) == (True, RUSSIAN["title"], RUSSIAN["intro"])
    assert not ru.has_unpublished_changes
    client.logout()
    assert RUSSIAN["title"] in client.get(ru.url).content.decode()
    # The other languages are untouched.
    en.refresh_from_db()
    uz.refresh_from_db()
    assert (en.title, en.has_unpublished_changes) == (SOURCE_TITLE, False)
    assert (uz.title, uz.has_unpublished_changes) == (SOURCE_TITLE, False)
    assert not workflow_states(en).exists()


def test_submitting_again_while_in_moderation_is_refused(client, pages, editor):
    ru = pages["ru"]
    translate(ru, RUSSIAN)
    client.force_login(editor)
    client.post(submit_url(ru))
    revisions = ru.revisions.count()

    response = client.post(submit_url(ru), follow=True)

    assert "This translation is already waiting for moderation." in shown_text(response)
    assert ru.revisions.count() == revisions
    assert workflow_states(ru).count() == 1


def test_incomplete_translation_is_refused_with_what_is_missing(client, pages, editor):
    ru = pages["ru"]
    translate(ru, {"title": RUSSIAN["title"]})
    revisions = ru.revisions.count()
    client.force_login(editor)

    response = client.post(submit_url(ru), follow=True)

    assert "2 of 3 texts are not translated into Russian yet." in shown_text(response)
    assert ru.revisions.count() == revisions
    assert not workflow_states(ru).exists()


def test_a_translation_with_an_error_counts_as_missing(client, pages, editor):
    ru = pages["ru"]
    translate(ru, RUSSIAN)
    StringTranslation.objects.filter(locale=ru.locale, context__path="intro").update(has_error=True)
    client.force_login(editor)

    response = client.post(submit_url(ru), follow=True)

    assert "1 of 3 texts is not translated into Russian yet." in shown_text(response)
    assert not workflow_states(ru).exists()


def test_after_changes_are_requested_the_editor_resubmits_in_the_same_workflow(
    client, pages, editor, moderator
):
    ru = pages["ru"]
    translate(ru, RUSSIAN)
    client.force_login(editor)
    client.post(submit_url(ru))
    client.force_login(moderator)
    task_state = ru.current_workflow_task_state
    reject = reverse("wagtailadmin_pages:workflow_action", args=[ru.pk, "reject", task_state.pk])
    client.post(reject, {"comment": "Исправьте заголовок"})
    assert workflow_states(ru).get().status == WorkflowState.STATUS_NEEDS_CHANGES

    StringTranslation.objects.filter(locale=ru.locale, context__path="title").update(
        data="Новый конкурс 2026"
    )
    client.force_login(editor)
    client.post(submit_url(ru))

    state = workflow_states(ru).get()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.current_task_state.revision.as_object().title == "Новый конкурс 2026"
    ru.refresh_from_db()
    assert ru.title == SOURCE_TITLE


def test_the_source_page_is_not_a_translation_to_submit(client, pages, editor):
    client.force_login(editor)

    response = client.post(submit_url(pages["uz"]), follow=True)

    assert "not kept in sync by the translation editor" in shown_text(response)
    assert not workflow_states(pages["uz"]).exists()


def test_a_person_who_may_not_edit_the_page_gets_404(client, pages):
    # Admin access, but no permission on the page tree.
    outsider = UserFactory(username="outsider")
    outsider.user_permissions.add(Permission.objects.get(codename="access_admin"))
    translate(pages["ru"], RUSSIAN)
    client.force_login(outsider)

    assert client.post(submit_url(pages["ru"])).status_code == 404
    assert client.get(submit_url(pages["ru"])).status_code == 404
    assert not workflow_states(pages["ru"]).exists()


def test_a_person_without_admin_access_is_sent_to_sign_in(client, pages):
    client.force_login(UserFactory(username="participant"))

    response = client.post(submit_url(pages["ru"]))

    assert response.status_code == 302
    assert not workflow_states(pages["ru"]).exists()


def test_an_unknown_page_is_404(client, editor):
    client.force_login(editor)

    assert client.post(reverse("cms_submit_translation", args=[999999])).status_code == 404


def test_confirmation_page_says_how_much_is_translated(client, pages, editor):
    translate(pages["ru"], {"title": RUSSIAN["title"], "intro": RUSSIAN["intro"]})
    client.force_login(editor)

    text = shown_text(client.get(submit_url(pages["ru"])))

    assert "2 of 3 texts are translated." in text
    assert "Translate every text before submitting." in text


def test_translation_editor_offers_submit_only_to_those_who_cannot_publish(
    client, pages, editor, moderator
):
    ru = pages["ru"]
    client.force_login(editor)
    response = client.get(edit_url(ru))
    assert response.status_code == 200
    assert f'action="{submit_url(ru)}"' in response.content.decode()

    client.force_login(moderator)  # publishes with the editor's own "Publish in Russian"
    assert f'action="{submit_url(ru)}"' not in client.get(edit_url(ru)).content.decode()


def test_translation_editor_says_when_the_page_waits_for_moderation(client, pages, editor):
    ru = pages["ru"]
    translate(ru, RUSSIAN)
    client.force_login(editor)
    client.post(submit_url(ru))

    text = shown_text(client.get(edit_url(ru)))

    assert "This translation is waiting for moderation." in text
    assert f'action="{submit_url(ru)}"' not in text


def test_explorer_header_menu_offers_submit_to_the_editor(client, pages, editor, moderator):
    ru = pages["ru"]
    explore = reverse("wagtailadmin_explore", args=[ru.pk])
    client.force_login(editor)
    assert submit_url(ru) in client.get(explore).content.decode()
    # Not on the source page, and not for a publisher.
    assert (
        submit_url(pages["uz"])
        not in client.get(reverse("wagtailadmin_explore", args=[pages["uz"].pk])).content.decode()
    )
    client.force_login(moderator)
    assert submit_url(ru) not in client.get(explore).content.decode()


def editor_props(response):
    """The props wagtail-localize hands its React editor (what the editor will show)."""
    pattern = r'class="js-translation-editor" data-props="([^"]*)"'
    return json.loads(unescape(re.search(pattern, response.content.decode()).group(1)))


def test_translation_editor_does_not_show_the_challenge_as_a_bare_id(client, pages, editor):
    ru = pages["ru"]
    client.force_login(editor)

    props = editor_props(client.get(edit_url(ru)))

    paths = {segment["contentPath"] for segment in props["segments"]}
    assert "challenge" not in paths
    assert {"title", "intro"} <= paths
    # Still synchronised: every language presents the source page's Challenge.
    assert ru.challenge_id == pages["uz"].challenge_id


def test_migration_drops_the_challenge_segments_extracted_before(client, pages, editor):
    from importlib import import_module

    from django.apps import apps
    from wagtail_localize.models import OverridableSegment, TranslationContext

    ru = pages["ru"]
    source = translation_of(ru).source
    # What a translation made before this change holds: the Challenge as an overridable value.
    context, _ = TranslationContext.objects.get_or_create(object=source.object, path="challenge")
    OverridableSegment.objects.create(
        source=source, context=context, order=99, data_json=json.dumps(ru.challenge_id)
    )
    client.force_login(editor)
    before = {s["contentPath"] for s in editor_props(client.get(edit_url(ru)))["segments"]}
    assert "challenge" in before

    migration = import_module(
        "cms.migrations.0003_challenge_link_not_offered_in_translation_editor"
    )
    migration.drop_challenge_segments(apps, None)

    after = {s["contentPath"] for s in editor_props(client.get(edit_url(ru)))["segments"]}
    assert after == before - {"challenge"}


def test_without_a_workflow_the_editor_is_told_to_ask_a_moderator(client, pages, editor):
    WorkflowPage.objects.all().delete()
    translate(pages["ru"], RUSSIAN)
    revisions = pages["ru"].revisions.count()
    client.force_login(editor)

    response = client.post(submit_url(pages["ru"]), follow=True)

    assert "No moderation workflow applies to this page" in shown_text(response)
    assert pages["ru"].revisions.count() == revisions


def test_a_page_locked_by_someone_else_is_refused(client, pages, editor, moderator):
    ru = pages["ru"]
    translate(ru, RUSSIAN)
    ChallengePage.objects.filter(pk=ru.pk).update(locked=True, locked_by=moderator)
    client.force_login(editor)

    response = client.post(submit_url(ru), follow=True)

    assert "Someone else has locked this page." in shown_text(response)
    assert not workflow_states(ru).exists()


def test_submitting_keeps_the_source_pages_privacy(client, pages, editor):
    from wagtail.models import PageViewRestriction

    PageViewRestriction.objects.create(page=pages["uz"], restriction_type=PageViewRestriction.LOGIN)
    translate(pages["ru"], RUSSIAN)
    client.force_login(editor)

    client.post(submit_url(pages["ru"]))

    restriction = PageViewRestriction.objects.get(page=pages["ru"])
    assert restriction.restriction_type == PageViewRestriction.LOGIN


def test_a_text_saved_empty_counts_as_untranslated(client, pages, editor):
    ru = pages["ru"]
    translate(ru, {**RUSSIAN, "title": ""})
    revisions = ru.revisions.count()
    client.force_login(editor)

    response = client.post(submit_url(ru), follow=True)

    assert "Some texts are not translated into Russian yet." in shown_text(response)
    assert ru.revisions.count() == revisions
    assert not workflow_states(ru).exists()


def test_a_translation_the_page_would_reject_is_refused_with_the_reason(client, pages, editor):
    ru = pages["ru"]
    translate(ru, {**RUSSIAN, "title": "Я" * 256}, quietly=True)  # a title holds 255
    revisions = ru.revisions.count()
    client.force_login(editor)

    response = client.post(submit_url(ru), follow=True)

    assert "Ensure this value has at most 255 characters (it has 256)." in shown_text(response)
    assert ru.revisions.count() == revisions
    assert not workflow_states(ru).exists()


def test_a_workflow_without_an_active_task_does_not_publish_as_the_editor(client, pages, editor):
    ru = pages["ru"]
    ru.get_workflow().tasks.update(active=False)
    translate(ru, RUSSIAN)
    client.force_login(editor)

    response = client.post(submit_url(ru), follow=True)

    assert "No moderation workflow applies to this page" in shown_text(response)
    ru.refresh_from_db()
    assert (ru.title, ru.has_unpublished_changes) == (SOURCE_TITLE, False)
