"""A participant, on a phone, downloads their data and deletes their account (uz labels
checked through the catalogue; every step axe-clean)."""

import json
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from tests import factories
from tests.submissions.builders import open_challenge, team_entry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _uz(text):
    with translation.override("uz"):
        return translation.gettext(text)


def test_a_participant_downloads_their_data_then_deletes_their_account(
    live_server, page, sign_in, checkpoint
):
    entry = team_entry(open_challenge(), title="Mehr — koʻngillilar")
    user = entry.owner
    user.set_password(factories.PASSWORD)
    user.save()
    sign_in(user)
    page.goto(f"{live_server.url}/uz/me/")
    checkpoint(page, "dashboard")

    with page.expect_download() as download:
        page.get_by_role("link", name=_uz("Download my data (JSON)")).click()
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert data["account"]["email"] == user.email
    assert "Mehr — koʻngillilar" in json.dumps(data, ensure_ascii=False)

    page.get_by_role("link", name=_uz("Delete my account and data")).click()
    page.wait_for_url("**/uz/me/delete/")
    checkpoint(page, "delete")
    page.get_by_label(_uz("Your password")).fill("not-the-password")
    page.get_by_label(_uz("I understand that this cannot be undone.")).check()
    page.locator("main form[method=post] button[type=submit]").click()
    assert _uz("This is not your password.") in page.locator("main").inner_text()
    checkpoint(page, "delete refused")
    assert get_user_model().objects.get(pk=user.pk).email == user.email

    page.get_by_label(_uz("Your password")).fill(factories.PASSWORD)
    page.get_by_label(_uz("I understand that this cannot be undone.")).check()
    page.locator("main form[method=post] button[type=submit]").click()
    assert _uz("Your account is deleted") in page.locator("main").inner_text()
    checkpoint(page, "deleted")
    erased = get_user_model().objects.get(pk=user.pk)
    assert erased.email.endswith("@anonymised.invalid")
    assert not erased.is_active
