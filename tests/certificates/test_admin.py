"""Staff in the Wagtail admin: templates with live preview, issuing, progress, revocation."""

import pytest
from django.urls import reverse

from certificates.models import Certificate, CertificateTemplate, IssuingBatch
from tests import factories
from tests.certificates.helpers import entry_with_team, make_template

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, manager):
    from django.contrib.auth.models import Permission

    manager.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        *Permission.objects.filter(content_type__app_label="certificates"),
    )
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(manager)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(manager)
    return client


def _template_form(**overrides):
    data = {
        "name": "Ishtirok",
        "kind": "participation",
        "language": "uz",
        "page_size": "A4",
        "orientation": "landscape",
        "title": "Sertifikat",
        "body": "{recipient_name} — {challenge}",
    }
    for prefix in ("signatories", "logos"):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    data.update(overrides)
    return data


PREVIEW = "wagtailsnippets_certificates_certificatetemplate:preview_on_add"
ADD = "wagtailsnippets_certificates_certificatetemplate:add"


def test_live_preview_renders_sample_certificate_as_pdf(staff_client):
    url = reverse(PREVIEW)

    assert staff_client.post(url, _template_form()).json()["is_valid"] is True
    response = staff_client.get(url, {"mode": "pdf"})

    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    html = staff_client.get(url).text
    assert "Oʻgʻiloy Gʻulomova" in html


def test_live_preview_names_the_unknown_placeholder(staff_client):
    url = reverse(PREVIEW)

    staff_client.post(url, _template_form(body="{recipient_name} won {prize_money}"))
    page = staff_client.get(url).text

    # (the preview runs in the site's default language: assert on the markup, not words)
    assert '<p class="error" role="alert">' in page
    assert "{prize_money}" in page


def test_saving_template_with_unknown_placeholder_is_refused(staff_client):
    response = staff_client.post(reverse(ADD), _template_form(title="Hello {nme}"))

    assert response.status_code == 200
    assert "Unknown placeholder {nme}" in response.text
    assert CertificateTemplate.objects.count() == 0


def test_issue_view_starts_batch_and_progress_reaches_100(
    staff_client, challenge, s3_bucket, committed
):
    make_template()
    entry_with_team(challenge, ["Aziz Tursunov", "Nodira Rahimova"])
    url = reverse("certificates_admin:issue_confirm")

    with committed():
        with_commit = staff_client.post(url, {"challenge": challenge.pk, "rule": "participants"})

    batch = IssuingBatch.objects.get()
    assert with_commit.status_code == 302
    assert with_commit["Location"] == reverse("certificates_admin:batch", args=[batch.pk])
    progress = staff_client.get(reverse("certificates_admin:batch_progress", args=[batch.pk]))
    page = staff_client.get(with_commit["Location"]).text
    assert progress.json() == {
        "total": 2,
        "done": 2,
        "failed": 0,
        "remaining": 0,
        "percent": 100,
        "finished": True,
        "already_issued": 0,
    }
    assert 'value="100"' in page


def test_issue_form_offers_only_managed_challenges(staff_client, challenge):
    other = factories.ChallengeFactory(title="Not mine")

    page = staff_client.get(reverse("certificates_admin:issue")).text
    confirm = reverse("certificates_admin:issue_confirm")
    data = {"challenge": other.pk, "rule": "participants"}
    response = staff_client.post(confirm, data, follow=True)
    shown = staff_client.get(confirm, data, follow=True)

    assert staff_client.post(reverse("certificates_admin:issue"), data).status_code == 405
    assert "Healthy future" in page  # title_en: the admin speaks English here
    assert "Not mine" not in page
    assert response.status_code == 404
    assert shown.status_code == 404
    assert IssuingBatch.objects.count() == 0


def test_issue_view_shows_template_error_and_issues_nothing(staff_client, challenge):
    make_template(body="{prize_money}")
    entry_with_team(challenge, ["Aziz Tursunov"])

    response = staff_client.post(
        reverse("certificates_admin:issue_confirm"),
        {"challenge": challenge.pk, "rule": "participants"},
    )

    assert response.status_code == 200
    assert "{prize_money}" in response.text
    assert Certificate.objects.count() == 0


def test_batch_of_another_challenge_answers_404(client, challenge, manager):
    batch = IssuingBatch.objects.create(challenge=challenge, rule="participants")
    stranger = factories.UserFactory(is_staff=True, is_superuser=False)
    from django.contrib.auth.models import Permission

    stranger.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(stranger)

    for name in ("batch", "batch_progress"):
        url = reverse(f"certificates_admin:{name}", args=[batch.pk])
        # (the locale middleware turns a 404 outside i18n_patterns into a redirect to /uz/…)
        assert client.get(url, follow=True).status_code == 404


def test_staff_revoke_through_admin_shows_on_verify_page(staff_client, challenge, manager):
    from django.utils import timezone

    certificate = Certificate.objects.create(
        kind="participation",
        challenge=challenge,
        recipient=manager,
        recipient_name="Aziz Tursunov",
        language="uz",
        status="issued",
        issued_at=timezone.now(),
    )
    url = reverse("certificates_admin:revoke", args=[certificate.pk])

    empty = staff_client.post(url, {"reason": ""})
    assert empty.status_code == 200
    assert "help-critical" in empty.text
    certificate.refresh_from_db()
    assert certificate.status == "issued"

    staff_client.post(url, {"reason": "Fraud"})

    certificate.refresh_from_db()
    assert (certificate.status, certificate.revoked_reason) == ("revoked", "Fraud")
    verify = staff_client.get(f"/en/verify/{certificate.code}/").text
    assert "This certificate has been revoked." in verify


def _issued(challenge, n, *, batch=None, status="issued", reason=""):
    from django.utils import timezone

    for _ in range(n):
        user = factories.UserFactory()
        Certificate.objects.create(
            kind="participation",
            challenge=challenge,
            recipient=user,
            recipient_name=f"Person {user.pk}",
            language="uz",
            status=status,
            failure_reason=reason,
            batch=batch,
            issued_at=timezone.now(),
        )


def test_batch_page_lists_failures_with_reason_and_retry(staff_client, challenge):
    batch = IssuingBatch.objects.create(challenge=challenge, rule="participants", queued=3)
    _issued(challenge, 2, batch=batch)
    _issued(
        challenge, 1, batch=batch, status="failed", reason="The file store could not be reached"
    )

    page = staff_client.get(reverse("certificates_admin:batch", args=[batch.pk])).text

    assert "The file store could not be reached" in page
    assert reverse("certificates_admin:batch_retry", args=[batch.pk]) in page
    assert 'value="100"' in page  # 2 issued + 1 failed: all processed


@pytest.mark.parametrize("view", ["list", "batch"])
def test_admin_lists_query_count_is_flat(staff_client, challenge, view):
    batch = IssuingBatch.objects.create(challenge=challenge, rule="participants")
    url = (
        reverse("certificates_admin:list")
        if view == "list"
        else reverse("certificates_admin:batch", args=[batch.pk])
    )
    _issued(challenge, 2, batch=batch, status="failed", reason="x")
    staff_client.get(url)  # warm caches (session, permissions)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        staff_client.get(url)
    _issued(challenge, 20, batch=batch, status="failed", reason="x")
    with CaptureQueriesContext(connection) as large:
        response = staff_client.get(url)

    assert response.text.count("Person ") >= 22
    assert len(large) == len(small), [q["sql"][:150] for q in large.captured_queries][-8:]


def test_download_link_works_for_managing_staff(staff_client, challenge, manager, s3_bucket):
    from django.utils import timezone

    certificate = Certificate.objects.create(
        kind="participation",
        challenge=challenge,
        recipient=factories.UserFactory(),
        recipient_name="Aziz Tursunov",
        language="uz",
        status="issued",
        pdf_key="certificates/x.pdf",
        issued_at=timezone.now(),
    )

    response = staff_client.get(reverse("certificates:download", args=[certificate.code]))

    assert response.status_code == 302
    assert "X-Amz-Signature=" in response["Location"]


def test_issue_page_shows_who_each_rule_would_reach_without_issuing(
    staff_client, challenge, manager, django_assert_max_num_queries
):
    make_template()  # participation only
    make_template(kind="winner", name="Gʻolib", body="{recipient_name}: {place}-oʻrin")
    entry_with_team(challenge, ["Aziz Tursunov", "Malika Tosheva"])
    entry_with_team(challenge, ["Bobur Aliyev"], status="winner")
    holder = entry_with_team(challenge, ["Lola Saidova"])[1][0]
    Certificate.objects.create(
        kind="participation", challenge=challenge, recipient=holder, recipient_name="Lola"
    )

    with django_assert_max_num_queries(60):
        response = staff_client.get(
            reverse("certificates_admin:issue"), {"challenge": challenge.pk}
        )

    assert response.status_code == 200
    rows = {row["rule"].value: row for row in response.context["plan"]}
    participants = rows["participants"]
    assert (participants["selected"], participants["already"], participants["new"]) == (4, 1, 3)
    assert participants["problem"] == ""
    assert "Publish the round" in rows["winners"]["problem"]  # {place} without a ranking
    assert "no certificate template" in rows["jurors"]["problem"]
    assert "Would be issued" in response.text
    assert Certificate.objects.count() == 1
    assert IssuingBatch.objects.count() == 0


def test_issue_preview_of_a_challenge_staff_do_not_manage_shows_nothing(staff_client):
    other = factories.ChallengeFactory(title="Not mine")
    response = staff_client.get(reverse("certificates_admin:issue"), {"challenge": other.pk})
    assert response.status_code == 200
    assert response.context["plan"] is None
    assert "Select a valid choice" in response.text
