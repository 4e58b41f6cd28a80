"""Editorial workflow: an editor writes and submits, only a moderator's approval publishes."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import Page, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from cms.models import ChallengePage
from tests.factories import ChallengeFactory, UserFactory, with_phases

pytestmark = pytest.mark.django_db


def staff(username, group):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=group))
    return user


def page_form(challenge, **extra):
    return nested_form_data(
        {
            "title": "Yangi tanlov",
            "slug": "yangi-tanlov",
            "challenge": challenge.pk,
            "intro": "Yoshlar uchun yangi tanlov.",
            "body": streamfield([]),
            "comments": inline_formset([]),
            **extra,
        }
    )


def test_editor_submits_page_and_only_moderator_approval_publishes(client, challenge_index):
    challenge = with_phases(ChallengeFactory())
    editor = staff("malika", "Editors")
    moderator = staff("rustam", "Moderators")
    parent = challenge_index["uz"]
    add_url = reverse("wagtailadmin_pages:add", args=["cms", "challengepage", parent.pk])

    client.force_login(editor)
    response = client.post(add_url, page_form(challenge, **{"action-submit": "Submit"}))

    assert response.status_code == 302
    page = ChallengePage.objects.get(slug="yangi-tanlov")
    assert not page.live
    state = WorkflowState.objects.get(base_content_type__isnull=False, object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert client.get(f"/uz/{parent.slug}/yangi-tanlov/").status_code == 404

    # The editor's "publish" is refused: the page stays a draft.
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    client.post(edit_url, page_form(challenge, **{"action-publish": "Publish"}))
    page.refresh_from_db()
    assert not page.live
    assert not editor.has_perm("wagtailcore.publish_page")

    # The moderator approves the task: now the page is live for everyone.
    client.force_login(moderator)
    task_state = page.current_workflow_task_state
    approve_url = reverse(
        "wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk]
    )
    response = client.post(approve_url, {"comment": "Yaxshi"}, follow=True)

    assert response.status_code == 200
    page.refresh_from_db()
    assert page.live
    client.logout()
    assert client.get(page.url).status_code == 200


def test_editor_page_permissions_cannot_publish_directly(challenge_index):
    editor = staff("malika", "Editors")
    page = Page.objects.get(pk=challenge_index["uz"].pk)

    permissions = page.permissions_for_user(editor)

    assert permissions.can_add_subpage()
    assert permissions.can_edit()
    assert not permissions.can_publish()


def test_scheduled_publishing_keeps_a_page_offline_until_its_time(challenge_index):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    challenge = with_phases(ChallengeFactory())
    page = ChallengePage(
        title="Keyingi tanlov",
        slug="keyingi",
        challenge=challenge,
        intro="Tez orada.",
        live=False,
        locale=challenge_index["uz"].locale,
    )
    challenge_index["uz"].add_child(instance=page)
    page.go_live_at = timezone.now() + timedelta(hours=1)
    revision = page.save_revision()
    revision.publish()
    page.refresh_from_db()
    revision.refresh_from_db()
    assert not page.live
    assert revision.approved_go_live_at == page.go_live_at

    # The clock reaches the scheduled time (moved back rather than waiting an hour).
    past = timezone.now() - timedelta(seconds=1)
    revision.approved_go_live_at = past
    revision.content["go_live_at"] = past.isoformat()
    revision.save()
    call_command("publish_scheduled", verbosity=0)

    page.refresh_from_db()
    assert page.live
