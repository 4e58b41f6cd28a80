"""Issuing in bulk: who gets a certificate, idempotency, S3 failures, revocation, reissue."""

import time

import pytest
from django.core.exceptions import PermissionDenied

from certificates.enums import CertificateStatus
from certificates.models import Certificate, IssuingBatch
from certificates.services import issuing
from core import s3
from core.models import AuditEntry
from tests import factories
from tests import s3 as s3_helpers
from tests.certificates.helpers import entry_with_team, make_template, pdf_text

pytestmark = pytest.mark.django_db


def _stored_pdf(certificate):
    return s3.client().get_object(Bucket=s3.bucket_name(), Key=certificate.pdf_key)["Body"].read()


def test_issue_participants_stores_pdfs_with_each_name(challenge, manager, s3_bucket, committed):
    make_template()
    entry_with_team(challenge, ["Oʻgʻiloy Gʻulomova", "Алишер Навоийев"])
    entry_with_team(challenge, ["Draft Person"], status="draft")

    with committed():
        batch = issuing.issue_certificates(challenge=challenge, rule="participants", by=manager)

    certificates = {c.recipient_name: c for c in Certificate.objects.all()}
    assert sorted(certificates) == ["Oʻgʻiloy Gʻulomova", "Алишер Навоийев"]
    assert batch.queued == 2
    for name, certificate in certificates.items():
        assert certificate.status == CertificateStatus.ISSUED
        assert certificate.pdf_key.startswith(f"certificates/{challenge.pk}/{certificate.code}")
        _reader, text = pdf_text(_stored_pdf(certificate))
        assert name in text
        assert certificate.code in text
    assert AuditEntry.objects.filter(action="certificates.certificate.issued").count() == 2


def test_issuing_twice_issues_nothing_new(challenge, manager, s3_bucket, committed):
    make_template()
    entry_with_team(challenge, ["Aziz Tursunov", "Nodira Rahimova"])
    with committed():
        issuing.issue_certificates(challenge=challenge, rule="participants", by=manager)
    codes = set(Certificate.objects.values_list("code", flat=True))

    with committed():
        second = issuing.issue_certificates(challenge=challenge, rule="participants", by=manager)

    assert second.queued == 0
    assert second.already_issued == 2
    assert set(Certificate.objects.values_list("code", flat=True)) == codes


def test_rules_select_winners_finalists_and_mentors(challenge, manager, s3_bucket, committed):
    for kind in ("winner", "finalist", "mentor"):
        make_template(kind=kind, name=kind)
    winner, (_winner_lead,) = entry_with_team(challenge, ["Gʻolib"], status="winner")
    _finalist, (_finalist_lead,) = entry_with_team(challenge, ["Finalchi"], status="finalist")
    _other, _ = entry_with_team(challenge, ["Boshqa"], status="not_selected")
    mentor = factories.UserFactory()
    factories.ProfileFactory(user=mentor, full_name="Ustoz Mentor")
    from submissions.models import TeamMembership

    TeamMembership.objects.create(team=winner.team, challenge=challenge, user=mentor, role="mentor")

    with committed():
        issuing.issue_certificates(
            challenge=challenge, rule="winners", by=manager, override_reason="Announced on stage"
        )
    with committed():
        issuing.issue_certificates(challenge=challenge, rule="finalists", by=manager)
    with committed():
        issuing.issue_certificates(challenge=challenge, rule="mentors", by=manager)

    held = sorted(Certificate.objects.values_list("kind", "recipient_name"))
    assert held == [
        ("finalist", "Finalchi"),
        ("finalist", "Gʻolib"),
        ("mentor", "Ustoz Mentor"),
        ("winner", "Gʻolib"),
    ]


def test_template_with_unknown_placeholder_issues_nothing(challenge, manager, s3_bucket, committed):
    make_template(body="{recipient_name} — {prize_money}")
    entry_with_team(challenge, ["Aziz Tursunov"])

    with pytest.raises(issuing.IssuingError, match=r"\{prize_money\}"):
        issuing.issue_certificates(challenge=challenge, rule="participants", by=manager)

    assert Certificate.objects.count() == 0
    assert IssuingBatch.objects.count() == 0


def test_no_template_for_the_kind_is_a_clear_error(challenge, manager, committed):
    with pytest.raises(issuing.IssuingError, match="no certificate template") as error:
        issuing.issue_certificates(challenge=challenge, rule="finalists", by=manager)
    assert error.value.code == issuing.NO_TEMPLATE


def test_staff_of_another_challenge_cannot_issue(challenge):
    make_template()
    stranger = factories.UserFactory(is_staff=True)

    with pytest.raises(PermissionDenied):
        issuing.issue_certificates(challenge=challenge, rule="participants", by=stranger)
    assert IssuingBatch.objects.count() == 0


def test_template_language_follows_recipient_preference(challenge, manager, s3_bucket, committed):
    make_template(language="uz", title="Sertifikat")
    make_template(language="ru", title="Сертификат", body="{recipient_name}: {challenge}")
    _entry, (_lead, member) = entry_with_team(challenge, ["Aziz Tursunov", "Иван Петров"])
    member.profile.preferred_language = "ru"
    member.profile.save()

    with committed():
        issuing.issue_certificates(challenge=challenge, rule="participants", by=manager)

    russian = Certificate.objects.get(recipient=member)
    _reader, text = pdf_text(_stored_pdf(russian))
    assert russian.language == "ru"
    assert "Сертификат" in text
    assert "Здоровое будущее" in text


def test_s3_down_keeps_certificates_unissued_and_retry_issues_them(
    challenge, manager, client, settings, committed, s3_bucket
):
    make_template()
    entry_with_team(challenge, ["Aziz Tursunov"])
    server, endpoint = s3_helpers.start_server()
    previous = settings.AWS_S3_ENDPOINT_URL
    port = int(endpoint.rsplit(":", 1)[1])
    try:
        s3_helpers.point_storage_at(endpoint=endpoint)  # the bucket is in moto's process state
        server.stop()  # S3 goes down before the tasks run

        with committed():
            batch = issuing.issue_certificates(challenge=challenge, rule="participants", by=manager)

        certificate = Certificate.objects.get()
        assert certificate.status == CertificateStatus.FAILED
        assert certificate.pdf_key == ""
        assert "file store could not be reached" in certificate.failure_reason
        assert client.get(f"/en/verify/{certificate.code}/").status_code == 404
        assert AuditEntry.objects.filter(action="certificates.certificate.issued").count() == 0

        # S3 is back (same address; moto keeps its buckets in the process): staff retry.
        server = s3_helpers.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
        server.start()
        time.sleep(0.3)
        with committed():
            assert issuing.retry_failed(batch=batch, by=manager) == 1
    finally:
        server.stop()
        s3_helpers.point_storage_at(endpoint=previous)

    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.ISSUED
    assert certificate.failure_reason == ""


def test_task_retries_while_s3_is_down(challenge, manager, monkeypatch, committed):
    make_template()
    entry_with_team(challenge, ["Aziz Tursunov"])
    calls = []

    def down(key, pdf):
        calls.append(key)
        raise issuing.StorageUnavailable("connection refused")

    monkeypatch.setattr(issuing, "_store", down)

    with committed():
        issuing.issue_certificates(challenge=challenge, rule="participants", by=manager)

    from certificates.tasks import issue_certificate

    assert len(calls) == issue_certificate.max_retries + 1  # first try + every retry
    assert Certificate.objects.get().status == CertificateStatus.FAILED


def test_revocation_shows_on_verify_page(challenge, manager, client, s3_bucket, committed):
    make_template()
    entry_with_team(challenge, ["Aziz Tursunov"])
    with committed():
        issuing.issue_certificates(challenge=challenge, rule="participants", by=manager)
    certificate = Certificate.objects.get()
    url = f"/en/verify/{certificate.code}/"
    assert "This certificate is valid." in client.get(url).text

    issuing.revoke(certificate=certificate, reason="Duplicate entry", by=manager)

    page = client.get(url).text
    assert "This certificate has been revoked." in page
    assert "This certificate is valid." not in page
    with pytest.raises(issuing.IssuingError):
        issuing.revoke(certificate=certificate, reason="again", by=manager)


def test_revocation_needs_a_reason(challenge, manager, s3_bucket, committed):
    make_template()
    entry_with_team(challenge, ["Aziz Tursunov"])
    with committed():
        issuing.issue_certificates(challenge=challenge, rule="participants", by=manager)
    certificate = Certificate.objects.get()

    with pytest.raises(issuing.IssuingError, match="reason"):
        issuing.revoke(certificate=certificate, reason="  ", by=manager)
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.ISSUED


def test_reissue_after_name_correction_keeps_code_and_history(
    challenge, manager, s3_bucket, committed
):
    make_template()
    entry_with_team(challenge, ["Ogiloy Gulomova"])
    with committed():
        issuing.issue_certificates(challenge=challenge, rule="participants", by=manager)
    certificate = Certificate.objects.get()
    first_key = certificate.pdf_key

    with committed():
        issuing.reissue(
            certificate=certificate, recipient_name="Oʻgʻiloy Gʻulomova", reason="typo", by=manager
        )

    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.ISSUED
    assert certificate.version == 2
    assert certificate.pdf_key != first_key
    _reader, text = pdf_text(_stored_pdf(certificate))
    assert "Oʻgʻiloy Gʻulomova" in text
    assert certificate.code in text
    revision = certificate.revisions.get()
    assert (revision.version, revision.recipient_name, revision.pdf_key) == (
        1,
        "Ogiloy Gulomova",
        first_key,
    )
    assert Certificate.objects.count() == 1
