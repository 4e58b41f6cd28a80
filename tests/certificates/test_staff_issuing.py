"""What staff are told while issuing: batch counts, local times, the template hint, the
language fallback, the challenge's phase and its audited override, and revocation."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from certificates.enums import CertificateStatus, IssueRule
from certificates.models import Certificate, IssuingBatch
from certificates.services import issuing
from core import s3
from core.models import AuditEntry
from tests import factories
from tests.certificates.helpers import entry_with_team, make_template, pdf_text

pytestmark = pytest.mark.django_db

ISSUE = reverse("certificates_admin:issue")
CONFIRM = reverse("certificates_admin:issue_confirm")
ADD_TEMPLATE = reverse("wagtailsnippets_certificates_certificatetemplate:add")


def _english(user):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()


@pytest.fixture
def staff_client(client, manager):
    _english(manager)
    client.force_login(manager)
    return client


def _certificates(challenge, batch, statuses):
    for status in statuses:
        user = factories.UserFactory()
        Certificate.objects.create(
            kind="participation",
            challenge=challenge,
            recipient=user,
            recipient_name=f"Person {user.pk}",
            language="uz",
            status=status,
            batch=batch,
        )


def _batch_line(page, batch):
    start = page.index(f'<li data-batch="{batch.pk}">')
    return " ".join(page[start : page.index("</li>", start)].split())


# --- Recent batches: final counts -------------------------------------------------------
def test_finished_batch_shows_issued_failed_and_skipped_not_queued(staff_client, challenge):
    batch = IssuingBatch.objects.create(
        challenge=challenge, rule="participants", queued=9, already_issued=3
    )
    _certificates(challenge, batch, ["issued"] * 6 + ["revoked"] + ["failed"] * 2)

    line = _batch_line(staff_client.get(ISSUE).text, batch)

    assert "finished: 7 issued, 2 failed, 3 skipped (already held one)" in line
    assert "queued" not in line


def test_running_batch_shows_how_far_it_is(staff_client, challenge):
    batch = IssuingBatch.objects.create(challenge=challenge, rule="participants", queued=5)
    _certificates(challenge, batch, ["issued", "failed", "pending", "pending", "pending"])

    line = _batch_line(staff_client.get(ISSUE).text, batch)

    assert "in progress: 2 of 5 processed" in line
    assert "finished" not in line


def test_batch_that_issued_nothing_new_is_finished_with_everyone_skipped(staff_client, challenge):
    batch = IssuingBatch.objects.create(
        challenge=challenge, rule="participants", queued=0, already_issued=4
    )

    line = _batch_line(staff_client.get(ISSUE).text, batch)

    assert "finished: 0 issued, 0 failed, 4 skipped (already held one)" in line


def test_recent_batches_query_count_is_flat(staff_client, challenge):
    def batches(n):
        for _ in range(n):
            batch = IssuingBatch.objects.create(challenge=challenge, rule="participants")
            _certificates(challenge, batch, ["issued", "failed"])

    batches(2)
    staff_client.get(ISSUE)  # warm caches (session, permissions)
    with CaptureQueriesContext(connection) as small:
        staff_client.get(ISSUE)
    batches(10)
    with CaptureQueriesContext(connection) as large:
        page = staff_client.get(ISSUE).text

    assert page.count("<li data-batch=") == 12
    assert len(large) == len(small)


# --- times in the challenge's zone --------------------------------------------------------
@override_settings(TIME_ZONE="UTC")
def test_batch_times_are_the_challenges_local_time_on_both_pages(staff_client, challenge):
    assert challenge.time_zone == "Asia/Tashkent"
    batch = IssuingBatch.objects.create(challenge=challenge, rule="participants")
    IssuingBatch.objects.filter(pk=batch.pk).update(
        created_at=datetime(2026, 3, 1, 10, 0, tzinfo=UTC)  # 15:00 in Tashkent (UTC+5)
    )

    line = _batch_line(staff_client.get(ISSUE).text, batch)
    page = staff_client.get(reverse("certificates_admin:batch", args=[batch.pk])).text

    assert "1 March 2026, 15:00" in line
    assert "1 March 2026, 15:00" in page
    assert ", 10:00" not in line + page


def test_batch_times_follow_a_challenge_in_another_zone(staff_client, challenge):
    challenge.time_zone = "Europe/Moscow"
    challenge.save()
    batch = IssuingBatch.objects.create(challenge=challenge, rule="participants")
    IssuingBatch.objects.filter(pk=batch.pk).update(
        created_at=datetime(2026, 3, 1, 10, 0, tzinfo=UTC)  # 13:00 in Moscow (UTC+3)
    )

    line = _batch_line(staff_client.get(ISSUE).text, batch)

    assert "1 March 2026, 13:00" in line


# --- the "create a template" hint -----------------------------------------------------------
def _editor(challenge):
    editor = factories.UserFactory(
        username="malika", first_name="Malika", last_name="Yusupova", is_staff=True
    )
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    challenge.managers.add(editor)
    _english(editor)
    return editor


def test_editor_without_template_rights_is_told_whom_to_ask(client, challenge):
    factories.SuperuserFactory(first_name="Aziza", last_name="Karimova", email="aziza@tanlov.local")
    entry_with_team(challenge, ["Aziz Tursunov"])
    client.force_login(_editor(challenge))

    plan = client.get(ISSUE, {"challenge": challenge.pk}).text
    confirm = client.get(CONFIRM, {"challenge": challenge.pk, "rule": "participants"}).text
    snippets = client.get(ADD_TEMPLATE)

    for page in (plan, confirm):
        assert "There is no certificate template for “Participation” yet." in page
        assert "You cannot create certificate templates." in page
        assert "Aziza Karimova" in page
        assert "aziza@tanlov.local" in page
        assert ADD_TEMPLATE not in page
        assert "Create one first" not in page
    assert snippets.status_code == 302  # Wagtail's "no permission": the hint was right


def test_someone_who_may_create_templates_gets_the_link(client, challenge):
    editor = _editor(challenge)
    editor.user_permissions.add(Permission.objects.get(codename="add_certificatetemplate"))
    entry_with_team(challenge, ["Aziz Tursunov"])
    client.force_login(editor)

    page = client.get(CONFIRM, {"challenge": challenge.pk, "rule": "participants"}).text

    assert f'href="{ADD_TEMPLATE}"' in page
    assert "You cannot create certificate templates." not in page
    assert "Issue certificates</button>" not in page  # nothing to issue with


def test_no_hint_when_every_kind_has_a_template(staff_client, challenge):
    for rule in IssueRule:
        make_template(kind=issuing.RULE_KIND[rule], name=str(rule))

    page = staff_client.get(ISSUE, {"challenge": challenge.pk}).text

    assert "data-template-hint" not in page


# --- languages: the fallback warning and each recipient's template --------------------------
def _stored_text(certificate):
    body = s3.client().get_object(Bucket=s3.bucket_name(), Key=certificate.pdf_key)["Body"]
    return pdf_text(body.read())[1]


def _readers(challenge, languages):
    """One team whose members read ``languages`` (the lead reads the first)."""
    _entry, members = entry_with_team(challenge, [f"Person {i}" for i in range(len(languages))])
    for member, language in zip(members, languages, strict=True):
        member.profile.preferred_language = language
        member.profile.save()
    return members


def test_confirmation_warns_who_gets_another_languages_template(staff_client, challenge):
    make_template(language="en", name="Participation (en)", title="Certificate")
    _readers(challenge, ["ru", "ru", "ru", "en"])

    page = staff_client.get(CONFIRM, {"challenge": challenge.pk, "rule": "participants"}).text

    assert (
        "3 recipients read Russian; no Russian template exists — they will receive the English one."
    ) in page
    assert "recipients read English" not in page
    assert "4 certificate(s) will be issued" in page
    assert Certificate.objects.count() == 0  # GET changes nothing


def test_one_reader_of_a_missing_language_gets_a_singular_warning(staff_client, challenge):
    make_template(language="uz")
    _readers(challenge, ["uz", "en"])

    page = staff_client.get(CONFIRM, {"challenge": challenge.pk, "rule": "participants"}).text

    assert (
        "1 recipient reads English; no English template exists — they will receive the Uzbek one."
    ) in page


def test_no_warning_when_every_language_has_its_template(staff_client, challenge):
    make_template(language="uz")
    make_template(language="ru", title="Сертификат")
    _readers(challenge, ["uz", "ru"])

    page = staff_client.get(CONFIRM, {"challenge": challenge.pk, "rule": "participants"}).text

    assert "data-fallback-warning" not in page


def test_each_recipient_gets_their_languages_template_else_the_fallback(
    staff_client, challenge, s3_bucket, committed
):
    make_template(language="uz", title="Ishtirokchi sertifikati", body="{recipient_name} uz")
    make_template(language="en", title="Certificate of participation", body="{recipient_name} en")
    uz_reader, en_reader, ru_reader = _readers(challenge, ["uz", "en", "ru"])

    with committed():
        response = staff_client.post(CONFIRM, {"challenge": challenge.pk, "rule": "participants"})

    assert response.status_code == 302
    got = {c.recipient_id: c for c in Certificate.objects.all()}
    assert got[uz_reader.pk].language == "uz"
    assert got[en_reader.pk].language == "en"
    assert got[ru_reader.pk].language == "uz"  # no Russian template: the site's default
    assert "Ishtirokchi sertifikati" in _stored_text(got[uz_reader.pk])
    assert "Certificate of participation" in _stored_text(got[en_reader.pk])
    assert "Ishtirokchi sertifikati" in _stored_text(got[ru_reader.pk])
    assert "Certificate of participation" not in _stored_text(got[ru_reader.pk])


def test_language_plan_falls_back_to_the_default_then_any_template():
    from certificates.models import CertificateTemplate
    from certificates.services.recipients import Recipient

    english = CertificateTemplate(name="en", language="en")
    people = [
        Recipient(user=None, name="1", language="ru"),
        Recipient(user=None, name="2", language="en"),
        Recipient(user=None, name="3", language="ru"),
    ]

    rows = issuing.language_plan({"en": english}, people)

    assert [(r["language"], r["count"], r["template"].language) for r in rows] == [
        ("ru", 2, "en"),
        ("en", 1, "en"),
    ]
    assert rows[0]["warning"].startswith("2 recipients read Russian")
    assert rows[1]["warning"] == ""


# --- the challenge's phase, and the audited override ---------------------------------------
NOW = datetime(2026, 5, 10, 12, 0, tzinfo=UTC)
DEADLINE = datetime(2026, 5, 15, 18, 59, tzinfo=UTC)


@pytest.mark.parametrize(
    ("rule", "now", "published", "refused"),
    [
        ("participants", DEADLINE - timedelta(seconds=1), False, True),
        ("participants", DEADLINE, False, False),  # the deadline itself: entries are closed
        ("finalists", NOW, False, True),
        ("mentors", NOW, False, True),
        ("jurors", NOW, False, False),
        ("graduates", NOW, False, False),
        ("winners", DEADLINE + timedelta(days=30), False, True),
        ("winners", NOW, True, False),
    ],
)
def test_phase_problem_by_rule(rule, now, published, refused):
    problem = issuing.phase_problem(
        rule=rule, deadline=DEADLINE, results_published=published, now=now
    )
    assert bool(problem) is refused


def test_phase_problem_without_a_submission_phase_lets_participation_through():
    assert (
        issuing.phase_problem(rule="participants", deadline=None, results_published=False, now=NOW)
        == ""
    )


def test_participation_while_entries_are_open_is_refused(challenge, manager):
    factories.with_phases(challenge, status="open")
    make_template()
    entry_with_team(challenge, ["Aziz Tursunov"])

    with pytest.raises(issuing.IssuingError, match="Entries can still be submitted") as error:
        issuing.issue_certificates(challenge=challenge, rule="participants", by=manager)

    assert error.value.code == issuing.TOO_EARLY
    assert not IssuingBatch.objects.exists()


def test_grace_minutes_count_as_still_open(challenge, manager):
    now = timezone.now()
    factories.PhaseFactory(
        challenge=challenge,
        kind="submission",
        starts_at=now - timedelta(days=5),
        ends_at=now - timedelta(minutes=5),
    )
    challenge.grace_minutes = 10
    challenge.save()
    make_template()

    with pytest.raises(issuing.IssuingError, match="Entries can still be submitted"):
        issuing.issue_certificates(challenge=challenge, rule="participants", by=manager)


def test_participation_after_the_deadline_is_issued(challenge, manager, s3_bucket, committed):
    factories.with_phases(challenge, status="judging")
    make_template()
    entry_with_team(challenge, ["Aziz Tursunov"])

    with committed():
        batch = issuing.issue_certificates(challenge=challenge, rule="participants", by=manager)

    assert batch.queued == 1
    assert not AuditEntry.objects.filter(action="certificates.batch.phase_overridden").exists()


def test_winners_wait_for_published_results(challenge, manager):
    factories.with_phases(challenge, status="closed")
    make_template(kind="winner", body="{recipient_name}")
    entry_with_team(challenge, ["Gʻolib"], status="winner")

    with pytest.raises(issuing.IssuingError, match="results are not published"):
        issuing.issue_certificates(challenge=challenge, rule="winners", by=manager)


def test_confirmation_page_explains_the_phase_and_refuses_without_override(staff_client, challenge):
    factories.with_phases(challenge, status="open")
    make_template()
    entry_with_team(challenge, ["Aziz Tursunov"])
    data = {"challenge": challenge.pk, "rule": "participants"}

    shown = staff_client.get(CONFIRM, data).text
    plain = staff_client.post(CONFIRM, data)
    no_reason = staff_client.post(CONFIRM, {**data, "override": "on", "override_reason": " "})

    assert "Entries can still be submitted until" in shown
    assert "Issue anyway" in shown
    assert plain.status_code == 200
    assert "Entries can still be submitted until" in plain.text
    assert no_reason.status_code == 200
    assert "Say why the certificates are issued anyway." in no_reason.text
    assert not IssuingBatch.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="certificates.batch").exists()


def test_issue_anyway_with_a_reason_is_audited(
    staff_client, challenge, manager, s3_bucket, committed
):
    factories.with_phases(challenge, status="open")
    make_template()
    entry_with_team(challenge, ["Aziz Tursunov"])

    with committed():
        response = staff_client.post(
            CONFIRM,
            {
                "challenge": challenge.pk,
                "rule": "participants",
                "override": "on",
                "override_reason": "Certificates for the closing ceremony tomorrow",
            },
        )

    batch = IssuingBatch.objects.get()
    assert response["Location"] == reverse("certificates_admin:batch", args=[batch.pk])
    assert Certificate.objects.get().status == CertificateStatus.ISSUED
    entry = AuditEntry.objects.get(action="certificates.batch.phase_overridden")
    assert entry.actor == manager
    assert entry.object_id == str(batch.pk)
    assert entry.data["reason"] == "Certificates for the closing ceremony tomorrow"
    assert "Entries can still be submitted" in entry.data["problem"]
    started = AuditEntry.objects.get(action="certificates.batch.started")
    assert started.data["phase_overridden"] is True


def test_staff_of_another_challenge_cannot_override(challenge):
    factories.with_phases(challenge, status="open")
    make_template()
    stranger = factories.UserFactory(is_staff=True)

    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        issuing.issue_certificates(
            challenge=challenge, rule="participants", by=stranger, override_reason="please"
        )
    assert not IssuingBatch.objects.exists()


def test_issue_page_shows_the_phase_per_rule(staff_client, challenge):
    factories.with_phases(challenge, status="open")
    make_template()

    response = staff_client.get(ISSUE, {"challenge": challenge.pk})

    rows = {row["rule"].value: row for row in response.context["plan"]}
    assert "Entries can still be submitted" in rows["participants"]["phase"]
    assert "results are not published" in rows["winners"]["phase"]
    assert rows["jurors"]["phase"] == ""


# --- revoking: a confirmation step ---------------------------------------------------------
def _issued_certificate(challenge):
    return Certificate.objects.create(
        kind="participation",
        challenge=challenge,
        recipient=factories.UserFactory(),
        recipient_name="Aziz Tursunov",
        language="uz",
        status="issued",
        issued_at=timezone.now(),
    )


def test_revoke_get_shows_what_will_be_revoked_and_changes_nothing(staff_client, challenge):
    certificate = _issued_certificate(challenge)
    url = reverse("certificates_admin:revoke", args=[certificate.pk])

    detail = staff_client.get(reverse("certificates_admin:certificate", args=[certificate.pk]))
    page = staff_client.get(url).text

    assert f'href="{url}"' in detail.text
    assert 'name="revoke-reason"' not in detail.text  # no one-click revoke on the detail page
    assert "Aziz Tursunov" in page
    assert certificate.code in page
    assert "The public verification page and the badge will say" in page
    certificate.refresh_from_db()
    assert certificate.status == "issued"
    assert not AuditEntry.objects.filter(action="certificates.certificate.revoked").exists()


def test_revoke_post_with_a_reason_revokes(staff_client, challenge, manager):
    certificate = _issued_certificate(challenge)
    url = reverse("certificates_admin:revoke", args=[certificate.pk])

    response = staff_client.post(url, {"reason": "Entry was plagiarised"})

    assert response["Location"] == reverse("certificates_admin:certificate", args=[certificate.pk])
    certificate.refresh_from_db()
    assert (certificate.status, certificate.revoked_reason) == ("revoked", "Entry was plagiarised")
    entry = AuditEntry.objects.get(action="certificates.certificate.revoked")
    assert entry.actor == manager


def test_revoke_without_a_reason_changes_nothing(staff_client, challenge):
    certificate = _issued_certificate(challenge)

    response = staff_client.post(
        reverse("certificates_admin:revoke", args=[certificate.pk]), {"reason": ""}
    )

    assert response.status_code == 200
    assert "This field is required." in response.text
    certificate.refresh_from_db()
    assert certificate.status == "issued"


def test_revoked_certificate_cannot_be_revoked_again(staff_client, challenge):
    certificate = _issued_certificate(challenge)
    Certificate.objects.filter(pk=certificate.pk).update(status="revoked", revoked_reason="Old")
    url = reverse("certificates_admin:revoke", args=[certificate.pk])

    page = staff_client.get(url).text
    response = staff_client.post(url, {"reason": "Again"})

    assert "This certificate cannot be revoked" in page
    assert response.status_code == 200
    certificate.refresh_from_db()
    assert certificate.revoked_reason == "Old"


def test_detail_page_no_longer_revokes_by_post(staff_client, challenge):
    certificate = _issued_certificate(challenge)

    response = staff_client.post(
        reverse("certificates_admin:certificate", args=[certificate.pk]),
        {"action": "revoke", "revoke-reason": "Fraud"},
        follow=True,
    )

    assert response.status_code == 404
    certificate.refresh_from_db()
    assert certificate.status == "issued"


def test_revoke_page_of_another_challenge_answers_404(client, challenge):
    certificate = _issued_certificate(challenge)
    stranger = factories.UserFactory(is_staff=True)
    stranger.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(stranger)

    url = reverse("certificates_admin:revoke", args=[certificate.pk])
    assert client.get(url, follow=True).status_code == 404
    assert client.post(url, {"reason": "x"}, follow=True).status_code == 404
    certificate.refresh_from_db()
    assert certificate.status == "issued"
